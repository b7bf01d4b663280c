/// The words the segmenter consults to split katakana compounds (short units)
/// and to join dictionary terms that span several short units (long units).
///
/// Keys are normalized text (see ``TextBuffer``); lookups take UTF-16 slices of
/// the normalized buffer and allocate nothing.
public struct SegmentationLexicon: Sendable {
    private struct Entry: Sendable {
        var units: [UInt16]
        var cost: Int32
    }
    private var buckets: [UInt64: [Entry]] = [:]
    /// Cost given to words without one (curated dictionary terms): a common word.
    public static let defaultCost: Int32 = -3000
    /// Longest word, in UTF-16 units.
    public private(set) var maxLength = 0
    public private(set) var count = 0

    public init() {}

    /// Builds a lexicon from surface forms; each is normalized first.
    public init<S: Sequence>(words: S) where S.Element == String {
        let buffer = TextBuffer()
        for word in words {
            buffer.load(word)
            insertNormalized(buffer.normalized, cost: Self.defaultCost)
        }
    }

    /// Adds a word with a cost (lower is more common, as in MeCab/UniDic word costs).
    public mutating func insert(_ word: String, cost: Int32) {
        let buffer = TextBuffer()
        buffer.load(word)
        insertNormalized(buffer.normalized, cost: cost)
    }

    /// Adds a word already in normalized form; a word added twice keeps its lower cost.
    public mutating func insertNormalized(_ units: [UInt16], cost: Int32 = SegmentationLexicon.defaultCost) {
        guard !units.isEmpty else { return }
        let h = units.withUnsafeBufferPointer { Self.hash($0) }
        if let existing = buckets[h], let k = existing.firstIndex(where: { $0.units == units }) {
            buckets[h]![k].cost = min(existing[k].cost, cost)
            return
        }
        buckets[h, default: []].append(Entry(units: units, cost: cost))
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
        cost(of: units) != nil
    }

    /// The word's cost, or nil when the lexicon does not have it.
    @inline(__always)
    func cost(of units: UnsafeBufferPointer<UInt16>) -> Int32? {
        if units.count > maxLength || units.isEmpty { return nil }
        guard let bucket = buckets[Self.hash(units)] else { return nil }
        for candidate in bucket where candidate.units.count == units.count {
            if candidate.units.withUnsafeBufferPointer({ $0.elementsEqual(units) }) { return candidate.cost }
        }
        return nil
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
