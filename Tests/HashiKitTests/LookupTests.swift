import Foundation
import Testing

@testable import HashiKit

@Suite("Term look-up")
struct LookupTests {
    static let dictionary =
        LinkerTests.dictionary + """

            tokyo\tTokyo\tPLACE\t東京|トウキョウ|とうきょう\t\t\tcountry:japan\t
            t-firmware\tfirmware\tTERM\tファームウェア|ファームウエア\t\t\t\t
            """

    static func engine(edict: EdictIndex? = nil) -> TermLookup {
        let parsed = DictionaryParser.parse(dictionary, file: "test.tsv", source: .curated)
        return TermLookup(lexicon: EntityLexicon(parsed.entities), edict: edict)
    }

    /// The id and match of the best hit.
    static func best(_ engine: TermLookup, _ query: String) -> String {
        guard let hit = engine.lookup(query).hits.first else { return "-" }
        return "\(hit.id ?? hit.en):\(hit.match.rawValue)"
    }

    @Test func directionFollowsTheScript() {
        #expect(TermLookup.target(of: "ファーウェイ") == .en)
        #expect(TermLookup.target(of: "華為") == .en)
        #expect(TermLookup.target(of: "ﾌｧｰｳｪｲ") == .en)
        #expect(TermLookup.target(of: "Huawei") == .ja)
        #expect(TermLookup.target(of: "Ascend 910C") == .ja)
        let engine = Self.engine()
        #expect(engine.lookup("ファーウェイ").target == .en)
        #expect(engine.lookup("Huawei").target == .ja)
        #expect(engine.lookup("Huawei", to: .en).target == .en)
        // Both directions meet the same entity, with all its Japanese forms, the usual one first.
        let ja = engine.lookup("Huawei").hits.first
        #expect(ja?.ja == ["ファーウェイ", "華為技術", "華為"])
        #expect(ja?.en == "Huawei")
        #expect(ja?.type == .org)
        #expect(engine.lookup("華為技術").hits.first?.en == "Huawei")
    }

    @Test func spellingVariantsMeet() {
        let engine = Self.engine()
        #expect(Self.best(engine, "ファーウェイ") == "huawei:exact")
        #expect(Self.best(engine, "ﾌｧｰｳｪｲ") == "huawei:variant")
        #expect(Self.best(engine, "ファーウエイ") == "huawei:variant")
        #expect(Self.best(engine, "コンピュータ") == "t-computer:exact")
        #expect(Self.best(engine, "コンピューター") == "t-computer:exact")
        #expect(Self.best(engine, "ｺﾝﾋﾟｭｰﾀ") == "t-computer:variant")
        #expect(Self.best(engine, "ファームウエア") == "t-firmware:exact")
        let variant = engine.lookup("ﾌｧｰｳｪｲ").hits.first
        #expect(variant?.matched == "ファーウェイ")
        #expect(variant?.source == .curated)
    }

    @Test func latinCaseAndSpacing() {
        let engine = Self.engine()
        #expect(Self.best(engine, "nvidia") == "nvidia:variant")
        #expect(Self.best(engine, "NVIDIA") == "nvidia:exact")
        #expect(Self.best(engine, "Nvidia") == "nvidia:exact")
        #expect(Self.best(engine, "Harmony OS") == "harmonyos:variant")
        #expect(Self.best(engine, "harmonyos") == "harmonyos:variant")
        #expect(Self.best(engine, "  Huawei ") == "huawei:exact")
        #expect(engine.lookup("nvidia").hits.first?.ja.first == "エヌビディア")
    }

    @Test func romajiWithMacronsOrDoubledVowels() {
        let engine = Self.engine()
        #expect(!engine.hasBuiltRomajiIndex)
        #expect(Self.best(engine, "Huawei") == "huawei:exact")
        #expect(!engine.hasBuiltRomajiIndex, "built although the English names answered")
        for query in ["fāuei", "faauei", "Faauei", "fâuei", "fauei"] {
            #expect(Self.best(engine, query) == "huawei:romaji", "\(query)")
        }
        #expect(engine.hasBuiltRomajiIndex)
        #expect(engine.lookup("faauei").hits.first?.matched == "ファーウェイ")
        // ō, ou and oo are one (トウキョウ: ICU writes toukyou).
        for query in ["tōkyō", "toukyou", "tookyoo", "Tōkyō"] {
            #expect(Self.best(engine, query) == "tokyo:romaji", "\(query)")
        }
        #expect(Self.best(engine, "konpyūtā") == "t-computer:romaji")
        #expect(Self.best(engine, "konpyuuta") == "t-computer:romaji")
        #expect(RomajiIndex.fold("Fā-uei") == "faauei")
        #expect(RomajiIndex.fold("tōkyou") == "tookyoo")
    }

