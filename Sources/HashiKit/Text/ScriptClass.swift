/// The script class of a token, from its normalized characters.
public enum ScriptClass: UInt8, Sendable, CaseIterable, CustomStringConvertible, Codable {
    /// A token's class is the one all its characters share, or `mixed` when they differ
    /// (H100, 5nm, AIチップ); `symbol` covers punctuation and any other character, and
    /// `space` whitespace and line breaks.
    case kanji, hiragana, katakana, latin, digit, mixed, symbol, space

    /// The lowercase case name (`katakana`, `latin`, ...), as the TSV and JSON Lines token outputs write it.
    public var description: String {
        switch self {
        case .kanji: "kanji"
        case .hiragana: "hiragana"
        case .katakana: "katakana"
        case .latin: "latin"
        case .digit: "digit"
        case .mixed: "mixed"
        case .symbol: "symbol"
        case .space: "space"
        }
    }
}

/// Character classes used by segmentation repairs and script classification.
/// All functions take Unicode scalar values of *normalized* text.
public enum CharClass {
    /// A katakana letter that can be part of a katakana word: ァ..ヺ (incl. ヴ, small kana),
    /// the iteration marks ヽヾ, and the small katakana extensions ㇰ..ㇿ. Not ・ and not ー.
    @inline(__always)
    public static func isKatakanaLetter(_ c: UInt32) -> Bool {
        (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FD || c == 0x30FE || (c >= 0x31F0 && c <= 0x31FF)
    }

    /// The long vowel mark ー (after normalization every variant is U+30FC).
    @inline(__always)
    public static func isProlongedSoundMark(_ c: UInt32) -> Bool { c == 0x30FC }

    /// The katakana middle dot ・ (after normalization).
    @inline(__always)
    public static func isMiddleDot(_ c: UInt32) -> Bool { c == 0x30FB }

    /// A hiragana letter ぁ..ゖ, the iteration marks ゝ ゞ, or the digraph ゟ.
    @inline(__always)
    public static func isHiragana(_ c: UInt32) -> Bool {
        (c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E || c == 0x309F
    }

    /// A CJK ideograph (unified, extension A, compatibility, and planes 2–3) or one of 々 〆 〇 〻.
    @inline(__always)
    public static func isKanji(_ c: UInt32) -> Bool {
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF)
            || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005 || c == 0x3006 || c == 0x3007 || c == 0x303B
    }

    /// An ASCII digit 0–9 (full-width digits are ASCII after normalization).
    @inline(__always)
    public static func isASCIIDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    /// A Latin letter: ASCII, the Latin-1 and Latin Extended-A/B letters (not × or ÷),
    /// or Latin Extended Additional (ạ, ế, ...).
    @inline(__always)
    public static func isLatinLetter(_ c: UInt32) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
            || (c >= 0x1E00 && c <= 0x1EFF)
    }

    /// Whitespace or a line break: ASCII blanks and line ends, NEL, the no-break spaces
    /// U+00A0 and U+202F, U+2000–U+200B, U+205F, the line and paragraph separators,
    /// the ideographic space U+3000 and U+FEFF.
    @inline(__always)
    public static func isSpace(_ c: UInt32) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C || c == 0x3000 || c == 0xA0
            || c == 0x85 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
            || c == 0xFEFF
    }

    /// Variants of the long vowel mark that normalization folds to ー when they follow a katakana letter.
    @inline(__always)
    static func isDashLike(_ c: UInt32) -> Bool {
        c == 0x2D || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFF0D || c == 0xFF70 || c == 0x30FC
            || c == 0x2500 || c == 0x2501
    }

    /// Variants of the middle dot that normalization folds to ・ between katakana words.
    @inline(__always)
    static func isDotLike(_ c: UInt32) -> Bool {
        c == 0xB7 || c == 0x2027 || c == 0x2219 || c == 0x22C5 || c == 0x30FB || c == 0xFF65 || c == 0x2E31
            || c == 0x0387
    }

    /// The class of one normalized scalar.
    @inline(__always)
    static func scriptOf(_ c: UInt32) -> ScriptClass {
        if c < 0x80 {
            if isASCIIDigit(c) { return .digit }
            if isLatinLetter(c) { return .latin }
            if isSpace(c) { return .space }
            return .symbol
        }
        if isKatakanaLetter(c) || isProlongedSoundMark(c) { return .katakana }
        if isHiragana(c) { return .hiragana }
        if isKanji(c) { return .kanji }
        if isLatinLetter(c) { return .latin }
        if isSpace(c) { return .space }
        if c == 0x3099 || c == 0x309A { return .katakana }
        return .symbol
    }

    /// The class of a token from its normalized UTF-16 units: the class shared by all
    /// its characters, or `.mixed` (H100, 5nm, AIチップ). A ー inside a hiragana word
    /// (らーめん) does not make it mixed.
    static func scriptOf(units: UnsafeBufferPointer<UInt16>) -> ScriptClass {
        var result: ScriptClass? = nil
        var katakanaLetter = false
        for scalar in ScalarSequence(units) {
            let cls = scriptOf(scalar)
            if isProlongedSoundMark(scalar), result == .hiragana { continue }
            if isKatakanaLetter(scalar) { katakanaLetter = true }
            if let current = result {
                if current != cls { return .mixed }
            } else {
                result = cls
            }
        }
        // A ー with no katakana letter (a dash) is a symbol.
        if result == .katakana && !katakanaLetter { return .symbol }
        return result ?? .symbol
    }

    /// Whether `word` is all katakana letters, long vowel marks (ー) and middle dots (・), and not empty.
    public static func isKatakanaWord(_ word: String) -> Bool {
        !word.isEmpty
            && word.unicodeScalars.allSatisfy {
                CharClass.isKatakanaLetter($0.value) || $0.value == 0x30FC || $0.value == 0x30FB
            }
    }

    /// Kana, kanji and the iteration mark.
    public static func isJapaneseScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3005, 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F: true
        default: false
        }
    }
}

/// Iterates the Unicode scalars of a UTF-16 buffer (lone surrogates become U+FFFD).
struct ScalarSequence: Sequence, IteratorProtocol {
    let units: UnsafeBufferPointer<UInt16>
    var index = 0

    init(_ units: UnsafeBufferPointer<UInt16>) { self.units = units }

    mutating func next() -> UInt32? {
        guard index < units.count else { return nil }
        let u = UInt32(units[index])
        index += 1
        if u >= 0xD800 && u < 0xDC00 && index < units.count {
            let l = UInt32(units[index])
            if l >= 0xDC00 && l < 0xE000 {
                index += 1
                return 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00)
            }
        }
        if u >= 0xD800 && u < 0xE000 { return 0xFFFD }
        return u
    }
}
