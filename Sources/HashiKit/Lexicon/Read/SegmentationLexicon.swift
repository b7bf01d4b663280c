/// The words the segmenter consults to split katakana compounds (short units)
/// and to join dictionary terms that span several short units (long units).
///
/// Keys are normalized text (see ``TextBuffer``). Storage is one flat pool of
/// UTF-16 units and an open-addressing hash table, so that building ~100k words
/// takes milliseconds and lookups of slices of the normalized buffer allocate nothing.
public struct SegmentationLexicon: Sendable {
    private struct Entry: Sendable {
        var offset: Int32
        var length: Int32
        var cost: Int32
    }
    private var pool: [UInt16] = []
    private var entries: [Entry] = []
    /// Entry index + 1 per slot; 0 is empty. The count is a power of two.
    private var slots: [Int32] = []
    /// FNV states of every proper prefix of every word, when tracked: lets a
    /// caller stop extending a candidate as soon as no word can start with it.
    private var prefixStates: Set<UInt64>? = nil
    /// The tables read in place from a compiled image (then the arrays above are
    /// empty until a word is inserted).
    private var stored: Stored? = nil
    /// Longest word, in UTF-16 units.
    public private(set) var maxLength = 0
    /// The number of distinct words in the lexicon.
    public var count: Int { stored?.costs.count ?? entries.count }

    /// Cost given to words without one (curated dictionary terms): a common word.
    public static let defaultCost: Int32 = -3000

    /// An empty lexicon that does not record prefixes.
    public init() {}

    /// An empty lexicon that also records word prefixes (see ``mayExtend(_:)``).
    public init(trackingPrefixes: Bool) {
        if trackingPrefixes { prefixStates = [] }
    }

    /// Builds a lexicon from surface forms; each is normalized first.
    public init<S: Sequence>(words: S) where S.Element == String {
        for word in words { insert(word, cost: Self.defaultCost) }
    }

    /// Adds a word with a cost (lower is more common, as in MeCab/UniDic word costs).
    public mutating func insert(_ word: String, cost: Int32) {
        let buffer = TextBuffer()
        buffer.load(word)
        insertNormalized(buffer.normalized, cost: cost)
    }

    /// Adds a word already in normalized form; a word added twice keeps its lower cost.
    public mutating func insertNormalized(_ units: [UInt16], cost: Int32 = SegmentationLexicon.defaultCost) {
        units.withUnsafeBufferPointer { insertNormalized($0, cost: cost) }
    }

