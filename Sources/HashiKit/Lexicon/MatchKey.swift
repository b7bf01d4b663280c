/// The normalized match key that makes spelling variants meet.
///
/// On top of ``TextBuffer``'s normalization (NFKC, long-vowel and middle-dot
/// folding): ・ and spaces (and `-` `.` `_` between Latin letters) are dropped,
/// a ー that ends a katakana word is dropped (コンピューター = コンピュータ),
/// ヴァ ヴィ ヴ ヴェ ヴォ become バ ビ ブ ベ ボ, small vowels become large
/// (ウェ = ウエ, ティ = テイ), ヵ ヶ ヮ become カ ケ ワ, and Latin letters are
/// lowercased (Harmony OS = HarmonyOS = harmonyos).
public enum MatchKey {
    /// The key of a string (any form: it is normalized first).
    public static func of(_ text: String) -> String {
        let buffer = TextBuffer()
        buffer.load(text)
        var key: [UInt16] = []
        var map: [Int32] = []
        buffer.normalized.withUnsafeBufferPointer { fold($0, into: &key, map: &map) }
        return String(decoding: key, as: UTF16.self)
    }

    /// Whether a normalized unit is a separator the key drops: ・, spaces and line
    /// breaks, and `-` `.` `_` (inside Latin names: Wi-Fi, GPT-4o, Node.js).
    @inline(__always)
    static func isSeparator(_ c: UInt16) -> Bool {
        switch c {
        case 0x30FB, 0x20, 0x3000, 0x09, 0x0A, 0x0D, 0x2D, 0x2E, 0x5F: return true
        default: return false
        }
    }

    /// Folds normalized units into key units; `map[k]` is the normalized index of key unit `k`.
    static func fold(_ u: UnsafeBufferPointer<UInt16>, into key: inout [UInt16], map: inout [Int32]) {
        key.removeAll(keepingCapacity: true)
        map.removeAll(keepingCapacity: true)
        var i = 0
        let n = u.count
        while i < n {
            let c = u[i]
            var out: UInt16 = c
            var consumed = 1
            if isSeparator(c) {
                i += 1
                continue
            }
            switch c {
            case 0x30FC:
                // A ー that ends a katakana word is optional.
                let next = i + 1 < n ? UInt32(u[i + 1]) : 0
                if !(CharClass.isKatakanaLetter(next) || next == 0x30FC) { i += 1; continue }
            case 0x30F4:  // ヴ
                let next = i + 1 < n ? u[i + 1] : 0
                switch next {
                case 0x30A1, 0x30A2: out = 0x30D0; consumed = 2  // ヴァ → バ
                case 0x30A3, 0x30A4: out = 0x30D3; consumed = 2  // ヴィ → ビ
                case 0x30A7, 0x30A8: out = 0x30D9; consumed = 2  // ヴェ → ベ
                case 0x30A9, 0x30AA: out = 0x30DC; consumed = 2  // ヴォ → ボ
                case 0x30A5: out = 0x30D6; consumed = 2  // ヴゥ → ブ
                default: out = 0x30D6  // ヴ → ブ
                }
            case 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9: out = c + 1  // ァィゥェォ → アイウエオ
            case 0x30F5: out = 0x30AB  // ヵ → カ
            case 0x30F6: out = 0x30B1  // ヶ → ケ
            case 0x30EE: out = 0x30EF  // ヮ → ワ
            case 0x41...0x5A: out = c + 0x20
            default: break
            }
            key.append(out)
            map.append(Int32(i))
            i += consumed
        }
    }
}
