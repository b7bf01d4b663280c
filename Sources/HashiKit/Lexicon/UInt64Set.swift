/// An immutable set of 64-bit hashes over the trie's ``EdgeTable`` (open
/// addressing, multiplicative hash): built in one pass from a list, cheaper to
/// build and to query than `Set<UInt64>`, whose hashing is seeded SipHash.
struct UInt64Set: Sendable {
    private let table: EdgeTable
    /// `UInt64.max` marks an empty slot of the table, so it is kept apart.
    private let hasMax: Bool

    init<S: Sequence>(_ members: S) where S.Element == UInt64 {
        var keys: [UInt64] = []
        var hasMax = false
        for value in members {
            if value == .max { hasMax = true } else { keys.append(value) }
        }
        table = EdgeTable(keys: keys, values: [Int32](repeating: 0, count: keys.count))
        self.hasMax = hasMax
    }

    @inline(__always)
    func contains(_ value: UInt64) -> Bool {
        value == .max ? hasMax : table.lookup(value) != nil
    }
}
