import HashiICU
import Testing

@testable import HashiKit

@Suite("Segmentation")
struct SegmenterTests {
    @Test(arguments: ["ファーウェイ", "ファウンドリー", "コンピューティング", "クアルコム", "インテル", "マイクロソフト", "スマートフォン"])
    func katakanaWordsStayWhole(word: String) throws {
        let text = "中国の\(word)は強い。"
        #expect(try words(text).contains(word))
        #expect(try words(text, unit: .short).contains(word))
    }

    @Test func rawICUShattersWhatHashiKeeps() throws {
        // The reason for the repair: ICU alone splits an unknown loanword.
        let icu = try HashiICUProbe.icuWords("ファーウェイは")
        #expect(icu.count > 2)
        #expect(try words("ファーウェイは") == ["ファーウェイ", "は"])
    }

    @Test func latinAndDigitTokensStayIntact() throws {
        let result = try words("Ascend 910Cと、H100の5nmと6Gで2~3nm。")
        for expected in ["Ascend", "910C", "H100", "5nm", "6G", "3nm"] {
            #expect(result.contains(expected), "\(expected) in \(result)")
        }
    }

    @Test func dotJoinedCompoundsInLongUnits() throws {
        let tokens = try Tokenizer(unit: .long).tokens(in: "ジェンスン・フアンCEOとクラウド・コンピューティング")
        let names = tokens.filter { $0.isCompound }
        #expect(names.map(\.surface) == ["ジェンスン・フアン", "クラウド・コンピューティング"])
        #expect(names[0].parts.map(\.surface) == ["ジェンスン", "・", "フアン"])
        #expect(names[0].script == .katakana)
        #expect(names[0].parts[2].start == 6 && names[0].parts[2].end == 9)
    }

    @Test func dotsAreTokensInShortUnits() throws {
        #expect(try words("ジェンスン・フアン", unit: .short) == ["ジェンスン", "・", "フアン"])
    }

    @Test func leadingLongVowelMarkIsADash() throws {
        let tokens = try Tokenizer().tokens(in: "東京ーテスト")
        #expect(tokens.map(\.surface) == ["東京", "ー", "テスト"])
        #expect(tokens[1].script == .symbol)
        // ー inside a hiragana word is not a dash.
        #expect(try words("らーめんを食べる").first == "らーめん")
    }

    @Test func halfWidthAndVariantSpellingsSegmentLikeTheirNormalForm() throws {
        let tokens = try Tokenizer().tokens(in: "ﾌｧｰｳｪｲのｻｰﾊﾞｰ")
        #expect(tokens.map(\.surface) == ["ﾌｧｰｳｪｲ", "の", "ｻｰﾊﾞｰ"])
        #expect(tokens.map(\.normalized) == ["ファーウェイ", "の", "サーバー"])
        #expect(tokens[2].start == 7 && tokens[2].end == 12)
        #expect(tokens[2].byteStart == 21 && tokens[2].byteEnd == 36)
    }

    @Test func scriptClasses() throws {
        let tokens = try Tokenizer().tokens(in: "半導体 ファウンドリー です H100 2025 AI 、")
        let classes = Dictionary(tokens.map { ($0.surface, $0.script) }, uniquingKeysWith: { a, _ in a })
        #expect(classes["半導体"] == .kanji)
        #expect(classes["ファウンドリー"] == .katakana)
        #expect(classes["です"] == .hiragana)
        #expect(classes["H100"] == .mixed)
        #expect(classes["2025"] == .digit)
        #expect(classes["AI"] == .latin)
        #expect(classes["、"] == .symbol)
        #expect(classes[" "] == .space)
    }

    @Test func shortUnitsSplitKatakanaCompoundsTheLexiconKnows() throws {
        let lexicon = SegmentationLexicon(words: ["データ", "センター", "クラウド"])
        #expect(try words("データセンターを建てる", unit: .short, lexicon: lexicon).prefix(2) == ["データ", "センター"])
        // Long units keep the compound.
        #expect(try words("データセンターを建てる", unit: .long, lexicon: lexicon).first == "データセンター")
        // No full cover: kept whole.
        #expect(try words("データベース", unit: .short, lexicon: lexicon) == ["データベース"])
    }

    @Test func longUnitsJoinLexiconTermsAcrossTokens() throws {
        let lexicon = SegmentationLexicon(words: ["アセンド910C"])
        let tokens = try Tokenizer(unit: .long, lexicon: lexicon).tokens(in: "新しいアセンド910Cチップ")
        let joined = try #require(tokens.first { $0.surface == "アセンド910C" })
        #expect(joined.parts.map(\.surface) == ["アセンド", "910C"])
        #expect(joined.script == .mixed)
    }

    @Test func sentencesFollowJapanesePunctuation() throws {
        let sentences = try Tokenizer().sentences(in: "雨が降った。「本当に？」と彼は言った。晴れ！\n次の行")
        #expect(sentences.map(\.text) == ["雨が降った。", "「本当に？」と彼は言った。", "晴れ！\n", "次の行"])
        #expect(sentences.map(\.index) == [0, 1, 2, 3])
    }

    @Test func emptyInputHasNoTokens() throws {
        #expect(try Tokenizer().tokens(in: "").isEmpty)
    }
}

enum HashiICUProbe {
    static func icuWords(_ text: String) throws -> [String] {
        try BreakIterator(.word, locale: "ja").segments(of: text)
    }
}