    mutating func insertNormalized(_ units: UnsafeBufferPointer<UInt16>, cost: Int32) {
        guard !units.isEmpty else { return }
        if stored != nil { materialize() }
        if entries.count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(units)) & mask
        while slots[slot] != 0 {
            let k = Int(slots[slot] - 1)
            if equals(entries[k], units) {
                entries[k].cost = min(entries[k].cost, cost)
                return
            }
            slot = (slot + 1) & mask
        }
        if prefixStates != nil {
            var h = FNV1a.basis
            for u in units.dropLast() {
                h = FNV1a.step(h, u)
                prefixStates!.insert(h)
            }
        }
        entries.append(Entry(offset: Int32(pool.count), length: Int32(units.count), cost: cost))
        pool.append(contentsOf: units)
        slots[slot] = Int32(entries.count)
        maxLength = max(maxLength, units.count)
    }

    private mutating func grow() {
        rehash(size: max(1024, slots.count * 2))
    }

    private mutating func rehash(size: Int) {
        slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for (k, entry) in entries.enumerated() {
            let h = pool.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[Int(entry.offset)..<Int(entry.offset + entry.length)]))
            }
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k + 1)
        }
    }

    @inline(__always)
    private func equals(_ entry: Entry, _ units: UnsafeBufferPointer<UInt16>) -> Bool {
        guard Int(entry.length) == units.count else { return false }
        return pool.withUnsafeBufferPointer { pool in
            var i = Int(entry.offset)
            for u in units {
                if pool[i] != u { return false }
                i += 1
            }
            return true
        }
    }

    /// Whether `word`, normalized as keys are (see ``TextBuffer``), is a word of the lexicon.
    public func contains(_ word: String) -> Bool {
        let buffer = TextBuffer()
        buffer.load(word)
        return buffer.normalized.withUnsafeBufferPointer { contains($0) }
    }

    @inline(__always)
    func contains(_ units: UnsafeBufferPointer<UInt16>) -> Bool {
        cost(of: units) != nil
    }

    /// The word's cost, or nil when the lexicon does not have it.
    @inline(__always)
    func cost(of units: UnsafeBufferPointer<UInt16>) -> Int32? {
        if units.count > maxLength || units.isEmpty { return nil }
        if let stored { return stored.cost(of: units) }
        if slots.isEmpty { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(units)) & mask
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot] - 1)]
            if equals(entry, units) { return entry.cost }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// True when some word is longer than, and starts with, the text whose FNV
    /// state is `state` (always true when prefixes are not tracked).
    @inline(__always)
    func mayExtend(_ state: UInt64) -> Bool {
        if let stored { return stored.prefixes?.contains(state) ?? true }
        return prefixStates?.contains(state) ?? true
    }

    /// The tables as the compiler writes them: the unit pool, per word its length,
    /// cost and offset in the pool, the hash slots (word index + 1, 0 = empty), and
    /// the sorted prefix hashes when prefixes are tracked.
    var compiled: (pool: [UInt16], lengths: [UInt16], costs: [Int32], offsets: [Int32], slots: [Int32], prefixes: [UInt64]?) {
        if let stored {
            var prefixes: [UInt64]? = nil
            if let set = stored.prefixes { prefixes = (set.slots.filter { $0 != .max } + (set.hasMax ? [.max] : [])).sorted() }
            return (
                Array(stored.pool), Array(stored.lengths), Array(stored.costs), Array(stored.offsets), Array(stored.slots), prefixes
            )
        }
        return (
            pool, entries.map { UInt16($0.length) }, entries.map(\.cost), entries.map(\.offset), slots, prefixStates.map { $0.sorted() }
        )
    }

    /// A lexicon over tables read in place (a compiled image); sizes are checked
    /// here, every index where it is used.
    init(
        pool: Table<UInt16>, lengths: Table<UInt16>, costs: Table<Int32>, offsets: Table<Int32>, slots: Table<Int32>,
        prefixes: StoredHashSet?
    ) throws(LexiconImage.Error) {
        guard lengths.count == costs.count, offsets.count == costs.count else {
            throw LexiconImage.Error("segmentation words have not one length, cost and offset each")
        }
        guard slots.count & (slots.count - 1) == 0, slots.count > lengths.count || lengths.isEmpty else {
            throw LexiconImage.Error("the segmentation hash table has a bad size")
        }
        stored = Stored(
            pool: pool, lengths: lengths, costs: costs, offsets: offsets, slots: slots, prefixes: prefixes)
        maxLength = Int(lengths.max() ?? 0)
    }

    /// Turns a lexicon read in place into growable arrays (before an insertion).
    private mutating func materialize() {
        guard let stored else { return }
        let data = compiled
        pool = data.pool
        entries = (0..<data.costs.count).map { Entry(offset: data.offsets[$0], length: Int32(data.lengths[$0]), cost: data.costs[$0]) }
        slots = data.slots
        prefixStates = data.prefixes.map(Set.init)
        self.stored = nil
        _ = stored
    }

    /// The tables of a compiled image, read in place.
    private struct Stored: Sendable {
        let pool: Table<UInt16>
        let lengths: Table<UInt16>
        let costs: Table<Int32>
        let offsets: Table<Int32>
        let slots: Table<Int32>
        let prefixes: StoredHashSet?

        @inline(__always)
        func cost(of units: UnsafeBufferPointer<UInt16>) -> Int32? {
            guard !slots.isEmpty else { return nil }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: SegmentationLexicon.hash(units)) & mask
            for _ in 0..<slots.count {
                let k = Int(slots[slot]) - 1
                if k < 0 { return nil }
                guard k < costs.count else { return nil }
                let offset = Int(offsets[k]), length = Int(lengths[k])
                if length == units.count, offset >= 0, offset <= pool.count - length {
                    var same = true
                    for i in 0..<length where pool[offset + i] != units[i] {
                        same = false
                        break
                    }
                    if same { return costs[k] }
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    @inline(__always)
    static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt64 {
        let h = FNV1a.hash(units)
        return h ^ (h >> 29)
    }
}

/// Token granularity, in the spirit of Sudachi's split modes.
public enum SegmentationUnit: String, Sendable, CaseIterable, Codable {
    /// Short units: katakana compounds are split where the lexicon knows the parts
    /// (データセンター → データ|センター); ・ is a token of its own.
    case short
    /// Long units (default): katakana words and ・-joined compounds stay whole
    /// (ジェンスン・フアン), and lexicon terms spanning several short units are joined.
    case long
}
