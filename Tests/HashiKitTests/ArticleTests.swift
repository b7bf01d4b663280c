import Foundation
import Testing

@testable import HashiKit

/// The user's article (read from ../shared, never copied into the repository).
@Suite("The user's article")
struct ArticleTests {
    static var article: String? { try? String(contentsOfFile: TestPaths.sharedArticle, encoding: .utf8) }

    /// Every maximal katakana run (katakana letters and ー, not starting with ー),
    /// found independently of the segmenter; a lone カ/ケ between a number or kanji
    /// and a kanji is a counter (60カ国), not a word.
    static func katakanaRuns(_ text: String) -> [(Int, Int, String)] {
        var runs: [(Int, Int, String)] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            if (0x30A1...0x30FA).contains(v) {
                var j = i + 1
                while j < scalars.count && ((0x30A1...0x30FA).contains(scalars[j].value) || scalars[j].value == 0x30FC) { j += 1 }
                let isKanjiOrDigit: (Int) -> Bool = { k in
                    k >= 0 && k < scalars.count && (scalars[k].properties.isIdeographic || ("0"..."9").contains(scalars[k]))
                }
                let counter =
                    j == i + 1 && (v == 0x30AB || v == 0x30B1) && isKanjiOrDigit(i - 1)
                    && j < scalars.count && scalars[j].properties.isIdeographic
                if !counter { runs.append((i, j, String(String.UnicodeScalarView(scalars[i..<j])))) }
                i = j
            } else {
                i += 1
            }
        }
        return runs
    }

    @Test(.enabled(if: article != nil, "needs ../shared/corpora"))
    func everyKatakanaWordIsWhole() throws {
        let text = try #require(Self.article)
        let runs = Self.katakanaRuns(text)
        #expect(runs.count >= 184)
        // Long units: a katakana word is a token or a part of a ・ compound.
        let tokens = try Tokenizer.builtin(unit: .long).tokens(in: text)
        var spans = Set<[Int]>()
        for token in tokens {
            spans.insert([token.start, token.end])
            for part in token.parts { spans.insert([part.start, part.end]) }
        }
        let broken = runs.filter { !spans.contains([$0.0, $0.1]) }.map(\.2)
        #expect(broken.isEmpty, "split katakana words: \(broken)")
        for word in ["ファーウェイ", "ファウンドリー", "クアルコム", "インテル", "マイクロソフト", "スマートフォン"] {
            #expect(tokens.contains { $0.surface == word }, "\(word)")
        }
        #expect(tokens.contains { $0.surface == "クラウド・コンピューティング" && $0.parts.count == 3 })
    }

    @Test(.enabled(if: article != nil, "needs ../shared/corpora"))
    func latinAndDigitTokensAreIntact() throws {
        let text = try #require(Self.article)
        let surfaces = Set(try Tokenizer.builtin().tokens(in: text).map(\.surface))
        for expected in ["910C", "H100", "5nm", "6G", "SMIC", "EUV", "DUV", "CloudMatrix"] {
            #expect(surfaces.contains(expected), "\(expected)")
        }
        // No fragment of a shattered loanword.
        #expect(!surfaces.contains("ファー") && !surfaces.contains("ウェイ"))
    }
}
