import PropertyBased
import Testing

@testable import HashiKit

/// Invariants over random text built from the characters that stress
/// normalization and segmentation.
@Suite("Properties: tokens tile the input")
struct TilingPropertyTests {
    static let alphabet: [String] = [
        "ア", "フ", "ァ", "ー", "ｰ", "－", "-", "・", "･", "·", "ｶ", "ﾞ", "\u{3099}", "ハ", "ヴ", "ェ", "エ",
        "あ", "は", "の", "漢", "字", "株", "㍿", "Ａ", "A", "b", "1", "９", " ", "\u{3000}", "\n", "\r\n", "。",
        "！", "?", "「", "」", "😀", "é", "e\u{301}", "\t", "~",
    ]

    static let textGen = Gen.element(of: alphabet).map { $0! }.array(of: 0...40).map { $0.joined() }

    @Test func surfacesRebuildTheOriginalExactly() async throws {
        let long = try Tokenizer(unit: .long)
        let short = try Tokenizer(unit: .short, lexicon: SegmentationLexicon(words: ["アフ", "ァー", "ハヴ"]))
        await propertyCheck(count: 300, input: Self.textGen) { text in
            for tokenizer in [long, short] {
                let tokens = try tokenizer.tokens(in: text)
                #expect(tokens.map(\.surface).joined() == text)
                // Offsets are contiguous and agree with the surfaces.
                var scalar = 0, byte = 0
                for token in tokens {
                    #expect(token.start == scalar && token.byteStart == byte)
                    #expect(token.end - token.start == token.surface.unicodeScalars.count)
                    #expect(token.byteEnd - token.byteStart == token.surface.utf8.count)
                    #expect(!token.surface.isEmpty)
                    scalar = token.end
                    byte = token.byteEnd
                    if token.isCompound {
                        #expect(token.parts.map(\.surface).joined() == token.surface)
                    }
                }
            }
        }
    }

    @Test func sentencesTileTheInput() async throws {
        let tokenizer = try Tokenizer()
        await propertyCheck(count: 200, input: Self.textGen) { text in
            let sentences = try tokenizer.sentences(in: text)
            #expect(sentences.map(\.text).joined() == text)
            #expect(sentences.map(\.index) == Array(0..<sentences.count))
        }
    }

    @Test func katakanaRunsAreNeverCut() async throws {
        let tokenizer = try Tokenizer(unit: .short)
        await propertyCheck(count: 200, input: Self.textGen) { text in
            for token in try tokenizer.tokens(in: text) where token.script == .katakana {
                // No token boundary falls between two katakana letters.
                #expect(!token.normalized.isEmpty)
            }
            let tokens = try tokenizer.tokens(in: text)
            for (a, b) in zip(tokens, tokens.dropFirst()) {
                guard let last = a.normalized.unicodeScalars.last, let first = b.normalized.unicodeScalars.first else { continue }
                let joinsKatakana = CharClass.isKatakanaLetter(last.value) || (last.value == 0x30FC && a.script == .katakana)
                #expect(!(joinsKatakana && CharClass.isKatakanaLetter(first.value)), "cut inside \(a.surface)|\(b.surface)")
            }
        }
    }
}
