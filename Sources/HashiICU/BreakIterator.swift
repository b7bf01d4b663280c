import CHashiICU

/// An ICU break iterator (`UBreakIterator`), owned: closed in `deinit`.
///
/// Not thread-safe: ICU break iterators keep their position. Use one per
/// thread; `clone()` is much cheaper than opening a new one (the compiled
/// rules and the CJK dictionary are shared).
public final class BreakIterator {
    /// What the iterator finds the boundaries of: grapheme clusters, words, line-break opportunities or sentences.
    public enum Kind: Sendable {
        case character, word, line, sentence

        var cValue: hashi_break_kind {
            switch self {
            case .character: HASHI_BREAK_CHARACTER
            case .word: HASHI_BREAK_WORD
            case .line: HASHI_BREAK_LINE
            case .sentence: HASHI_BREAK_SENTENCE
            }
        }
    }

    /// What the iterator finds the boundaries of.
    public let kind: Kind
    /// The ICU locale id whose break rules the iterator uses.
    public let locale: String
    private let handle: OpaquePointer
    private var boundaryBuffer: [Int32] = []
    private var statusBuffer: [Int32] = []

    /// Opens a new iterator of `kind` for `locale` (an ICU locale id; default `ja`).
    ///
    /// Opening loads the rules and, for words, the CJK dictionary, which takes
    /// milliseconds: for more iterators of the same kind, ``clone()`` this one.
    /// Throws ``ICUError`` when ICU cannot open it.
    public init(_ kind: Kind, locale: String = "ja") throws(ICUError) {
        var status: Int32 = 0
        let opened = hashi_breaker_open(kind.cValue, locale, &status)
        try status.check("opening the \(kind) break iterator for locale \(locale)")
        guard let opened else { throw ICUError(code: 7, operation: "opening a break iterator") }
        self.handle = opened
        self.kind = kind
        self.locale = locale
    }

    private init(handle: OpaquePointer, kind: Kind, locale: String) {
        self.handle = handle
        self.kind = kind
        self.locale = locale
    }

    deinit { hashi_breaker_close(handle) }

    /// A new iterator with the same rules, for use on another thread.
    public func clone() throws(ICUError) -> BreakIterator {
        var status: Int32 = 0
        let cloned = hashi_breaker_clone(handle, &status)
        try status.check("cloning a break iterator")
        guard let cloned else { throw ICUError(code: 7, operation: "cloning a break iterator") }
        return BreakIterator(handle: cloned, kind: kind, locale: locale)
    }

    /// The boundaries of `text` after 0, in UTF-16 offsets; the last is `text.count`.
    /// `ruleStatus[i]` is ICU's rule status for the segment ending at boundary `i`
    /// (for words: 0 none, 100 number, 200 letter, 300 kana, 400 ideographic).
    public func boundaries(
        in text: UnsafeBufferPointer<UInt16>
    ) throws(ICUError) -> (boundaries: ArraySlice<Int32>, ruleStatus: ArraySlice<Int32>) {
        let needed = text.count + 1
        if boundaryBuffer.count < needed {
            boundaryBuffer = [Int32](repeating: 0, count: needed)
            statusBuffer = [Int32](repeating: 0, count: needed)
        }
        var status: Int32 = 0
        let count = boundaryBuffer.withUnsafeMutableBufferPointer { bounds in
            statusBuffer.withUnsafeMutableBufferPointer { rules in
                hashi_breaker_boundaries(
                    handle, text.baseAddress, Int32(text.count),
                    bounds.baseAddress, rules.baseAddress, Int32(needed), &status)
            }
        }
        try status.check("breaking text into \(kind) segments")
        let n = Int(max(count, 0))
        return (boundaryBuffer[0..<n], statusBuffer[0..<n])
    }

    /// Convenience for small inputs: the segments of `string`.
    public func segments(of string: String) throws(ICUError) -> [String] {
        let units = Array(string.utf16)
        let found = try units.withUnsafeBufferPointer { buffer throws(ICUError) in
            try boundaries(in: buffer).boundaries
        }
        var result: [String] = []
        var start = 0
        for end in found {
            result.append(String(decoding: units[start..<Int(end)], as: UTF16.self))
            start = Int(end)
        }
        return result
    }
}
