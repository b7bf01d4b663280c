/// FNV-1a, the one string hash of Hashi's tables: over code units, each unit
/// mixed in whole (UTF-16 units for keys and forms, UTF-8 bytes for the EDICT
/// index and the common words). Its values are stored in `lexicon.bin` and in
/// EDICT indexes, so it must not change.
enum FNV1a {
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    @inline(__always)
    static func step<T: FixedWidthInteger & UnsignedInteger>(_ h: UInt64, _ unit: T) -> UInt64 {
        (h ^ UInt64(unit)) &* prime
    }

    @inline(__always)
    static func hash<S: Sequence>(_ units: S) -> UInt64 where S.Element: FixedWidthInteger & UnsignedInteger {
        var h = basis
        for unit in units { h = step(h, unit) }
        return h
    }
}
