/// Optimal-string-alignment (restricted Damerau–Levenshtein) distance between
/// two strings of code units, giving up above `limit` (then `limit + 1`); `rows`
/// is scratch memory reused between calls. The typo rules of linking and of
/// look-up both use it.
func boundedDamerau<T: Equatable>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, limit: Int, rows: inout [Int]) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    let n = a.count, m = b.count
    if n == 0 || m == 0 { return max(n, m) }
    let width = m + 1
    if rows.count < 3 * width { rows = [Int](repeating: 0, count: 3 * width) }
    return rows.withUnsafeMutableBufferPointer { r in
        // Three rows: i - 2, i - 1, i (rotating offsets).
        var prev2 = 0, prev = width, current = 2 * width
        for j in 0...m { r[prev + j] = j }
        for i in 1...n {
            r[current] = i
            var rowMin = i
            let ai = a[i - 1]
            for j in 1...m {
                let cost = ai == b[j - 1] ? 0 : 1
                var v = min(r[prev + j] + 1, r[current + j - 1] + 1, r[prev + j - 1] + cost)
                if i > 1 && j > 1 && ai == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, r[prev2 + j - 2] + 1) }
                r[current + j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prev2, prev, current) = (prev, current, prev2)
        }
        return r[prev + m]
    }
}

/// The typo rule for Latin names, shared by linking (``EntityLexicon``) and
/// look-up: keys of 5 letters or more, within 1 edit (5–9 letters) or 2 (10 or
/// more), and one of the first two letters kept (a typo rarely changes both).
enum LatinTypoRule {
    /// The largest distance allowed for a key of `length` letters; nil below 5.
    @inline(__always)
    static func limit(forLength length: Int) -> Int? {
        length >= 5 ? (length >= 10 ? 2 : 1) : nil
    }

    /// Whether a candidate starting `c0 c1` may be a typo of a key starting `k0 k1`.
    @inline(__always)
    static func keepsHead<T: Equatable>(_ k0: T, _ k1: T, _ c0: T, _ c1: T) -> Bool { k0 == c0 || k1 == c1 }
}
