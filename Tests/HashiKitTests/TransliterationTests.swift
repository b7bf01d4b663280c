import Foundation
import Testing

@testable import HashiKit

@Suite("Transliteration")
struct TransliterationTests {
    let transliterator = BackTransliterator()

    func english(_ word: String, top: Int = 5) throws -> [String] {
        try transliterator.candidates(for: word, top: top).map(\.english)
    }

    @Test func builtinModelLoads() {
        let model = TransliterationModel.builtin
        #expect(model.order >= 2)
        #expect(model.unitID(Array("コ".utf8)) != nil)
        #expect(model.lexiconFlags(Array("computer".utf8)) != 0)
        #expect(model.lexiconFlags(Array("xqzzv".utf8)) == 0)
    }

    @Test func commonLoanwordsComeFirst() throws {
        #expect(try english("コンピューター").first == "computer")
        #expect(try english("データ").first == "data")
    }

    @Test func compoundsBecomeSeveralWords() throws {
        #expect(try english("マシンラーニング").contains("machine learning"))
        #expect(try english("クラウドネイティブ").contains("cloud native"))
    }

    @Test func middleDotSeparatesWords() throws {
        let first = try #require(try english("ジェネレーティブ・エーアイ").first)
        #expect(first.split(separator: " ").count == 2)
        #expect(try BackTransliterator.segments(of: "ウェブ・サイト") == ["ウェブ", "サイト"])
    }

    @Test func halfWidthInputIsNormalized() throws {
        #expect(try english("ｺﾝﾋﾟｭｰﾀｰ") == english("コンピューター"))
    }

    @Test func nonKatakanaIsRejected() {
        #expect(throws: TransliterationError.notKatakana("abc")) { _ = try transliterator.candidates(for: "abc") }
        #expect(throws: TransliterationError.self) { _ = try transliterator.candidates(for: "東京") }
        #expect(throws: TransliterationError.self) { _ = try transliterator.candidates(for: "ー") }
        #expect(throws: TransliterationError.self) { _ = try transliterator.candidates(for: "") }
    }

    @Test func scoresAreDescendingSharesAndDeterministic() throws {
        for word in ["オブザーバビリティ", "ファーウェイ", "クラウドネイティブ", "ヴァイオリン"] {
            let candidates = try transliterator.candidates(for: word, top: 10)
            #expect(!candidates.isEmpty)
            #expect(zip(candidates, candidates.dropFirst()).allSatisfy { $0.score >= $1.score && $0.logScore >= $1.logScore })
            #expect(candidates.allSatisfy { $0.score >= 0 && $0.score <= 1 })
            #expect(candidates.map(\.score).reduce(0, +) <= 1.000001)
            #expect(Set(candidates.map { $0.english.filter { $0 != " " } }).count == candidates.count)
            #expect(try transliterator.candidates(for: word, top: 10) == candidates)
            #expect(Array(candidates.prefix(3)) == (try transliterator.candidates(for: word, top: 3)))
        }
    }

    @Test func unknownUnitsBackOff() throws {
        // ヸ and ヺ are rare enough that the model may not know them; there is still an answer.
        #expect(!(try english("ヴィヸヺ")).isEmpty)
    }

    @Test func modelFileMustBeValid() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-translit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.bin")
        try Data("not a model at all, sorry".utf8).write(to: bad)
        #expect(throws: TransliterationModel.LoadError.self) { _ = try TransliterationModel(contentsOfFile: bad.path) }
        #expect(throws: TransliterationModel.LoadError.self) {
            _ = try TransliterationModel(contentsOfFile: dir.appendingPathComponent("none").path)
        }
        let good = TestPaths.packageRoot.appendingPathComponent("dictionaries/transliteration/model.bin")
        let model = try TransliterationModel(contentsOfFile: good.path)
        #expect(model.size == TransliterationModel.builtin.size)
        #expect(try BackTransliterator(model: model).candidates(for: "コンピューター") == BackTransliterator().candidates(for: "コンピューター"))
    }

    @Test func jsonLineShape() throws {
        let candidates = try transliterator.candidates(for: "データ", top: 2)
        let line = TransliterationWriter.jsonLine(query: "データ", romaji: "dēta", candidates: candidates)
        #expect(line.hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "データ" && object["romaji"] as? String == "dēta")
        let list = try #require(object["candidates"] as? [[String: Any]])
        #expect(list.count == 2 && list[0]["en"] as? String == "data" && list[0]["score"] is Double)
    }
}
