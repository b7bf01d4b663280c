import Testing

@testable import HashiKit

@Suite("Dictionaries: match keys, parsing, validation")
struct DictionaryTests {
    @Test func matchKeysMakeVariantsMeet() {
        let groups: [[String]] = [
            ["ファーウェイ", "ファーウエイ", "ﾌｧｰｳｪｲ", "フアーウエイ"],
            ["コンピューター", "コンピュータ", "コンピュ－タ"],
            ["サーバー", "サーバ", "ｻｰﾊﾞｰ"],
            ["ヴァイオリン", "バイオリン"],
            ["ジェンスン・フアン", "ジェンスンフアン", "ジェンスン･フアン", "ジェンスン フアン"],
            ["HarmonyOS", "Harmony OS", "harmonyos", "ＨａｒｍｏｎｙＯＳ"],
            ["ハ\u{3099}ッテリー", "バッテリー"],
            ["Wi-Fi", "WiFi", "wifi"],
            ["パーティー", "パーテイー"],
        ]
        for group in groups {
            let keys = Set(group.map(MatchKey.of))
            #expect(keys.count == 1, "\(group) → \(keys)")
        }
        // Folding must not merge different words.
        #expect(MatchKey.of("ビール") != MatchKey.of("ビル"))
        #expect(MatchKey.of("コンピューターサイエンス") == "コンピュータサイエンス" || MatchKey.of("コンピューターサイエンス").contains("ー"))
    }

    static let sample = """
        # comment
        id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
        huawei\tHuawei\tORG\tファーウェイ|華為技術\tHuawei Technologies|Huaweii\tQ160120\tcountry:china\t
        china\tChina\tPLACE\t中国\t\t\t\t
        kirin-chip\tKirin\tPRODUCT\tキリン\t\t\tmade_by:huawei\tチップ|スマートフォン
        kirin-holdings\tKirin Holdings\tORG\tキリン|キリンホールディングス\t\t\tcountry:japan\tビール|飲料
        """

    @Test func parsesRows() {
        let parsed = DictionaryParser.parse(Self.sample, file: "sample.tsv", source: .curated)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.entities.map(\.id) == ["huawei", "china", "kirin-chip", "kirin-holdings"])
        let huawei = parsed.entities[0]
        #expect(huawei.ja == ["ファーウェイ", "華為技術"])
        #expect(huawei.aliases == ["Huawei Technologies", "Huaweii"])
        #expect(huawei.wikidata == "Q160120")
        #expect(huawei.relations == [Relation(kind: .country, target: "china")])
        #expect(huawei.location == "sample.tsv:3")
    }

    @Test func reportsMalformedRowsWithFileAndLine() {
        let text = """
            id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
            ok\tOK\tORG\tオーケー\t\t\t\t
            short\tShort\tORG
            Bad_ID\tBad\tORG\tバッド\t\t\t\t
            x\tX\tCOMPANY\tエックス\t\t\t\t
            y\tY\tORG\t\t\t\t\t
            z\tZ\tORG\tゼット\t\tQ12x\tmaker:ok\t
            """
        let parsed = DictionaryParser.parse(text, file: "bad.tsv", source: .user)
        let messages = parsed.issues.map(\.description)
        #expect(messages.contains("bad.tsv:3: error: expected 8 tab-separated columns, found 3"))
        #expect(messages.contains { $0.hasPrefix("bad.tsv:4: error: bad id 'Bad_ID'") })
        #expect(messages.contains { $0.hasPrefix("bad.tsv:5: error: unknown type 'COMPANY'") })
        #expect(messages.contains("bad.tsv:6: error: y: no Japanese form"))
        #expect(messages.contains { $0.hasPrefix("bad.tsv:7: error: z: bad Wikidata id") })
        #expect(messages.contains { $0.hasPrefix("bad.tsv:7: error: z: bad relation 'maker:ok'") })
        #expect(parsed.entities.map(\.id) == ["ok", "z"])
    }

    @Test func validatorFindsCrossRowProblems() {
        var entities = DictionaryParser.parse(Self.sample, file: "sample.tsv", source: .curated).entities
        // kirin-holdings points to japan, which is missing.
        var issues = DictionaryValidator.validate(entities).map(\.description)
        #expect(issues == ["sample.tsv:6: error: kirin-holdings: relation country:japan points to no entity"])
        // A duplicate id, and a key shared without context.
        entities.append(Entity(id: "china", en: "PRC", type: .place, ja: ["中華人民共和国"], location: "more.tsv:2"))
        entities.append(Entity(id: "huawei-cloud", en: "Huawei Cloud", type: .org, ja: ["ファーウエイ"], location: "more.tsv:3"))
        issues = DictionaryValidator.validate(entities).map(\.description)
        #expect(issues.contains("more.tsv:2: error: duplicate id 'china' (first at sample.tsv:4)"))
        #expect(issues.contains { $0.hasPrefix("more.tsv:3: error: huawei-cloud: Japanese form with key") })
        #expect(issues.contains { $0.hasPrefix("sample.tsv:3: error: huawei: Japanese form with key") })
        // キリン is shared too, but both rows have context cues: no error for them.
        #expect(!issues.contains { $0.contains("kirin") && $0.contains("claimed") })
    }

    @Test func builtinDictionariesAreLargeAndParse() {
        let builtin = Dictionaries.builtin
        #expect(builtin.issues.isEmpty, "\(builtin.issues.prefix(3))")
        #expect(builtin.entities.count >= 1500 + 800)
        let terms = builtin.entities.filter { $0.type == .term }.count
        #expect(terms >= 800)
        #expect(builtin.entities.count - terms >= 1500)
    }

    @Test func editDistance() {
        var rows: [Int] = []
        func distance(_ a: String, _ b: String, limit: Int) -> Int {
            Array(a.utf16).withUnsafeBufferPointer { a in
                Array(b.utf16).withUnsafeBufferPointer { b in boundedDamerau(a, b, limit: limit, rows: &rows) }
            }
        }
        #expect(distance("huaweii", "huawei", limit: 1) == 1)
        #expect(distance("samsnug", "samsung", limit: 1) == 1)
        #expect(distance("nvidia", "intel", limit: 2) == 3)
        #expect(distance("", "abc", limit: 3) == 3)
        #expect(distance("ab", "ba", limit: 1) == 1)
        // The same answer on bytes as on UTF-16 units.
        let bytes = Array("huaweii".utf8).withUnsafeBufferPointer { a in
            Array("huawie".utf8).withUnsafeBufferPointer { b in boundedDamerau(a, b, limit: 2, rows: &rows) }
        }
        #expect(bytes == distance("huaweii", "huawie", limit: 2))
    }

    @Test func latinTypoRule() {
        #expect(LatinTypoRule.limit(forLength: 4) == nil)
        #expect(LatinTypoRule.limit(forLength: 5) == 1)
        #expect(LatinTypoRule.limit(forLength: 9) == 1)
        #expect(LatinTypoRule.limit(forLength: 10) == 2)
        #expect(LatinTypoRule.keepsHead("h", "u", "h", "x"))
        #expect(!LatinTypoRule.keepsHead("h", "u", "x", "y"))
    }
}
