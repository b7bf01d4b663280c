import HashiICU

/// Romaji for kana tokens from ICU's transliterators (Katakana-Latin,
/// Hiragana-Latin: Hepburn-based, long vowels with macrons: ファーウェイ → fāuei),
/// cached per normalized form. Not thread-safe; one per writer.
public final class Romanizer {
    private let katakana: Transliterator
    private let hiragana: Transliterator
    private var cache: [String: String] = [:]

    public init() throws(ICUError) {
        katakana = try Transliterator(Transliterator.katakanaLatin)
        hiragana = try Transliterator(Transliterator.hiraganaLatin)
    }

    /// Romaji of a normalized token, or nil when it is not all kana.
    public func romaji(_ normalized: String, script: ScriptClass) -> String? {
        guard script == .katakana || script == .hiragana else { return nil }
        if let hit = cache[normalized] { return hit }
        let text = script == .katakana
            ? (try? katakana.transliterate(normalized)) : (try? hiragana.transliterate(normalized))
        guard var text else { return nil }
        // ICU marks small kana with a tilde (ウェ → u~e); Hepburn writes no mark.
        text = text.replacingAll([("~", "")])
        if cache.count > 100_000 { cache.removeAll(keepingCapacity: true) }
        cache[normalized] = text
        return text
    }

    /// Romaji of any kana text (katakana and hiragana mixed).
    public func romaji(_ text: String) -> String {
        let step = (try? katakana.transliterate(text)) ?? text
        return ((try? hiragana.transliterate(step)) ?? step).replacingAll([("~", "")])
    }
}
