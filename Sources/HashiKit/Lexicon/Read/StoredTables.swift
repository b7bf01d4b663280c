/// Read-only tables that the lexicon runtime reads in place: views over the
/// sections of a ``LexiconImage`` (the built-in one is embedded in the binary, a
/// user's is compiled in memory). Every index read from a table is checked where
/// it is used, so that damaged bytes give a miss, never an access outside the image.

/// The slot of a 64-bit key in an open-addressing table of `mask + 1` slots
/// (multiplicative hash): the same at compile time and at run time.
@inline(__always)
func hashSlot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
}

/// A set of 64-bit hashes stored as an open-addressing table (`UInt64.max` marks
/// an empty slot; whether `UInt64.max` itself is a member is kept apart).
struct StoredHashSet: Sendable {
    let slots: Table<UInt64>
    let hasMax: Bool

    /// The table for `members`: a power-of-two size with at least a third of the slots free.
    static func build<S: Sequence>(_ members: S) -> (slots: [UInt64], hasMax: Bool) where S.Element == UInt64 {
        var keys: [UInt64] = []
        var hasMax = false
        for value in members {
            if value == .max { hasMax = true } else { keys.append(value) }
        }
        var size = 16
        while size * 2 < keys.count * 3 { size <<= 1 }
        var slots = [UInt64](repeating: .max, count: size)
        for key in keys {
            var slot = hashSlot(key, size - 1)
            while slots[slot] != .max && slots[slot] != key { slot = (slot + 1) & (size - 1) }
            slots[slot] = key
        }
        return (slots, hasMax)
    }

    /// A view of a stored table; a size that is not a power of two is refused.
    init(slots: Table<UInt64>, hasMax: Bool) throws(LexiconImage.Error) {
        guard slots.count > 0, slots.count & (slots.count - 1) == 0 else {
            throw LexiconImage.Error("a hash table's size is not a power of two")
        }
        self.slots = slots
        self.hasMax = hasMax
    }

    @inline(__always)
    func contains(_ value: UInt64) -> Bool {
        if value == .max { return hasMax }
        let mask = slots.count - 1
        var slot = hashSlot(value, mask)
        // At most one round of the table (a damaged table may have no free slot).
        for _ in 0..<slots.count {
            let k = slots[slot]
            if k == value { return true }
            if k == .max { return false }
            slot = (slot + 1) & mask
        }
        return false
    }
}

/// A trie stored as sorted sibling lists: the edges leaving node `n` are
/// `first[n]..<first[n + 1]`, sorted by their UTF-16 unit, each with its child
/// node. Node 0 is the root; an optional table of 65,536 slots gives the root's
/// children in one step (0 = none).
struct StoredTrie: Sendable {
    let first: Table<Int32>
    let units: Table<UInt16>
    let children: Table<Int32>
    let root: Table<Int32>

    /// Number of nodes, the root included.
    var nodeCount: Int { first.count - 1 }

    /// Sorted sibling lists from edges keyed `node << 16 | unit` (sorted by key),
    /// over `nodeCount` nodes; `withRoot` adds the root table.
    static func build(
        sortedKeys: [UInt64], children: [Int32], nodeCount: Int, withRoot: Bool
    ) -> (first: [Int32], units: [UInt16], children: [Int32], root: [Int32]) {
        var first = [Int32](repeating: 0, count: nodeCount + 1)
        for key in sortedKeys { first[Int(key >> 16) + 1] += 1 }
        for n in 0..<nodeCount { first[n + 1] += first[n] }
        var root: [Int32] = []
        if withRoot {
            root = [Int32](repeating: 0, count: 65536)
            for (key, child) in zip(sortedKeys, children) where key >> 16 == 0 { root[Int(key & 0xFFFF)] = child }
        }
        return (first, sortedKeys.map { UInt16(truncatingIfNeeded: $0) }, children, root)
    }

    init(
        first: Table<Int32>, units: Table<UInt16>, children: Table<Int32>, root: Table<Int32>
    ) throws(LexiconImage.Error) {
        guard first.count >= 1, units.count == children.count, root.isEmpty || root.count == 65536 else {
            throw LexiconImage.Error("a trie's tables disagree in size")
        }
        self.first = first
        self.units = units
        self.children = children
        self.root = root
    }

    /// The child of `node` along `unit`, or nil.
    @inline(__always)
    func child(of node: Int32, _ unit: UInt16) -> Int32? {
        let nodes = first.count - 1
        if node == 0 && !root.isEmpty {
            let child = root[Int(unit)]
            return child > 0 && Int(child) < nodes ? child : nil
        }
        let n = Int(node)
        guard n >= 0, n < nodes else { return nil }
        var lo = Int(first[n]), hi = Int(first[n + 1])
        guard lo >= 0, lo <= hi, hi <= units.count else { return nil }
        while lo < hi {
            let mid = (lo + hi) >> 1
            let u = units[mid]
            if u == unit {
                let child = children[mid]
                return child > 0 && Int(child) < nodes ? child : nil
            }
            if u < unit { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}

/// Lists stored as one array of values and a prefix array of starts: list `k` is
/// `values[starts[k]..<starts[k + 1]]`.
struct StoredLists: Sendable {
    let starts: Table<Int32>
    let values: Table<Int32>

    static func build(_ lists: [[Int32]]) -> (starts: [Int32], values: [Int32]) {
        var starts: [Int32] = [0]
        var values: [Int32] = []
        for list in lists {
            values += list
            starts.append(Int32(values.count))
        }
        return (starts, values)
    }

    init(starts: Table<Int32>, values: Table<Int32>) throws(LexiconImage.Error) {
        guard starts.count >= 1 else { throw LexiconImage.Error("a list table has no starts") }
        self.starts = starts
        self.values = values
    }

    /// Number of lists.
    var count: Int { starts.count - 1 }

    /// List `k` (empty when `k` or its bounds are out of range).
    @inline(__always)
    subscript(k: Int) -> UnsafeBufferPointer<Int32> {
        guard k >= 0, k < starts.count - 1 else { return UnsafeBufferPointer(start: nil, count: 0) }
        let lo = Int(starts[k]), hi = Int(starts[k + 1])
        guard lo >= 0, lo <= hi, hi <= values.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return values.rows(lo..<hi)
    }
}