    @Test func typosOfLatinNamesAreFuzzy() {
        let engine = Self.engine()
        let hit = engine.lookup("Huaweii").hits.first
        #expect(hit?.id == "huawei")
        #expect(hit?.match == .fuzzy)
        #expect(hit?.distance == 1)
        #expect(hit?.matched == "Huawei")
        #expect(engine.lookup("Huaweii").isFound)
    }

    @Test func closeMissesGetSuggestionsRanked() {
        let engine = Self.engine()
        let miss = engine.lookup("ファーウエl")
        #expect(miss.hits.isEmpty)
        #expect(!miss.isFound)
        #expect(miss.suggestions.first?.id == "huawei")
        #expect(miss.suggestions.first?.distance == 1)
        let distances = miss.suggestions.map(\.distance)
        #expect(distances == distances.sorted())
        // Katakana: one letter off.
        let foundry = engine.lookup("ファウンドラー").suggestions
        #expect(foundry.first?.id == "t-foundry")
        #expect(foundry.first?.ja == "ファウンドリー")
        // Closer first: ファーウエイア is 1 from ファーウエイ and 2 from ファームウエア.
        let both = engine.lookup("ファーウエイア").suggestions.map(\.id)
        #expect(both.prefix(2) == ["huawei", "t-firmware"])
        // No suggestions when asked not to (batches), nor for short keys.
        #expect(engine.lookup("ファーウエl", detail: .best).suggestions.isEmpty)
        #expect(engine.lookup("xq").suggestions.isEmpty)
        // Batch answers are cached per query and forced language.
        #expect(engine.lookup("nvidia", detail: .best).hits.first?.ja.first == "エヌビディア")
        #expect(engine.lookup("nvidia", detail: .best).hits.first?.match == .variant)
        #expect(engine.lookup("nvidia", to: .en, detail: .best).target == .en)
        #expect(engine.lookup("nvidia", detail: .best).target == .ja)
    }

    @Test func missesAreMisses() {
        let engine = Self.engine()
        for query in ["存在しない", "zzqxv", "", "   ", "ゴニョゴニョ"] {
            let result = engine.lookup(query)
            #expect(result.hits.isEmpty, "\(query)")
            #expect(!result.isFound)
        }
    }

    @Test func relationsAreResolved() {
        let engine = Self.engine()
        let hit = engine.lookup("ジェンスン・フアン").hits.first
        #expect(hit?.id == "jensen-huang")
        #expect(hit?.relations == [LookupRelation(kind: .worksAt, id: "nvidia", en: "Nvidia")])
        let chip = engine.lookup("アセンド910C").hits.first
        #expect(chip?.relations.map(\.en) == ["Huawei", "Ascend"])
        #expect(chip?.relations.map(\.kind) == [.madeBy, .partOf])
    }

    @Test func ambiguousKeysListEveryEntity() {
        let hits = Self.engine().lookup("キリン").hits
        #expect(hits.map(\.id) == ["kirin-chip", "kirin-holdings"])
        #expect(hits.allSatisfy { $0.match == .exact })
    }

