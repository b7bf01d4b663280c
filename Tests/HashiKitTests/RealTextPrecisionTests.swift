import Foundation
import Testing

@testable import HashiKit

/// The classes of error found on real text (issue: right English on real text).
/// Each class has cases beyond the words that exposed it.
@Suite("Precision on real text")
struct RealTextPrecisionTests {
    static let sensesPath = TestPaths.fixture("edict/edict-senses")

    /// An index of the sense fixture, built once per test that needs it.
    static func senseIndex() throws -> EdictIndex {
        let entries = try EdictImporter.read(sensesPath, source: .edict)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-senses-\(UUID().uuidString).idx").path
        try EdictIndex.write(entries, to: path)
        return try EdictIndex(path: path)
    }

    static func annotate(_ text: String, edict: EdictIndex? = nil) throws -> [Mention] {
        try Linker(lexicon: Dictionaries.lexicon(), edict: edict).annotate(text: text)
    }

    /// "surface=English" of every mention (the English is empty for unknown words).
    static func english(_ text: String, edict: EdictIndex? = nil) throws -> [String] {
        try annotate(text, edict: edict).map { "\($0.surface)=\($0.en ?? "")" }
    }

    // 1. EDICT: the English a katakana word was borrowed from; exact headwords first.

    @Test func edictGivesTheSourceWordOfALoanword() throws {
        let entries = try EdictImporter.read(Self.sensesPath, source: .edict)
        let english = Dictionary(entries.map { ($0.headword + "/" + $0.glosses[0], $0.english) }, uniquingKeysWith: { a, _ in a })
        #expect(english["ブロック/blocking"] == "block")  // the gloss the katakana spells, not the first
        #expect(english["キャンセル/cancellation"] == "cancel")  // EDICT's (eng: ...) marker
        #expect(english["ゲート/gate"] == "gate")
        #expect(english["タイヤ/tyre"] == "tire")  // the model's spelling, clearly ahead
        #expect(english["マンション/apartment"] == "apartment")  // no gloss is a source: the first sense
        let mansion = try #require(entries.first { $0.headword == "マンション" })
        #expect(!mansion.plausible && !mansion.likely)
        let tire = try #require(entries.first { $0.headword == "タイヤ" })
        #expect(tire.plausible && tire.common)
    }

    @Test func exactHeadwordsAndTechnicalSensesComeFirst() throws {
        let index = try Self.senseIndex()
        // エラー's key is エラ's (a final ー is optional), but the exact headword wins.
        #expect(index.best(key: MatchKey.of("エラー"), surface: "エラー")?.entry.english == "error")
        #expect(index.best(key: MatchKey.of("エラ"), surface: "エラ")?.entry.english == "gills")
        // Two entries: the one with a technical sense first.
        #expect(index.best(key: MatchKey.of("キュー"), surface: "キュー")?.entry.english == "queue")
        #expect(try Self.english("処理待ちのキューとエラーを確認", edict: index).contains("エラー=error"))
    }

