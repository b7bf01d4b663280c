import HashiICU

/// One piece of input text (usually a line) in two forms: the original UTF-8
/// bytes and a normalized UTF-16 text (NFKC plus Hashi's katakana folding),
/// with maps that take every normalized position back to the original.
///
/// This is the only place where normalization happens, in the spirit of
/// sudachi.rs's `InputBuffer`: later stages work on `normalized` and report
/// offsets through `originalScalar(ofNormalized:)`.
///
/// Folding on top of NFKC (each maps one character to one, so offsets stay exact):
/// - long vowel variants (‐ ‑ ‒ – — ― − - －, half-width ｰ) right after a katakana
///   letter become ー (コンピュ－タ → コンピュータ);
/// - middle dot variants (· ‧ ∙ ⋅ ･) between katakana become ・.
/// NFKC itself folds half-width katakana (ﾌｧｰｳｪｲ → ファーウェイ), full-width Latin
/// and digits (ＡＩ → AI), and composes combining (semi-)voiced marks (ハ + ゛ → バ).
public final class TextBuffer {
    /// Original UTF-8 bytes of the piece.
    @exclusivity(unchecked) public private(set) var bytes: [UInt8] = []
    /// Original Unicode scalars.
    @exclusivity(unchecked) public private(set) var scalars: [UInt32] = []
    /// `scalarByteOffset[i]` is the byte offset of scalar `i`; one extra entry = `bytes.count`.
    @exclusivity(unchecked) public private(set) var scalarByteOffset: [Int32] = [0]
    /// Normalized text, UTF-16.
    @exclusivity(unchecked) public private(set) var normalized: [UInt16] = []
    /// `normalizedToScalar[k]` is the original scalar index that normalized unit `k`
    /// came from (the start of its normalization segment); one extra entry = `scalars.count`.
    @exclusivity(unchecked) public private(set) var normalizedToScalar: [Int32] = [0]

    @exclusivity(unchecked) private var segmentUnits: [UInt16] = []

    /// Creates an empty buffer. Each `load` replaces the contents and reuses the storage,
    /// so one buffer can serve every line of a document; not thread-safe.
    public init() {}

    /// Errors found while decoding UTF-8.
    public enum DecodingError: Error, Equatable {
        /// An invalid UTF-8 sequence at this byte offset of the piece.
        case invalidUTF8(offset: Int)
        /// A NUL byte (the input is probably binary) at this byte offset.
        case nulByte(offset: Int)
    }

