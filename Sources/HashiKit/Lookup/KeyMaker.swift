/// Computes ``MatchKey`` keys of UTF-8 text into reused buffers, with a fast
/// path for text that NFKC leaves alone. Not thread-safe.
final class KeyMaker {
    /// The key made last.
    @exclusivity(unchecked) private(set) var key: [UInt16] = []
    @exclusivity(unchecked) private var keyMap: [Int32] = []
    @exclusivity(unchecked) private var scratch: [UInt16] = []
    private let buffer = TextBuffer()

    /// The match key of UTF-8 text into `key`, the same as ``MatchKey/of(_:)``.
    /// Text of ASCII, kana and common kanji only (nearly every form) is not
    /// changed by NFKC, so it is folded directly; anything else goes through
    /// ``TextBuffer``.
    func make(_ utf8: UnsafeBufferPointer<UInt8>) {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        let n = utf8.count
        var inert = true
        while i < n {
            let b0 = UInt32(utf8[i])
            var c: UInt32
            if b0 < 0x80 {
                c = b0; i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < n {
                c = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F); i += 2
            } else if b0 & 0xF0 == 0xE0, i + 2 < n {
                c = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); i += 3
            } else {
                inert = false; break
            }
            guard c != 0, TextBuffer.quickInert(c) else { inert = false; break }
            scratch.append(UInt16(c))
        }
        if inert {
            // TextBuffer's one fold that applies here: an ASCII hyphen after katakana is a
            // long vowel mark unless Latin or a digit follows (ソニー-2).
            for k in 1..<max(1, scratch.count) where scratch[k] == 0x2D {
                let previous = UInt32(scratch[k - 1])
                guard CharClass.isKatakanaLetter(previous) || CharClass.isProlongedSoundMark(previous) else { continue }
                if k + 1 < scratch.count {
                    let next = UInt32(scratch[k + 1])
                    if CharClass.isLatinLetter(next) || CharClass.isASCIIDigit(next) { continue }
                }
                scratch[k] = 0x30FC
            }
            scratch.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &keyMap) }
        } else {
            do {
                try buffer.load(utf8)
                buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &keyMap) }
            } catch {
                key.removeAll(keepingCapacity: true)  // invalid UTF-8 or NUL: matches nothing
            }
        }
    }

    /// The key of a string.
    func key(of text: String) -> [UInt16] {
        var text = text
        text.withUTF8 { make($0) }
        return key
    }
}
