import Testing

@testable import HashiKit

@Suite("Linking")
struct LinkerTests {
    static let dictionary = """
        id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
        huawei\tHuawei\tORG\tファーウェイ|華為技術|華為\tHuawei Technologies\t\tcountry:china\t
        china\tChina\tPLACE\t中国\t\t\t\t
        japan\tJapan\tPLACE\t日本\t\t\t\t
        nvidia\tNvidia\tORG\tエヌビディア\tNVIDIA\t\t\t
        jensen-huang\tJensen Huang\tPERSON\tジェンスン・フアン|黄仁勲\t\t\tworks_at:nvidia\t
        ren-zhengfei\tRen Zhengfei\tPERSON\t任正非\t\t\tworks_at:huawei\t
        ascend\tAscend\tPRODUCT\tアセンド\tAscend\t\tmade_by:huawei\t
        ascend-910c\tAscend 910C\tPRODUCT\tアセンド910C\tAscend 910C\t\tmade_by:huawei;part_of:ascend\t
        mate-70-pro-plus\tHuawei Mate 70 Pro+\tPRODUCT\tMate 70 Pro+\t\t\tmade_by:huawei\t
        harmonyos\tHarmonyOS\tPRODUCT\tハーモニーOS|鴻蒙\tHarmonyOS\t\tmade_by:huawei\t
        kirin-chip\tKirin\tPRODUCT\tキリン\tKirin\t\tmade_by:huawei\tチップ|スマートフォン|SoC
        kirin-holdings\tKirin Holdings\tORG\tキリン|キリンホールディングス\t\t\tcountry:japan\tビール|飲料|酒
        t-foundry\tfoundry\tTERM\tファウンドリー|ファウンドリ\t\t\t\t
        t-computer\tcomputer\tTERM\tコンピューター|コンピュータ\t\t\t\t
        """

    static func linker() throws -> Linker {
        let entities = DictionaryParser.parse(dictionary, file: "test.tsv", source: .curated).entities
        return try Linker(lexicon: EntityLexicon(entities))
    }

    func linked(_ text: String, unknown: Bool = true) throws -> [String] {
        try Self.linker().annotate(text: text).filter { unknown || $0.isLinked }.map { "\($0.surface)=\($0.id ?? "?")" }
    }

    @Test func linksVariantsToOneEntity() throws {
        #expect(try linked("ファーウェイと華為技術とﾌｧｰｳｪｲとファーウエイ") == ["ファーウェイ=huawei", "華為技術=huawei", "ﾌｧｰｳｪｲ=huawei", "ファーウエイ=huawei"])
        #expect(try linked("コンピュータとコンピューター") == ["コンピュータ=t-computer", "コンピューター=t-computer"])
    }

    @Test func longestMatchCrossesTokens() throws {
        #expect(try linked("新しいアセンド910Cチップ", unknown: false) == ["アセンド910C=ascend-910c"])
        #expect(try linked("Ascend 910Cを出荷") == ["Ascend 910C=ascend-910c"])
        #expect(try linked("新型のMate 70 Pro+は") == ["Mate 70 Pro+=mate-70-pro-plus"])
        #expect(try linked("Harmony OSを搭載") == ["Harmony OS=harmonyos"])
    }

    @Test func latinTyposWithinABoundedDistance() throws {
        let mentions = try Self.linker().annotate(text: "Huaweiiの新製品とNVIDAの株")
        #expect(mentions.map(\.id) == ["huawei", "nvidia"])
        #expect(mentions.allSatisfy { $0.match == .fuzzy && $0.source == .latin })
        // Short words never match fuzzily.
        #expect(try linked("Intの値") == [])
    }

    @Test func surnameAfterFullNameLinksToThePerson() throws {
        let mentions = try Self.linker().annotate(text: "ジェンスン・フアンが来日した。フアンCEOは語った。任正非氏と任氏。")
        #expect(
            mentions.map { "\($0.surface)=\($0.id ?? "?")/\($0.match)" } == [
                "ジェンスン・フアン=jensen-huang/exact", "フアン=jensen-huang/coreference",
                "任正非=ren-zhengfei/exact", "任=ren-zhengfei/coreference",
            ])
        // Before the full name, a bare surname is just an unknown word.
        #expect(try linked("フアンが来た。") == ["フアン=?"])
    }

    @Test func contextDecidesAmbiguousWords() throws {
        #expect(try linked("ファーウェイはキリンのチップを作る。", unknown: false) == ["ファーウェイ=huawei", "キリン=kirin-chip"])
        #expect(try linked("キリンのビールと飲料が好調だ。", unknown: false) == ["キリン=kirin-holdings"])
        // No evidence at all: the ambiguous word is not linked.
        #expect(try Self.linker().annotate(text: "キリンを見た。").allSatisfy { $0.id == nil })
    }

    @Test func unknownKatakanaWordsAreUnlinkedMentionsWithoutFragments() throws {
        let mentions = try Self.linker().annotate(text: "ファーウェイのクアンタムドライブと革ジャン")
        #expect(mentions.map { "\($0.surface)=\($0.id ?? "?")" } == ["ファーウェイ=huawei", "クアンタムドライブ=?"])
        #expect(mentions[1].source == .guess && mentions[1].match == .unknown && mentions[1].confidence < 0.5)
    }

    @Test func mentionsCarryOriginalOffsets() throws {
        let text = "ＡＩと\nﾌｧｰｳｪｲ。"
        let mention = try #require(try Self.linker().annotate(text: text).first { $0.id == "huawei" })
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[mention.start..<mention.end])) == "ﾌｧｰｳｪｲ")
        #expect(String(decoding: Array(text.utf8)[mention.byteStart..<mention.byteEnd], as: UTF8.self) == "ﾌｧｰｳｪｲ")
        #expect(mention.sentence == 1)
    }

    @Test func userEntriesTakePrecedence() throws {
        let builtin = DictionaryParser.parse(Self.dictionary, file: "test.tsv", source: .curated).entities
        let user = DictionaryParser.parse(
            """
            id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
            huawei\tHUAWEI (user)\tORG\tファーウェイ\t\t\t\t
            my-chip\tMy Chip\tPRODUCT\tアセンド\t\t\t\t
            """, file: "user.tsv", source: .user
        ).entities
        let linker = try Linker(lexicon: EntityLexicon(user + builtin))
        let mentions = try linker.annotate(text: "ファーウェイのアセンド")
        #expect(mentions.map(\.en) == ["HUAWEI (user)", "My Chip"])
        #expect(mentions.map(\.source) == [.user, .user])
    }
}
