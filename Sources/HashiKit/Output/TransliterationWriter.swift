import Foundation

/// Lines of `hashi transliterate`: one JSON object per word, or a small text block.
public enum TransliterationWriter {
    /// `{"query": …, "romaji": …, "candidates": [{"en": …, "score": …}, …]}` and a newline;
    /// scores with 4 decimals, best first.
    public static func jsonLine(query: String, romaji: String, candidates: [TransliterationCandidate]) -> String {
        var out: [UInt8] = []
        out.append(contentsOf: Array(#"{"query": "#.utf8))
        JSON.appendQuoted(query, to: &out)
        out.append(contentsOf: Array(#", "romaji": "#.utf8))
        JSON.appendQuoted(romaji, to: &out)
        out.append(contentsOf: Array(#", "candidates": ["#.utf8))
        for (k, c) in candidates.enumerated() {
            if k > 0 { out.append(contentsOf: Array(", ".utf8)) }
            out.append(contentsOf: Array(#"{"en": "#.utf8))
            JSON.appendQuoted(c.english, to: &out)
            out.append(contentsOf: Array(#", "score": \#(format(c.score))}"#.utf8))
        }
        out.append(contentsOf: Array("]}\n".utf8))
        return String(decoding: out, as: UTF8.self)
    }

    /// The text block for one word: a header with the romaji, then one candidate a line.
    public static func textBlock(query: String, romaji: String, candidates: [TransliterationCandidate]) -> String {
        var text = "\(query)  [\(romaji)]  English guesses (from the sound, not a dictionary):\n"
        if candidates.isEmpty { text += "  (none)\n" }
        let width = candidates.map(\.english.count).max() ?? 0
        for (k, c) in candidates.enumerated() {
            let pad = String(repeating: " ", count: width - c.english.count)
            text += "  \(k + 1). \(c.english)\(pad)  \(format(c.score))\n"
        }
        return text
    }

    static func format(_ score: Double) -> String { String(format: "%.4f", score) }
}
