import CHashiICU

/// An ICU transliterator (`UTransliterator`), owned: closed in `deinit`.
///
/// `utrans_transUChars` does not modify the transliterator, so one instance
/// can serve several threads (ICU documents transliterators as thread-safe
/// for transliteration once built).
public final class Transliterator: @unchecked Sendable {
    /// Katakana to Latin (ICU's romanization, Hepburn-like with macrons: ファーウェイ → fāuei).
    public static let katakanaLatin = "Katakana-Latin"
    /// Hiragana to Latin.
    public static let hiraganaLatin = "Hiragana-Latin"
    /// Hiragana to Katakana.
    public static let hiraganaKatakana = "Hiragana-Katakana"
    /// Full-width forms to half-width forms (and half-width katakana the other way round).
    public static let fullwidthHalfwidth = "Fullwidth-Halfwidth"

    /// The ICU transform id the transliterator was opened with.
    public let id: String
    private let handle: OpaquePointer

    /// Opens the ICU transliterator `id`: a system transform id such as ``katakanaLatin``,
    /// or a compound one (`Any-Latin; Latin-ASCII`). Throws ``ICUError`` when ICU does
    /// not know the id or cannot open it.
    public init(_ id: String) throws(ICUError) {
        var status: Int32 = 0
        let opened = hashi_translit_open(id, &status)
        try status.check("opening transliterator \(id)")
        guard let opened else { throw ICUError(code: 1, operation: "opening transliterator \(id)") }
        self.handle = opened
        self.id = id
    }

    deinit { hashi_translit_close(handle) }

    /// Returns `text` transformed as a whole; the empty string stays empty.
    /// Throws ``ICUError`` when ICU fails.
    public func transliterate(_ text: String) throws(ICUError) -> String {
        let units = Array(text.utf16)
        if units.isEmpty { return "" }
        let result = try units.withUnsafeBufferPointer { src throws(ICUError) in
            try withResizingUTF16Buffer(initialCapacity: src.count * 4 + 16, operation: "transliterating with \(id)") {
                dest, capacity, status in
                hashi_translit_apply(handle, src.baseAddress, Int32(src.count), dest, capacity, &status)
            }
        }
        return String(decoding: result, as: UTF16.self)
    }
}
