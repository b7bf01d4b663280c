import Testing

@testable import HashiICU

@Suite("ICU façade")
struct ICUTests {
    @Test func versionIsICU72OrLater() {
        let major = Int(ICU.version.split(separator: ".").first ?? "0") ?? 0
        #expect(major >= 72)
    }

    @Test func japaneseWordBreaks() throws {
        let words = try BreakIterator(.word, locale: "ja")
        #expect(try words.segments(of: "東京タワーに行く") == ["東京タワー", "に", "行く"])
        // The iterator is reusable and keeps no state between texts.
        #expect(try words.segments(of: "") == [])
        #expect(try words.segments(of: "AI") == ["AI"])
    }

    @Test func cloneBreaksLikeTheOriginal() throws {
        let words = try BreakIterator(.word, locale: "ja")
        let copy = try words.clone()
        #expect(try copy.segments(of: "日本語の文章") == (try words.segments(of: "日本語の文章")))
    }

    @Test func sentenceBreaks() throws {
        let sentences = try BreakIterator(.sentence, locale: "ja")
        #expect(try sentences.segments(of: "雨だ。晴れた！本当？") == ["雨だ。", "晴れた！", "本当？"])
    }

    @Test func nfkcFoldsWidthAndComposesMarks() throws {
        #expect(try NFKC.normalize("ﾌｧｰｳｪｲ") == "ファーウェイ")
        #expect(try NFKC.normalize("ＡＩチップ１００") == "AIチップ100")
        #expect(try NFKC.normalize("ハ\u{3099}") == "バ")
        #expect(try NFKC.normalize("ｶﾞ") == "ガ")
        #expect(try NFKC.normalize("㍿") == "株式会社")
        #expect(NFKC.isInert(0x6F22))  // 漢
        #expect(!NFKC.isInert(0xFF21))  // Ａ
        #expect(!NFKC.hasBoundaryBefore(0x3099))
    }

    @Test func transliterators() throws {
        #expect(try Transliterator(Transliterator.katakanaLatin).transliterate("テスト") == "tesuto")
        #expect(try Transliterator(Transliterator.hiraganaLatin).transliterate("ひらがな") == "hiragana")
        #expect(try Transliterator(Transliterator.hiraganaKatakana).transliterate("ひらがな") == "ヒラガナ")
        #expect(try Transliterator(Transliterator.fullwidthHalfwidth).transliterate("ＡＩ") == "AI")
    }

    @Test func unknownTransliteratorThrowsWithICUName() {
        #expect {
            _ = try Transliterator("No-Such-Transform")
        } throws: { error in
            guard let icu = error as? ICUError else { return false }
            return icu.name.hasPrefix("U_") && icu.code > 0 && icu.description.contains("No-Such-Transform")
        }
    }

    @Test func collatorOrdersJapanese() throws {
        let collator = try Collator(locale: "ja")
        #expect(collator.compare("あ", "か") < 0)
        #expect(collator.compare("カ", "あ") > 0)
        #expect(collator.compare("東京", "東京") == 0)
        let words = ["ファーウェイ", "アップル", "エヌビディア", "インテル"]
        let sorted = words.sorted { collator.compare($0, $1) < 0 }
        #expect(sorted == ["アップル", "インテル", "エヌビディア", "ファーウェイ"])
        let byKey = words.sorted { collator.sortKey($0).lexicographicallyPrecedes(collator.sortKey($1)) }
        #expect(byKey == sorted)
    }

    @Test func charsetConversionAndDetection() throws {
        // 日本語 in Shift_JIS, repeated so that detection has something to go on.
        let sjis: [UInt8] = Array(repeating: [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x82, 0xCC, 0x95, 0xB6, 0x8F, 0xCD], count: 8).flatMap {
            $0
        }
        let units = try sjis.withUnsafeBytes { try Charset.toUTF16($0, from: "windows-31j") }
        #expect(String(decoding: units, as: UTF16.self).hasPrefix("日本語の文章"))
        let guess = try sjis.withUnsafeBytes { try Charset.detect($0) }
        #expect(guess.name == "Shift_JIS")
        #expect(Charset.exists("EUC-JP"))
        #expect(!Charset.exists("no-such-charset"))
    }

    @Test func invalidBytesReportTheirOffset() {
        // Valid EUC-JP for two characters, then a byte that cannot start a character.
        let bytes: [UInt8] = [0xC6, 0xFC, 0xCB, 0xDC, 0xFF, 0x41]
        #expect(throws: Charset.ConversionError.invalidBytes(offset: 4, icuName: "U_ILLEGAL_CHAR_FOUND")) {
            _ = try bytes.withUnsafeBytes { try Charset.toUTF16($0, from: "EUC-JP") }
        }
    }
}
