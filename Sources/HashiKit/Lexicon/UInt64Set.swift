/// An immutable set of 64-bit hashes: open addressing with linear probing and a
/// multiplicative hash, built in one pass from a list (cheaper to build and to
/// query than `Set<UInt64>`, whose hashing is seeded SipHash).
struct UInt64Set: Sendable {
    private let slots: [UInt64]
    private let mask: Int
    /// Zero marks an empty slot, so whether 0 is a member is kept apart.
    private let hasZero: Bool

    init<S: Sequence>(_ members: S) where S.Element == UInt64 {
        let list = Array(members)
        var size = 16
        while size < list.count * 2 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        var hasZero = false
        for value in list {
            if value == 0 { hasZero = true; continue }
            var slot = Self.slot(value, mask)
            while slots[slot] != 0 && slots[slot] != value { slot = (slot + 1) & mask }
            slots[slot] = value
        }
        self.slots = slots
        self.mask = mask
        self.hasZero = hasZero
    }

    @inline(__always)
    private static func slot(_ value: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    @inline(__always)
    func contains(_ value: UInt64) -> Bool {
        if value == 0 { return hasZero }
        return slots.withUnsafeBufferPointer { slots in
            var slot = Self.slot(value, mask)
            while true {
                let k = slots[slot]
                if k == value { return true }
                if k == 0 { return false }
                slot = (slot + 1) & mask
            }
        }
    }
}
