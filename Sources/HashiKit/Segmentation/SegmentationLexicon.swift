/// The words the segmenter consults to split katakana compounds (short units)
/// and to join dictionary terms that span several short units (long units).
///
/// Keys are normalized text (see ``TextBuffer``); lookups take UTF-16 slices of
/// the normalized buffer and allocate nothing.
public struct SegmentationLexicon: Sendable {
    private var buckets: [UInt64: [[UInt16]]] = [:]
    /// Longest word, in UTF-16 units.
    public private(set) var maxLength = 0
    public private(set) var count = 0

    public init() {}

    /// Builds a lexicon from surface forms; each is normalized first.
    public init<S: Sequence>(words: S) where S.Element == String {
        let buffer = TextBuffer()
        for word in words {
            buffer.load(word)
            insertNormalized(buffer.normalized)
        }
    }

    /// Adds a word already in normalized form.
    public mutating func insertNormalized(_ units: [UInt16]) {
        guard !units.isEmpty else { return }
        let h = units.withUnsafeBufferPointer { Self.hash($0) }
        if let existing = buckets[h], existing.contains(units) { return }
        buckets[h, default: []].append(units)
        maxLength = max(maxLength, units.count)
        count += 1
    }

    public func contains(_ word: String) -> Bool {
        let buffer = TextBuffer()
        buffer.load(word)
        return buffer.normalized.withUnsafeBufferPointer { contains($0) }
    }

    @inline(__always)
    func contains(_ units: UnsafeBufferPointer<UInt16>) -> Bool {
        if units.count > maxLength || units.isEmpty { return false }
        guard let bucket = buckets[Self.hash(units)] else { return false }
        for candidate in bucket where candidate.count == units.count {
            if candidate.withUnsafeBufferPointer({ $0.elementsEqual(units) }) { return true }
        }
        return false
    }

    /// FNV-1a over the units.
    @inline(__always)
    static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for u in units {
            h ^= UInt64(u)
            h &*= 0x100_0000_01b3
        }
        return h
    }
}
