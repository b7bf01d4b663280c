import HashiICU

/// Romaji for kana tokens from ICU's transliterators (Katakana-Latin,
/// Hiragana-Latin: Hepburn-based, long vowels with macrons: ファーウェイ → fāuei),
/// cached per normalized form. Not thread-safe; one per writer.
public final class Romanizer {
    private let katakana: Transliterator
    private let hiragana: Transliterator
    private var cache: [String: String] = [:]

    /// Opens ICU's Katakana-Latin and Hiragana-Latin transliterators.
    /// - Throws: ``ICUError`` when ICU cannot open either of them.
    public init() throws(ICUError) {
        katakana = try Transliterator(Transliterator.katakanaLatin)
        hiragana = try Transliterator(Transliterator.hiraganaLatin)
    }

    /// Romaji of a normalized token, or nil when it is not all kana.
    public func romaji(_ normalized: String, script: ScriptClass) -> String? {
        guard script == .katakana || script == .hiragana else { return nil }
        if let hit = cache[normalized] { return hit }
        let text =
            script == .katakana
            ? (try? Self.inPieces(normalized, katakana)) : (try? Self.inPieces(normalized, hiragana))
        guard var text else { return nil }
        // ICU marks small kana with a tilde (ウェ → u~e); Hepburn writes no mark.
        text = text.replacingAll([("~", "")])
        if cache.count > 100_000 { cache.removeAll(keepingCapacity: true) }
        cache[normalized] = text
        return text
    }

    /// Romaji of any kana text (katakana and hiragana mixed).
    public func romaji(_ text: String) -> String {
        let step = (try? Self.inPieces(text, katakana)) ?? text
        return ((try? Self.inPieces(step, hiragana)) ?? step).replacingAll([("~", "")])
    }

    /// Longest text given to ICU at once, in scalars: its transliterators take time
    /// that grows with the square of the length (a megabyte of katakana would take
    /// minutes), so longer text goes in pieces.
    static let pieceLength = 256

    /// `text` transliterated in pieces of about ``pieceLength`` scalars, cut where
    /// no rule looks across the cut: before a full-size kana or a non-kana, not
    /// after ッ/っ (doubling), ン/ん (n') or before a small kana, ー or a
    /// combining mark. Text up to ``pieceLength`` goes whole (the same result).
    static func inPieces(_ text: String, _ transliterator: Transliterator) throws(ICUError) -> String {
        let scalars = Array(text.unicodeScalars.prefix(pieceLength + 1))
        guard scalars.count > pieceLength else { return try transliterator.transliterate(text) }
        let all = Array(text.unicodeScalars)
        var out = ""
        var start = 0
        while start < all.count {
            var cut = min(all.count, start + pieceLength)
            if cut < all.count {
                var k = cut
                while k > start + pieceLength / 2 && !isSafeCut(all[k - 1], all[k]) { k -= 1 }
                if k > start + pieceLength / 2 { cut = k }
            }
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: all[start..<cut])
            out += try transliterator.transliterate(String(piece))
            start = cut
        }
        return out
    }

    private static func isSafeCut(_ before: Unicode.Scalar, _ after: Unicode.Scalar) -> Bool {
        switch before.value {
        case 0x30C3, 0x3063, 0x30F3, 0x3093: return false  // ッ っ ン ん
        default: break
        }
        switch after.value {
        case 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,  // small katakana
            0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3083, 0x3085, 0x3087, 0x308E, 0x3095, 0x3096,  // small hiragana
            0x30FC, 0x3099...0x309C, 0x0300...0x036F:  // ー, (semi-)voiced marks, combining marks
            return false
        default:
            return after.properties.generalCategory != .nonspacingMark
        }
    }
}
