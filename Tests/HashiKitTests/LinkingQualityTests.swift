import Foundation
import Testing

@testable import HashiKit

/// Quality of linking with the built-in dictionaries, on the user's article and
/// on the project's own held-out sentences.
@Suite("Linking quality")
struct LinkingQualityTests {
    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOfFile: TestPaths.fixture("linking/\(name)"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    static let lexicon: EntityLexicon? = try? Dictionaries.lexicon()

    @Test(.enabled(if: ArticleTests.article != nil, "needs ../shared/corpora"))
    func everyNameAndTermInTheArticleLinksRight() throws {
        let text = try #require(ArticleTests.article)
        let linker = try Linker(lexicon: try #require(Self.lexicon))
        let mentions = try linker.annotate(text: text)
        let linked = Set(mentions.filter(\.isLinked).map { "\($0.surface)\t\($0.id!)" })
        let expected = try Self.rows("article-expected.tsv").map { $0.joined(separator: "\t") }
        let missing = expected.filter { !linked.contains($0) }
        #expect(missing.isEmpty, "not linked as expected: \(missing)")
        let unexpected = linked.subtracting(expected)
        #expect(unexpected.isEmpty, "linked but not expected: \(unexpected.sorted())")
        // No fragments of shattered loanwords, linked or not.
        let surfaces = Set(mentions.map(\.surface))
        for fragment in ["ファー", "ウェイ", "ジャン", "コン", "ピ"] {
            #expect(!surfaces.contains(fragment), "fragment \(fragment)")
        }
    }

    @Test func heldOutPrecisionAndRecall() throws {
        let linker = try Linker(lexicon: try #require(Self.lexicon))
        let lines = try String(contentsOfFile: TestPaths.fixture("linking/heldout.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var gold: [String: Int] = [:]
        for row in try Self.rows("heldout-gold.tsv") { gold["\(row[0])\t\(row[1])\t\(row[2])", default: 0] += 1 }
        var predicted: [String: Int] = [:]
        for (k, line) in lines.enumerated() where !line.isEmpty {
            for mention in try linker.annotate(text: line) where mention.isLinked {
                predicted["\(k + 1)\t\(mention.surface)\t\(mention.id!)", default: 0] += 1
            }
        }
        let correct = predicted.reduce(0) { $0 + min($1.value, gold[$1.key] ?? 0) }
        let precision = Double(correct) / Double(max(1, predicted.values.reduce(0, +)))
        let recall = Double(correct) / Double(max(1, gold.values.reduce(0, +)))
        #expect(gold.values.reduce(0, +) >= 100)
        #expect(precision >= 0.9, "precision \(precision)")
        #expect(recall >= 0.9, "recall \(recall)")
    }
}
