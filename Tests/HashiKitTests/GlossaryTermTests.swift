import Foundation
import Testing

@testable import HashiKit

/// What a translator loads: `ja` is the canonical full form, readings are right
/// or absent, model numbers in brackets are the model (issue: one consistent CLI,
/// a glossary a translator can load as it is).
@Suite("Glossary terms")
struct GlossaryTermTests {
    static func glossary(_ texts: [String]) throws -> Glossary {
        let lexicon = try Dictionaries.lexicon()
        let linker = try Linker(lexicon: lexicon)
        var glossary = Glossary()
        for (k, text) in texts.enumerated() {
            glossary.add(try linker.annotated(text: text, name: "doc\(k)"), lexicon: lexicon)
        }
        return glossary
    }

    static func entry(_ glossary: Glossary, _ id: String) throws -> Glossary.Entry {
        try #require(glossary.entries.first { $0.id == id })
    }

    @Test func surnamesAndOneCharacterFormsAreNeverTheTerm() throws {
        // The surname is used far more often than the full name; 米 more than 米国.
        let g = try Self.glossary([
            "エヌビディアのジェンスン・フアン氏が講演した。フアン氏は語った。フアン氏は笑った。フアン氏は去った。",
            "米中の対立で米企業が動いた。米政府と米国の議会。",
            "ファーウェイの任正非氏が語った。任氏は笑った。任氏は去った。",
        ])
        #expect(try Self.entry(g, "jensen-huang").ja == "ジェンスン・フアン")
        #expect(try Self.entry(g, "ren-zhengfei").ja == "任正非")
        #expect(try Self.entry(g, "united-states").ja == "米国")
        let huang = try Self.entry(g, "jensen-huang")
        #expect(huang.variants.first { $0.surface == "フアン" }?.short == true)
        #expect(huang.variants.first { $0.surface == "ジェンスン・フアン" }?.short == false)
        // Pairs (DeepL, Google) and TBX never give a short form as a term of its own.
        let pairs = try GlossaryWriter(format: .pairs).render(g, options: GlossaryOptions())
        #expect(!pairs.split(separator: "\n").contains { ["フアン", "任", "米"].contains(String($0.split(separator: "\t")[0])) })
        let tbx = try GlossaryWriter(format: .tbx).render(g, options: GlossaryOptions())
        #expect(
            tbx.contains(
                "<term>ジェンスン・フアン</term>\n            <termNote type=\"partOfSpeech\">properNoun</termNote>\n            <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>"
            ))
        #expect(
            tbx.contains(
                "<term>フアン</term>\n            <termNote type=\"partOfSpeech\">properNoun</termNote>\n            <termNote type=\"termType\">shortForm</termNote>"
            ))
    }

    @Test func onlyShortFormsSeenGiveTheDictionaryForm() throws {
        let g = try Self.glossary(["米の輸出規制と米の関税。"])
        #expect(try Self.entry(g, "united-states").ja == "アメリカ")  // the dictionary's usual form
    }

    @Test func theTermIsNormalizedWithMiddleDotsAndFullWidthKana() throws {
        let g = try Self.glossary(["イーロン·マスク氏とクリスティアーノ･アモン氏、ﾌｧｰｳｪｲとﾌｧｰｳｪｲ。"])
        #expect(try Self.entry(g, "elon-musk").ja == "イーロン・マスク")
        #expect(try Self.entry(g, "cristiano-amon").ja == "クリスティアーノ・アモン")
        #expect(try Self.entry(g, "huawei").ja == "ファーウェイ")
        // The spellings as written stay among the variants.
        #expect(try Self.entry(g, "elon-musk").variants.map(\.surface) == ["イーロン·マスク"])
    }

    @Test func aLatinFirstNameKeepsTheSpellingTheCorpusUses() throws {
        // The dictionary writes GPU and TSMC first: the corpus's Latin spelling is the term.
        let g = try Self.glossary(["GPUとＧＰＵと画像処理半導体。TSMCとTSMCと台湾積体電路製造。ファーウェイとHuaweiとHuawei。"])
        #expect(try Self.entry(g, "t-gpu").ja == "GPU")
        #expect(try Self.entry(g, "tsmc").ja == "TSMC")
        // A kana-first name stays in kana however often the Latin spelling is used.
        #expect(try Self.entry(g, "huawei").ja == "ファーウェイ")
    }

    @Test func modelNumbersInBracketsJoinTheFamily() throws {
        let linker = try Linker(lexicon: Dictionaries.lexicon())
        func links(_ text: String) throws -> [String] {
            try linker.annotate(text: text).filter(\.isLinked).map { "\($0.surface)=\($0.id!)" }
        }
        #expect(try links("アセンド（Ascend）910Cを使う。") == ["アセンド（Ascend）910C=ascend-910c"])
        #expect(try links("アセンド(910C)を使う。") == ["アセンド(910C)=ascend-910c"])
        #expect(try links("昇騰（910D）とキリン（Kirin） 9000S。") == ["昇騰（910D）=ascend-910d", "キリン（Kirin） 9000S=kirin-9000s"])
        // Not a model the dictionaries know, or not a model number: left as they were.
        #expect(try links("アセンド（2025年）の出荷。").first == "アセンド=ascend")
        #expect(try links("アセンド（Ascend）の999Zは未発表。") == ["アセンド=ascend", "Ascend=ascend"])
        #expect(try links("ファーウェイのキリン（Kirin）123。") == ["ファーウェイ=huawei", "キリン=kirin", "Kirin=kirin"])
        // The glossary row is the model, its term the dictionary form (not the bracketed phrase).
        let g = try Self.glossary(["ファーウェイのアセンド（Ascend）910Cは速い。"])
        #expect(try Self.entry(g, "ascend-910c").ja == "アセンド910C")
        #expect(!g.entries.contains { $0.id == "ascend" })
        // The term is the phrase without its gloss: the corpus's own script.
        let kirin = try Self.glossary(["ファーウェイの麒麟（Kirin） 9000Sと麒麟(9000S)。"])
        #expect(try Self.entry(kirin, "kirin-9000s").ja == "麒麟9000S")
        #expect(Glossary.unbracketed("A(B)C") == "AC")
        #expect(Glossary.unbracketed("A(9)") == "A9")
        #expect(Glossary.unbracketed("(x)") == nil)
        #expect(Glossary.unbracketed("A((9))") == nil)
        #expect(Glossary.unbracketed("A)9(") == nil)
    }

    @Test func readingsOfKanjiTermsAreRightOrAbsent() throws {
        let g = try Self.glossary(["中国の半導体市場と日本の経営。"])
        var writer = GlossaryWriter(format: .tsv)
        writer.reading = GlossaryWriter.defaultReading(edict: nil)
        let rows = try writer.render(g, options: GlossaryOptions()).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        let byJa = Dictionary(rows.dropFirst().map { ($0[0], ($0[5], $0[6])) }, uniquingKeysWith: { a, _ in a })
        #expect(byJa["中国"]! == ("チュウゴク", "chūgoku"))
        #expect(byJa["半導体"]! == ("ハンドウタイ", "handōtai"))
        #expect(byJa["日本"]! == ("ニホン", "nihon"))  // the common reading of two
        #expect(byJa["市場"]! == ("", ""))  // いちば or しじょう: no guess
    }

    @Test func readingsFromTheImporter() throws {
        func entry(_ line: String) throws -> EdictEntry { try #require(EdictImporter.parse(line[...], source: .edict)) }
        #expect(EdictEntry.katakanaReading(try entry("日本 [にほん(P);にっぽん] /(n) Japan/(P)/"), headword: "日本") == "ニホン")
        #expect(EdictEntry.katakanaReading(try entry("市場 [いちば;しじょう] /(n) market/"), headword: "市場") == "")
        #expect(EdictEntry.katakanaReading(try entry("半導体 [はんどうたい] /(n) semiconductor/(P)/"), headword: "半導体") == "ハンドウタイ")
        #expect(EdictEntry.katakanaReading(try entry("コスト /(n) cost/(P)/"), headword: "コスト") == "")
        let a = try entry("市場 [いちば] /(n) market/(P)/"), b = try entry("市場 [しじょう] /(n) market/(P)/")
        #expect(EdictEntry.agreedReading([a, b], headword: "市場") == "")
        #expect(EdictEntry.agreedReading([a], headword: "市場") == "イチバ")
    }

    @Test func shortFlagsSurviveJSONAndMerge() throws {
        let g = try Self.glossary(["ジェンスン・フアン氏が来た。フアン氏は語った。フアン氏は去った。"])
        let json = try GlossaryWriter(format: .json).render(g, options: GlossaryOptions())
        #expect(json.contains("\"short\": true"))
        let back = try Glossary.read(json: Data(json.utf8), path: "g.json")
        #expect(try GlossaryWriter(format: .json).render(back, options: GlossaryOptions()) == json)
        var merged = back
        try merged.merge(back)
        #expect(try Self.entry(merged, "jensen-huang").ja == "ジェンスン・フアン")
    }
}