    @Test func edictAnswersJapaneseTheDictionariesMiss() throws {
        var entries = try EdictImporter.read(EdictTests.edictPath, source: .edict)
        entries += try EdictImporter.read(EdictTests.enamdictPath, source: .enamdict)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).idx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try EdictIndex.write(entries, to: path)
        let engine = Self.engine(edict: try EdictIndex(path: path))
        let drive = engine.lookup("ドライブ").hits.first
        #expect(drive?.en == "drive")
        #expect(drive?.source == .edict)
        #expect(drive?.match == .exact)
        #expect(drive?.id == nil)
        let server = engine.lookup("ｻｰﾊﾞ").hits.first
        #expect(server?.en == "server")
        #expect(server?.match == .variant)
        #expect(engine.lookup("技術").hits.first?.ja == ["技術", "ぎじゅつ"])
        #expect(engine.lookup("フアン").hits.first?.source == .enamdict)
        // The dictionaries come first.
        #expect(engine.lookup("キリン").hits.first?.source == .curated)
        #expect(engine.lookup("キリン").hits.allSatisfy { $0.source == .curated })
    }

    @Test func guessSeamForUnknownKatakana() {
        let engine = Self.engine()
        var asked: [String] = []
        engine.guess = { word in
            asked.append(word)
            return [(en: "gonyogonyo", score: 0.4)]
        }
        let result = engine.lookup("ゴニョゴニョ")
        #expect(result.hits.first?.match == .guess)
        #expect(result.hits.first?.source == .guess)
        #expect(result.hits.first?.en == "gonyogonyo")
        #expect(result.hits.first?.score == 0.4)
        #expect(!result.isFound)
        // Known words, kanji and Latin are not guessed.
        _ = engine.lookup("ファーウェイ")
        _ = engine.lookup("未知語")
        _ = engine.lookup("unknownword")
        #expect(asked == ["ゴニョゴニョ"])
    }

    // MARK: Look-up over the linker's lexicon

    @Test func lookUpKeysAgreeWithTheLexiconOnEveryBuiltinForm() throws {
        let lexicon = try Dictionaries.lexicon()
        let keys = KeyMaker()
        let forms = lexicon.entities.flatMap { $0.ja + $0.aliases + [$0.en] }
        for form in forms {
            #expect(keys.key(of: form) == Array(MatchKey.of(form).utf16), "\(form)")
        }
        for form in forms.enumerated().filter({ $0.offset % 5 == 0 }).map(\.element) {
            let key = Array(MatchKey.of(form).utf16)
            #expect(
                lexicon.entities(forKey: key, forms: false).map(\.entity.id) == lexicon.lookup(key: MatchKey.of(form)).map(\.id),
                "\(form)")
        }
    }

    @Test func formsAndTyposAgreeWithTheLinker() throws {
        let lexicon = try Dictionaries.lexicon()
        let index = lexicon
        // The form reported for a key has that key.
        for query in ["ﾌｧｰｳｪｲ", "nvidia", "コンピュータ", "harmony os"] {
            let key = Array(MatchKey.of(query).utf16)
            let hits = index.entities(forKey: key, forms: true)
            #expect(!hits.isEmpty, "\(query)")
            #expect(hits.allSatisfy { $0.form.map { MatchKey.of($0) } == MatchKey.of(query) }, "\(query)")
        }
        // Typos: the same entities at the same distance as the linker's fuzzy matching.
        let nearby = SuggestionIndex(index)
        for query in ["Huaweii", "Nvidai", "qualcom", "TSMCC", "Samsnug", "Microsfot", "Taiwan Semiconductr", "zzzzzzz"] {
            let key = Array(MatchKey.of(query).utf16)
            let linker = lexicon.fuzzyLatin(key.map { UInt8($0) })
            let expected = Set(linker.filter { $0.distance == linker.first?.distance }.map { lexicon.entities[Int($0.entity)].id })
            let ours = nearby.fuzzyLatin(key)
            let got = Set(ours.filter { $0.distance == ours.first?.distance }.map { lexicon.entities[Int($0.ref)].id })
            #expect(got == expected, "\(query)")
            #expect(ours.first?.distance == linker.first?.distance, "\(query)")
        }
    }

    @Test func userDictionariesTakePrecedenceInLookUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-lookup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mine.tsv")
        try """
        id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
        huawei\tHuawei Technologies Co.\tORG\tファーウェイ\t\t\t\t
        t-gonyo\tgonyo\tTERM\tゴニョ\t\t\t\t
        """.write(to: file, atomically: true, encoding: .utf8)
        let engine = try TermLookup(dictionaries: [file.path])
        let huawei = engine.lookup("ファーウェイ").hits
        #expect(huawei.map(\.en) == ["Huawei Technologies Co."])
        #expect(huawei.first?.source == .user)
        // The built-in row is shadowed for every form, not only the user's.
        #expect(engine.lookup("華為技術").hits.isEmpty)
        #expect(engine.lookup("ゴニョ").hits.first?.id == "t-gonyo")
        #expect(engine.lookup("ソニー").hits.first?.source == .curated)
        // Fallbacks see the user's entities too.
        #expect(engine.lookup("gonyo").hits.first?.match == .exact)
        #expect(engine.lookup("ゴニャ").suggestions.first?.id == "t-gonyo")
        // A broken user dictionary is refused.
        try "id\ten\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: Dictionaries.LoadError.self) { _ = try TermLookup(dictionaries: [file.path]) }
    }
}
