import Foundation
import HashiICU
import Testing

@testable import HashiKit

/// Long katakana runs (issue 16): the work per run is bounded, so time grows
/// linearly with its length. The timing tests compare two sizes of the same input
/// in one run (a ratio, never a wall-clock limit): linear work gives about 4 for
/// 4 times the length, quadratic work about 16.
@Suite("Hostile lengths", .serialized)
struct HostileLengthTests {
    /// The fastest of three runs of `body`, in nanoseconds.
    static func fastest(_ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
        }
        return best
    }

    static func randomKatakana(_ n: Int, seed: UInt64) -> String {
        var generator = SplitMix(seed: seed)
        var text = String.UnicodeScalarView()
        for _ in 0..<n { text.append(Unicode.Scalar(UInt32(0x30A1 + Int(generator.next() % 90)))!) }
        return String(text)
    }

    /// Katakana runs of `n` characters: アーアー…, ア・ア・…, random katakana, アーーー….
    static func run(_ kind: Int, _ n: Int) -> String {
        switch kind {
        case 0: String(repeating: "アー", count: n / 2)
        case 1: String(repeating: "ア・", count: n / 2)
        case 2: randomKatakana(n, seed: 7)
        default: "ア" + String(repeating: "ー", count: n - 1)
        }
    }

    @Test(arguments: 0..<4)
    func linkingIsLinearInTheLengthOfAKatakanaRun(kind: Int) throws {
        let linker = try Linker(lexicon: Dictionaries.lexicon())
        let small = Self.run(kind, 6_000) + "\n", large = Self.run(kind, 24_000) + "\n"
        _ = try linker.annotated(text: small)
        let a = try Self.fastest { _ = try linker.annotated(text: small) }
        let b = try Self.fastest { _ = try linker.annotated(text: large) }
        #expect(b / a < 8, "run \(kind): 4 times the length took \(b / a) times as long")
    }

    @Test func glossaryOfALongLineIsLinear() throws {
        let linker = try Linker(lexicon: Dictionaries.lexicon())
        // Many distinct unknown words in one sentence of one line: each needs its context.
        func text(_ n: Int) -> String {
            (0..<n).map { "テスト\(Self.randomKatakana(4, seed: UInt64($0)))と" }.joined() + "。\n"
        }
        let small = try linker.annotated(text: text(1_500)), large = try linker.annotated(text: text(6_000))
        let a = Self.fastest {
            var g = Glossary(); g.add(small, lexicon: linker.lexicon)
        }
        let b = Self.fastest {
            var g = Glossary(); g.add(large, lexicon: linker.lexicon)
        }
        #expect(b / a < 8, "4 times the mentions took \(b / a) times as long")
    }

    @Test func transliterationRefusesOverlongWordsAtOnce() {
        let transliterator = BackTransliterator()
        let long = String(repeating: "アー", count: 200_000)
        #expect(throws: TransliterationError.tooLong(long)) { _ = try transliterator.candidates(for: long) }
        #expect(transliterator.plausibility(of: "a", for: long) == nil)
        // 64 units is still a word.
        let longest = String(repeating: "カ", count: BackTransliterator.maxUnits)
        #expect((try? transliterator.candidates(for: longest)) != nil)
        #expect(throws: TransliterationError.tooLong(longest + "カ")) { _ = try transliterator.candidates(for: longest + "カ") }
    }

    /// Romaji of long kana text, made in pieces, is the romaji of the whole.
    @Test func romajiInPiecesEqualsRomajiOfTheWhole() throws {
        let katakana = try Transliterator(Transliterator.katakanaLatin)
        let hiragana = try Transliterator(Transliterator.hiraganaLatin)
        let alphabet = Array("アイウエオカキクケコガギグゲゴサシスセソジタチツテトダデナニヌネノハヒフヘホバパビピブプベペボポマミムメモヤユヨラリルレロワヲンッャュョァィゥェォーヴ・ A1")
        let hiraganaAlphabet = Array("あいうえおかきくけこがぎぐげごさしすせそじたちつてとだでなにぬねのはひふへほばぱまみむめもやゆよらりるれろわをんっゃゅょぁぃぅぇぉー")
        var generator = SplitMix(seed: 42)
        for round in 0..<40 {
            let letters = round % 2 == 0 ? alphabet : hiraganaAlphabet
            let n = 200 + Int(generator.next() % 900)
            let text = String((0..<n).map { _ in letters[Int(generator.next() % UInt64(letters.count))] })
            let transliterator = round % 2 == 0 ? katakana : hiragana
            #expect(try Romanizer.inPieces(text, transliterator) == transliterator.transliterate(text), "round \(round)")
        }
    }
}

/// A small deterministic generator (tests repeat exactly).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