    @Test func anEnglishThatIsNoSourceIsReportedWithTheModelsGuess() throws {
        let index = try Self.senseIndex()
        let linker = try Linker(lexicon: Dictionaries.lexicon(), edict: index)
        let annotated = try linker.annotated(text: "駅前のマンションに住む")
        let mention = try #require(annotated.mentions.first { $0.surface == "マンション" })
        #expect(mention.en == "apartment" && mention.confidence < 0.5 && mention.wantsGuess)
        // The text format shows both, EDICT's first.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).txt").path
        let writer = MentionWriter(format: .text, sink: try OutputSink(path: path))
        writer.guess = { _ in "mansion" }
        try writer.write(annotated)
        try writer.finish()
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("マンション[apartment|mansion?]"))
        // A plausible English is not doubted.
        let packet = try #require(try Self.annotate("パケットを送る", edict: index).first { $0.surface == "パケット" })
        #expect(packet.en == "packet" && !packet.wantsGuess)
    }

    // 2. Latin words: no typo correction of English, no names by case folding alone.

    @Test func ordinaryEnglishIsNeverTypoCorrectedIntoAName() throws {
        for text in [
            "設定のstripeを変更", "striped の値", "oracles と tables", "STRIPPE を返す", "modes と models",
            "intel の文字列", "apple と orange を比較", "the streams were spaced later",
        ] {
            #expect(try Self.annotate(text).filter(\.isLinked).isEmpty, "\(text)")
        }
        // Real typos of names are still corrected, and names written as names link.
        #expect(try Self.english("Oracel と Huaweii と Intell") == ["Oracel=Oracle", "Huaweii=Huawei", "Intell=Intel"])
        #expect(try Self.english("Apple と Intel") == ["Apple=Apple", "Intel=Intel"])
    }

    // 3. Short katakana words after a kanji word are words; after a one-kanji prefix, not.

    @Test func katakanaWordsAfterKanjiWordsAreKept() throws {
        let found = try Self.annotate("通信ポートと画面サイズと実行モードと管理ツールと出力キューを確認する。").map(\.surface)
        for word in ["ポート", "サイズ", "モード", "ツール", "キュー"] {
            #expect(found.contains(word), "\(word): \(found)")
        }
        // With EDICT, two-letter words too, when EDICT has them exactly (設定キー).
        #expect(try Self.english("設定キーを押す", edict: Self.senseIndex()) == ["キー=key"])
        // Bound to a one-kanji prefix, a short word is the end of a compound (革ジャン, 紙コップ).
        let compounds = try Self.annotate("黒い革ジャンと紙コップ")
        #expect(!compounds.contains { $0.surface == "ジャン" || $0.surface == "コップ" })
    }

    // 4. Compounds: one English for the whole, never a lone piece's entity.

    @Test func unknownCompoundsGetOneEnglishForTheWhole() throws {
        let cases = [
            "オンラインショップ": "online shop", "マルチコア": "multicore", "ビットシフト": "bit shift",
            "プリインストール": "preinstall",
        ]
        for (word, english) in cases {
            let mentions = try Self.annotate("新しい\(word)を使う")
            #expect(mentions.count == 1 && mentions[0].surface == word, "\(word): \(mentions.map(\.surface))")
            #expect(mentions.first?.en == english, "\(word): \(String(describing: mentions.first?.en))")
        }
        // A compound the dictionaries know in their own senses keeps its pieces.
        #expect(try Self.annotate("データセンターチップを作る").map(\.surface) == ["データセンター", "チップ"])
        #expect(try Self.english("エヌビディアチップを使う") == ["エヌビディア=Nvidia", "チップ=chip"])
        // With EDICT, a word EDICT knows whole is not split (ハッカ|ソン).
        let index = try Self.senseIndex()
        #expect(try Self.english("ハッカソンに出る", edict: index) == ["ハッカソン=hackathon"])
        // A compound whose pieces' English does not sound like the whole gets the model's guess.
        let overflow = try #require(try Self.annotate("バッファオーバーフローが起きた").first)
        #expect(overflow.en == nil || overflow.en!.contains("overflow"))
    }

    // 5. Everyday words link to a dictionary sense only with evidence.

    @Test func everydayWordsNeedEvidenceForTheDictionarySense() throws {
        #expect(try Self.english("マスクを着用して外出した。") == ["マスク=mask"])
        #expect(try Self.english("クロックを合わせた。") == ["クロック=clock"])
        #expect(try Self.english("スイッチを押した。") == ["スイッチ=switch"])
        #expect(try Self.english("ラインを引いた。") == ["ライン=line"])
        #expect(try Self.english("理想の職場を探す。") == ["理想=ideal"])
        // With evidence in the document, the dictionary's sense.
        #expect(try Self.english("露光装置でマスクのパターンを半導体ウエハーに転写する。").contains("マスク=photomask"))
        #expect(try Self.english("任天堂はスイッチの後継機を発表した。").contains("スイッチ=Nintendo Switch"))
        // A one-kanji abbreviation is not the end of a kanji word.
        for text in ["検討中の案", "開発中の機能", "世界中で使われる", "使用中の端末"] {
            #expect(try !Self.annotate(text).contains { $0.id == "china" }, "\(text)")
        }
        #expect(try Self.annotate("米中の対立と日米の協議").compactMap(\.id) == ["united-states", "china", "japan", "united-states"])
    }

    // 6. A surname after the full name, before an honorific, is the person.

    @Test func surnamesWithHonorificsAreThePerson() throws {
        #expect(try Self.english("イーロン・マスクが発表した。マスク氏は述べた。").last == "マスク=Elon Musk")
        #expect(try Self.english("ティム・クックが来日した。クック氏は語った。").last == "クック=Tim Cook")
        #expect(try Self.english("リサ・スーの講演。スー社長が述べた。").last == "スー=Lisa Su")
        // Before the full name, the everyday sense.
        #expect(try Self.english("マスク氏は述べた。").first != "マスク=Elon Musk")
    }
}
