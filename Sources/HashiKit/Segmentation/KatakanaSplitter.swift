/// Splits a katakana compound into the words a lexicon knows, when the cheapest
/// cover (sum of word costs plus a join penalty per extra piece, as in MeCab's
/// lattice with flat connection costs) is cheaper than one unknown word.
struct KatakanaSplitter {
    let lexicon: SegmentationLexicon
    private var dp: [Int64] = []
    private var back: [Int32] = []

    init(lexicon: SegmentationLexicon) {
        self.lexicon = lexicon
    }

    /// Cost of a katakana word no lexicon knows (UniDic's unknown-katakana noun cost).
    static let unknownKatakanaCost: Int64 = 5000
    /// Penalty for each boundary inside a split katakana word.
    /// (Chosen on the UD Japanese-GSD dev set together with the proper-noun penalty.)
    static let joinPenalty: Int64 = 4000

    /// The cheapest cover of a katakana word by lexicon words of 2+ units: the end
    /// offsets of the pieces (relative to the word), or nil when keeping it whole
    /// is cheaper or the lexicon knows it whole.
    mutating func split(_ u: UnsafeBufferPointer<UInt16>) -> [Int32]? {
        let s = 0, n = u.count
        let maxLength = min(lexicon.maxLength, n - 1)
        if maxLength < 2 { return nil }
        if lexicon.contains(UnsafeBufferPointer(rebasing: u[s..<(s + n)])) { return nil }
        dp.removeAll(keepingCapacity: true)
        back.removeAll(keepingCapacity: true)
        dp.append(contentsOf: repeatElement(Int64.max, count: n + 1))
        back.append(contentsOf: repeatElement(-1, count: n + 1))
        dp[0] = 0
        for i in 0..<n where dp[i] != Int64.max {
            // A piece cannot start with ー or a small kana.
            let first = UInt32(u[s + i])
            if first == 0x30FC || Segmenter.isSmallKana(first) { continue }
            var l = 2
            while l <= maxLength && i + l <= n {
                let piece = UnsafeBufferPointer(rebasing: u[(s + i)..<(s + i + l)])
                if let cost = lexicon.cost(of: piece) {
                    let total = dp[i] + Int64(cost) + (i > 0 ? Self.joinPenalty : 0)
                    if total < dp[i + l] {
                        dp[i + l] = total
                        back[i + l] = Int32(i)
                    }
                }
                l += 1
            }
        }
        guard dp[n] != Int64.max && dp[n] < Self.unknownKatakanaCost else { return nil }
        var ends: [Int32] = []
        var p = n
        while p > 0 {
            ends.append(Int32(s + p))
            p = Int(back[p])
        }
        return ends.reversed()
    }

}
