import Testing

@testable import HashiKit

@Suite("Text buffer: normalization with an offset map")
struct TextBufferTests {
    func normalized(_ s: String) -> String {
        let buffer = TextBuffer()
        buffer.load(s)
        return String(decoding: buffer.normalized, as: UTF16.self)
    }

    @Test func halfWidthKatakanaAndFullWidthLatin() {
        #expect(normalized("ﾌｧｰｳｪｲ") == "ファーウェイ")
        #expect(normalized("ＨＵＡＷＥＩのＡＩ") == "HUAWEIのAI")
        #expect(normalized("ｻｰﾊﾞｰ") == "サーバー")
    }

    @Test func combiningDakutenComposes() {
        #expect(normalized("ハ\u{3099}ッテリー") == "バッテリー")
        #expect(normalized("フ\u{309A}ロセッサー") == "プロセッサー")
    }

    @Test func longVowelVariantsFoldAfterKatakana() {
        #expect(normalized("コンピュ－タ") == "コンピュータ")
        #expect(normalized("サーバ―") == "サーバー")
        #expect(normalized("サ-バ") == "サーバ")
        // Not after katakana, and not before Latin or digits: a real hyphen.
        #expect(normalized("A-1") == "A-1")
        #expect(normalized("ソニー-2") == "ソニー-2")
    }

    @Test func middleDotVariantsFoldBetweenKatakana() {
        #expect(normalized("ジェンスン･フアン") == "ジェンスン・フアン")
        #expect(normalized("ジェンスン·フアン") == "ジェンスン・フアン")
        #expect(normalized("A·B") == "A·B")
    }

    @Test func mapPointsIntoTheOriginal() {
        let buffer = TextBuffer()
        buffer.load("ｶﾞ㍿Ａ")
        // ｶﾞ (2 scalars) → ガ; ㍿ (1) → 株式会社 (4 units); Ａ → A
        #expect(String(decoding: buffer.normalized, as: UTF16.self) == "ガ株式会社A")
        #expect(buffer.normalizedToScalar == [0, 2, 2, 2, 2, 3, 4])
        #expect(buffer.isCutAllowed(atNormalized: 1))
        #expect(!buffer.isCutAllowed(atNormalized: 2))
        #expect(buffer.originalString(normalized: 1..<5) == "㍿")
        #expect(buffer.scalarByteOffset == [0, 3, 6, 9, 12])
    }

    @Test func invalidUTF8AndNULAreReportedWithOffsets() {
        let buffer = TextBuffer()
        let bad: [UInt8] = Array("ab".utf8) + [0xE3, 0x81] + Array("c".utf8)
        #expect(throws: TextBuffer.DecodingError.invalidUTF8(offset: 2)) {
            try bad.withUnsafeBufferPointer { try buffer.load($0) }
        }
        let nul: [UInt8] = [0x61, 0x00]
        #expect(throws: TextBuffer.DecodingError.nulByte(offset: 1)) {
            try nul.withUnsafeBufferPointer { try buffer.load($0) }
        }
        let overlong: [UInt8] = [0xC0, 0xAF]
        #expect(throws: TextBuffer.DecodingError.invalidUTF8(offset: 0)) {
            try overlong.withUnsafeBufferPointer { try buffer.load($0) }
        }
    }
}