    /// Loads a piece of UTF-8 text and normalizes it. Throws on invalid UTF-8 or NUL.
    public func load(_ utf8: UnsafeBufferPointer<UInt8>) throws(DecodingError) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: utf8)
        try decode()
        try? normalize()
    }

    /// Convenience for tests and small inputs.
    public func load(_ string: String) {
        var s = string
        s.withUTF8 { buffer in
            try? self.load(buffer)
        }
    }

    // MARK: Decoding

    private func decode() throws(DecodingError) {
        scalars.removeAll(keepingCapacity: true)
        scalarByteOffset.removeAll(keepingCapacity: true)
        let count = bytes.count
        try bytes.withUnsafeBufferPointer { (b) throws(DecodingError) in
            var i = 0
            while i < count {
                let b0 = UInt32(b[i])
                scalarByteOffset.append(Int32(i))
                if b0 < 0x80 {
                    if b0 == 0 { throw .nulByte(offset: i) }
                    scalars.append(b0)
                    i += 1
                    continue
                }
                var scalar: UInt32
                var need: Int
                var minimum: UInt32
                if b0 & 0xE0 == 0xC0 {
                    scalar = b0 & 0x1F; need = 1; minimum = 0x80
                } else if b0 & 0xF0 == 0xE0 {
                    scalar = b0 & 0x0F; need = 2; minimum = 0x800
                } else if b0 & 0xF8 == 0xF0 {
                    scalar = b0 & 0x07; need = 3; minimum = 0x10000
                } else {
                    throw .invalidUTF8(offset: i)
                }
                if i + need >= count { throw .invalidUTF8(offset: i) }
                for k in 1...need {
                    let bk = UInt32(b[i + k])
                    if bk & 0xC0 != 0x80 { throw .invalidUTF8(offset: i) }
                    scalar = (scalar << 6) | (bk & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar < 0xE000) {
                    throw .invalidUTF8(offset: i)
                }
                scalars.append(scalar)
                i += need + 1
            }
        }
        scalarByteOffset.append(Int32(count))
    }

    /// Decodes UTF-8 into UTF-16 (replacing `units`); throws on invalid input.
    static func decodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, into units: inout [UInt16]) throws(DecodingError) {
        units.removeAll(keepingCapacity: true)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): appendUTF16(scalar.value, to: &units); offset += 1
            case .emptyInput: break loop
            case .error: throw .invalidUTF8(offset: offset)
            }
        }
    }

    // MARK: Normalization

    /// Characters NFKC never changes and that never combine with a neighbour;
    /// checked here without calling ICU (most Japanese text).
    @inline(__always)
    static func quickInert(_ c: UInt32) -> Bool {
        if c < 0x80 { return true }
        if c >= 0x4E00 && c <= 0x9FFF { return true }
        if c >= 0x3041 && c <= 0x3096 { return true }
        if c >= 0x30A1 && c <= 0x30FC { return true }
        return c == 0x3001 || c == 0x3002 || (c >= 0x300C && c <= 0x300F)
    }

    @inline(__always)
    private static func boundaryBefore(_ c: UInt32) -> Bool {
        quickInert(c) || NFKC.hasBoundaryBefore(c)
    }

    private func normalize() throws(ICUError) {
        normalized.removeAll(keepingCapacity: true)
        normalizedToScalar.removeAll(keepingCapacity: true)
        let n = scalars.count
        var i = 0
        var previous: UInt32 = 0
        while i < n {
            let c = scalars[i]
            let nextBoundary = i + 1 == n || Self.boundaryBefore(scalars[i + 1])
            if nextBoundary && (Self.quickInert(c) || NFKC.isInert(c)) {
                let folded = fold(c, previous: previous, at: i + 1)
                append(folded, from: i)
                previous = folded
                i += 1
                continue
            }
            // Slow path: normalize the segment up to the next normalization boundary.
            var j = i + 1
            while j < n && !Self.boundaryBefore(scalars[j]) { j += 1 }
            segmentUnits.removeAll(keepingCapacity: true)
            for k in i..<j { appendUTF16(scalars[k], to: &segmentUnits) }
            let output = try segmentUnits.withUnsafeBufferPointer { src throws(ICUError) in try NFKC.normalize(src) }
            try output.withUnsafeBufferPointer { out throws(ICUError) in
                for scalar in ScalarSequence(out) {
                    let folded = fold(scalar, previous: previous, at: j)
                    append(folded, from: i)
                    previous = folded
                }
            }
            i = j
        }
        normalizedToScalar.append(Int32(n))
    }

    /// Hashi's folding on top of NFKC; `nextIndex` is the original index after `c`.
    @inline(__always)
    private func fold(_ c: UInt32, previous: UInt32, at nextIndex: Int) -> UInt32 {
        if c < 0x2D { return c }
        let afterKatakana = CharClass.isKatakanaLetter(previous) || CharClass.isProlongedSoundMark(previous)
        guard afterKatakana else { return c }
        if CharClass.isDashLike(c) {
            if c == 0x2D {
                // An ASCII hyphen before Latin or digits is a hyphen (ソニー-2), not a long vowel.
                if nextIndex < scalars.count {
                    let next = scalars[nextIndex]
                    if CharClass.isLatinLetter(next) || CharClass.isASCIIDigit(next) { return c }
                }
            }
            return 0x30FC
        }
        if CharClass.isDotLike(c) {
            if nextIndex < scalars.count {
                let next = scalars[nextIndex]
                // Katakana (full or half width) must follow for a dot to join names.
                if (next >= 0x30A1 && next <= 0x30FA) || (next >= 0xFF66 && next <= 0xFF9D) { return 0x30FB }
            }
        }
        return c
    }

    @inline(__always)
    private func append(_ scalar: UInt32, from original: Int) {
        if scalar < 0x10000 {
            normalized.append(UInt16(scalar))
            normalizedToScalar.append(Int32(original))
        } else {
            let v = scalar - 0x10000
            normalized.append(UInt16(0xD800 + (v >> 10)))
            normalized.append(UInt16(0xDC00 + (v & 0x3FF)))
            normalizedToScalar.append(Int32(original))
            normalizedToScalar.append(Int32(original))
        }
    }

    // MARK: Access

    /// True when a token may start at normalized unit `k`: it begins a new original
    /// scalar (not inside an NFKC expansion like ㍿ → 株式会社, nor a surrogate pair).
    @inline(__always)
    public func isCutAllowed(atNormalized k: Int) -> Bool {
        k == 0 || k == normalized.count || normalizedToScalar[k] != normalizedToScalar[k - 1]
    }

    /// The original text of normalized range `range`.
    public func originalString(normalized range: Range<Int>) -> String {
        let s = Int(normalizedToScalar[range.lowerBound]), e = Int(normalizedToScalar[range.upperBound])
        let b0 = Int(scalarByteOffset[s]), b1 = Int(scalarByteOffset[e])
        return String(decoding: bytes[b0..<b1], as: UTF8.self)
    }

    /// The normalized text of a range.
    public func normalizedString(_ range: Range<Int>) -> String {
        String(decoding: normalized[range], as: UTF16.self)
    }
}

@inline(__always)
func appendUTF16(_ scalar: UInt32, to units: inout [UInt16]) {
    if scalar < 0x10000 {
        units.append(UInt16(scalar))
    } else {
        let v = scalar - 0x10000
        units.append(UInt16(0xD800 + (v >> 10)))
        units.append(UInt16(0xDC00 + (v & 0x3FF)))
    }
}
