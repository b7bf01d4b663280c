import Foundation
import HashiICU

/// The encoding of an input: UTF-8 (streamed) or a charset converted with ICU.
public enum TextEncoding: Equatable, Sendable, CustomStringConvertible {
    case utf8
    /// An ICU converter name ("windows-31j", "EUC-JP", "ISO-2022-JP", "UTF-16LE", ...).
    case icu(String)

    /// Parses a user-supplied name. `auto` → nil (detect).
    public static func named(_ name: String) throws(InputError) -> TextEncoding? {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "auto", "": return nil
        case "utf-8", "utf8": return .utf8
        case "shift-jis", "sjis", "cp932", "windows-31j", "ms932", "shiftjis", "x-sjis": return .icu("windows-31j")
        case "euc-jp", "eucjp", "ujis": return .icu("EUC-JP")
        case "iso-2022-jp", "jis", "iso2022jp": return .icu("ISO-2022-JP")
        case "utf-16": return .icu("UTF-16")
        case "utf-16le": return .icu("UTF-16LE")
        case "utf-16be": return .icu("UTF-16BE")
        default:
            if Charset.exists(name) { return .icu(name) }
            throw .unknownEncoding(name: name)
        }
    }

    /// The encoding's name for messages: `UTF-8`, `Shift_JIS (CP932)`, or the ICU converter name.
    public var description: String {
        switch self {
        case .utf8: "UTF-8"
        case .icu(let name): name == "windows-31j" ? "Shift_JIS (CP932)" : name
        }
    }
}

/// Encoding detection on the first bytes of a document.
enum EncodingSniffer {
    enum Verdict: Equatable {
        case utf8(bomLength: Int)
        case convert(TextEncoding, bomLength: Int)
        case binary(offset: Int)
        case undetectable(offset: Int, guess: String?)
    }

    /// Decides from a prefix of the document (`isComplete` when it is the whole document).
    static func sniff(_ prefix: UnsafeRawBufferPointer, isComplete: Bool) -> Verdict {
        let b = prefix.bindMemory(to: UInt8.self)
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { return .utf8(bomLength: 3) }
        if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return .convert(.icu("UTF-16LE"), bomLength: 2) }
        if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return .convert(.icu("UTF-16BE"), bomLength: 2) }
        if let nul = b.firstIndex(of: 0) { return .binary(offset: nul) }
        // ISO-2022-JP is 7-bit: look for its escape sequences.
        var i = 0
        while i + 2 < b.count {
            if b[i] == 0x1B
                && ((b[i + 1] == 0x24 && (b[i + 2] == 0x42 || b[i + 2] == 0x40))
                    || (b[i + 1] == 0x28 && (b[i + 2] == 0x4A || b[i + 2] == 0x42 || b[i + 2] == 0x49)))
            {
                return .convert(.icu("ISO-2022-JP"), bomLength: 0)
            }
            i += 1
        }
        guard let bad = firstInvalidUTF8(b, isComplete: isComplete) else { return .utf8(bomLength: 0) }
        // Not UTF-8: ask ICU, and accept only the Japanese legacy encodings,
        // confirmed by a strict conversion of the prefix.
        let guess = try? Charset.detect(prefix)
        var candidates: [String] = []
        if let name = guess?.name {
            switch name {
            case "Shift_JIS": candidates.append("windows-31j")
            case "EUC-JP": candidates.append("EUC-JP")
            case "ISO-2022-JP": candidates.append("ISO-2022-JP")
            default: break
            }
        }
        for fallback in ["windows-31j", "EUC-JP"] where !candidates.contains(fallback) { candidates.append(fallback) }
        // Do not judge a truncated multibyte character at the end of the prefix.
        let probe = isComplete ? prefix : UnsafeRawBufferPointer(rebasing: prefix[0..<max(0, prefix.count - 4)])
        // ICU's detector is unreliable on short text (EUC-JP kanji are valid Shift_JIS
        // half-width katakana): every candidate is decoded strictly, and the one giving
        // the most kana and kanji wins (ICU's guess first among equals).
        var best: (charset: String, score: Int)?
        for candidate in candidates {
            guard let units = try? Charset.toUTF16(probe, from: candidate), let score = japaneseScore(units) else { continue }
            if score > best?.score ?? 0 { best = (candidate, score) }
        }
        if let best { return .convert(.icu(best.charset), bomLength: 0) }
        return .undetectable(offset: bad, guess: guess.map { "\($0.name), confidence \($0.confidence)" })
    }

    /// How much Japanese a decoded text holds: its kana, kanji and full-width
    /// characters (half-width katakana do not count: they are what the wrong
    /// legacy encoding makes of the other's bytes), or nil when it is not Japanese
    /// (none, or other non-ASCII characters more than a quarter as many).
    static func japaneseScore(_ units: [UInt16]) -> Int? {
        var japanese = 0, other = 0
        for u in units where u >= 0x80 {
            if (u >= 0x3040 && u <= 0x30FF) || (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0xFF00 && u <= 0xFF60)
                || (u >= 0x3000 && u < 0x3040)
            {
                japanese += 1
            } else if u >= 0xFF61 && u <= 0xFF9F {
                continue
            } else {
                other += 1
            }
        }
        return japanese > 0 && japanese >= other * 4 ? japanese : nil
    }

    /// Offset of the first byte that is not valid UTF-8, or nil. A sequence cut off by
    /// the end of an incomplete prefix is not an error.
    static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need: Int
            if c & 0xE0 == 0xC0 && c >= 0xC2 {
                need = 1
            } else if c & 0xF0 == 0xE0 {
                need = 2
            } else if c & 0xF8 == 0xF0 && c <= 0xF4 {
                need = 3
            } else {
                return i
            }
            if i + need >= n { return isComplete ? i : nil }
            for k in 1...need where b[i + k] & 0xC0 != 0x80 { return i }
            i += need + 1
        }
        return nil
    }
}
