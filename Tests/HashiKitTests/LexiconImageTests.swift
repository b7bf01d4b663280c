import Foundation
import Testing

@testable import HashiKit

@Suite("Compiled lexicon")
struct LexiconImageTests {
    static let directory = TestPaths.packageRoot.appendingPathComponent("dictionaries").path

    /// Fails when dictionaries/lexicon.bin is stale: run `hashi dict compile dictionaries` and rebuild.
    static let entityTags: [UInt32] = {
        typealias T = LexiconCompiler.Tag
        return [
            T.entities, T.entityOffsets, T.entityMeta, T.idHashes, T.idEntities, T.edgeFirst, T.edgeUnits, T.edgeChildren,
            T.rootChildren, T.valueStarts, T.values, T.latinStarts, T.latinBytes, T.latinEntities, T.latinShapes, T.latinByLength,
            T.referrerStarts, T.referrers, T.formHashes, T.formHashMax, T.cueStarts, T.cues, T.cueCount, T.cueEdgeFirst,
            T.cueEdgeUnits, T.cueEdgeChildren, T.cueAtNode,
        ]
    }()

    @Test func committedImageMatchesTheDictionaries() throws {
        let compiled = try LexiconCompiler.compile(directory: Self.directory)
        let committed = try [UInt8](Data(contentsOf: TestPaths.packageRoot.appendingPathComponent(LexiconCompiler.builtinPath)))
        // (Booleans: the images are megabytes, too long to print.)
        let current = compiled == committed
        #expect(current, "dictionaries/lexicon.bin is stale: run hashi dict compile dictionaries, then rebuild")
        // The image built into the binary is the committed one.
        let embedded = BuiltinImage.image.bytes.elementsEqual(committed)
        #expect(embedded, "rebuild hashi: the embedded lexicon is not dictionaries/lexicon.bin")
        // (Tables are stored ready to use, hash slots included: size traded for start-up.)
        #expect(compiled.count < 8 << 20, "the image should stay under 8 MiB")
    }

    @Test func theSameFilesGiveTheSameBytes() throws {
        let a = try LexiconCompiler.compile(directory: Self.directory)
        let b = try LexiconCompiler.compile(directory: Self.directory)
        let same = a == b
        #expect(same)
        // Another order of the rows of one file gives other bytes (the order is kept).
        let people = try String(contentsOfFile: Self.directory + "/people.tsv", encoding: .utf8)
        var lines = people.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstRow = lines.firstIndex { !$0.hasPrefix("#") && !$0.hasPrefix("id\t") && !$0.isEmpty }!
        lines.swapAt(firstRow, firstRow + 1)
        let katakana = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.directory + "/segmentation/katakana-words.tsv")))
        let rules = try String(contentsOfFile: Self.directory + "/segmentation/hiragana-rules.tsv", encoding: .utf8)
        let common = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.directory + "/everyday/common-words.tsv")))
        let swapped = try LexiconCompiler.compile(
            entityFiles: [("people.tsv", lines.joined(separator: "\n"))], katakanaWords: katakana,
            hiraganaRules: ("segmentation/hiragana-rules.tsv", rules), commonWords: common)
        let again = try LexiconCompiler.compile(
            entityFiles: [("people.tsv", lines.joined(separator: "\n"))], katakanaWords: katakana,
            hiraganaRules: ("segmentation/hiragana-rules.tsv", rules), commonWords: common)
        let deterministic = swapped == again, differs = swapped != a
        #expect(deterministic)
        #expect(differs)
    }

    /// What the runtime reads from the image is what it would build from the rows.
    @Test func readingTheImageGivesTheTablesBuiltFromTheRows() throws {
        var entities: [Entity] = []
        var issues: [DictionaryIssue] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter({ $0.hasSuffix(".tsv") }).sorted() {
            let parsed = DictionaryParser.parse(
                try String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8),
                file: name, source: .curated)
            entities += parsed.entities
            issues += parsed.issues
        }
        let builtin = Dictionaries.builtin
        let sameEntities = builtin.entities == entities
        #expect(sameEntities)
        #expect(builtin.issues == issues)
        // The entity sections compiled from the rows in memory are the built-in image's.
        let storage = TableStorage(copying: LexiconCompiler.compileEntities(EntityLexicon.Tables(entities)))
        let rowsImage = try LexiconImage(bytes: storage.raw)
        for tag in Self.entityTags {
            let same = try rowsImage.section(tag).elementsEqual(try BuiltinImage.image.section(tag))
            #expect(same, "section \(LexiconImage.name(of: tag)) differs")
        }
        withExtendedLifetime(storage) {}
        #expect(EntityLexicon.builtin.entities.count == entities.count)
        #expect(EntityLexicon.builtin.entity(id: "huawei")?.en == "Huawei")
        #expect(EntityLexicon.builtin.entity(id: "no-such-id") == nil)

        let katakana = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.directory + "/segmentation/katakana-words.tsv")))
        let short = katakana.withUnsafeBufferPointer { LexiconCompiler.shortUnits(fromKatakanaWords: $0) }
        let sameShort = BuiltinLexicon.shortUnits.compiled == short.compiled
        #expect(sameShort)
        let sameLong = BuiltinLexicon.longUnits.compiled == LexiconCompiler.longUnits(entities).compiled
        #expect(sameLong)
        // The compiled common-words index is the one made from the embedded file.
        let file = try #require(BuiltinData.files.first { $0.name == "everyday/common-words.tsv" })
        let index = CommonWords.index(of: file.bytes)
        let compiledIndex = try LexiconReader.commonWordsIndex(in: BuiltinImage.image, fileSize: file.bytes.count)
        let sameIndex = index.hashes == compiledIndex.hashes && index.offsets == compiledIndex.offsets
        #expect(sameIndex)
        #expect(CommonWords.builtin.word("マスク") == CommonWords(file).word("マスク"))
        #expect(CommonWords.builtin.word("マスク") != nil)
        #expect(throws: LexiconImage.Error.self) {
            try LexiconReader.commonWordsIndex(in: BuiltinImage.image, fileSize: file.bytes.count - 1)
        }
        #expect(BuiltinLexicon.shortUnits.contains("データ"))
        #expect(BuiltinLexicon.longUnits.contains("ファーウェイ"))
        // The built-in lexicon and one built in memory from the same rows link alike.
        let text = "ファーウェイはNvidiaのH100に対抗するアセンド910Cを発表した。"
        let fromImage = try Linker(lexicon: EntityLexicon.builtin).annotate(text: text).map { "\($0.surface)=\($0.id ?? "-")" }
        let fromRows = try Linker(lexicon: EntityLexicon(entities)).annotate(text: text).map { "\($0.surface)=\($0.id ?? "-")" }
        #expect(fromImage == fromRows)
        #expect(fromImage.contains("ファーウェイ=huawei"))
    }

    @Test func aDamagedImageIsAnErrorNotACrash() throws {
        let good = Array(BuiltinImage.image.bytes)
        func read(_ bytes: [UInt8]) throws {
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 8), alignment: 8)
            defer { memory.deallocate() }
            memory.copyBytes(from: bytes)
            let image = try LexiconImage(bytes: UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count]))
            let entities = try LexiconReader.entities(in: image)
            // A usable lexicon answers from damaged tables with misses, never out of bounds.
            let lexicon = try EntityLexicon(image: image, storage: nil, checkEntities: true)
            for entity in entities.entities.prefix(50) {
                _ = lexicon.lookup(key: MatchKey.of(entity.en))
                _ = lexicon.entity(id: entity.id)
                if let k = lexicon.index(of: entity.id) { _ = lexicon.cues(of: k) }
                _ = lexicon.entitiesReferring(to: entity.id)
            }
            _ = lexicon.fuzzyLatin(Array("nvidai".utf8))
            let probe = Array("ファーウェイとエヌビディアの半導体、データセンター".utf16)
            probe.withUnsafeBufferPointer { lexicon.forEachCue(in: $0) { _ in } }
            for long in [false, true] {
                let segmentation = try LexiconReader.segmentation(in: image, long: long)
                for n in 1...4 {
                    for i in 0..<(probe.count - n) {
                        probe.withUnsafeBufferPointer { _ = segmentation.cost(of: UnsafeBufferPointer(rebasing: $0[i..<i + n])) }
                    }
                }
            }
            _ = try LexiconReader.hiraganaRules(in: image)
            let common = try #require(BuiltinData.files.first { $0.name == "everyday/common-words.tsv" })
            _ = try LexiconReader.commonWordsIndex(in: image, fileSize: common.bytes.count)
        }
        try read(good)
        #expect(throws: LexiconImage.Error.self) { try read([]) }
        #expect(throws: LexiconImage.Error.self) { try read(Array(good.prefix(23))) }
        #expect(throws: LexiconImage.Error.self) { try read(Array(good.prefix(good.count / 2))) }
        var magic = good
        magic[0] = 0x58
        #expect(throws: LexiconImage.Error.self) { try read(magic) }
        var version = good
        version[8] = 99
        #expect(throws: LexiconImage.Error.self) { try read(version) }
        // A section pointing past the end.
        var offset = good
        offset[24 + 8 + 7] = 0x7F
        #expect(throws: LexiconImage.Error.self) { try read(offset) }
        // Random damage anywhere in the records: an error or a usable lexicon, never a crash.
        var generator = SystemRandomNumberGenerator()
        var errors = 0
        for _ in 0..<200 {
            var bytes = good
            for _ in 0..<8 {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            do { try read(bytes) } catch { errors += 1 }
        }
        // Truncated at every section boundary.
        let image = BuiltinImage.image
        for tag in [
            LexiconCompiler.Tag.entities, LexiconCompiler.Tag.edgeFirst, LexiconCompiler.Tag.latinBytes, LexiconCompiler.Tag.cues,
            LexiconCompiler.Tag.short.pool, LexiconCompiler.Tag.hiraganaRules,
        ] {
            let section = try image.section(tag)
            let start = section.baseAddress! - image.bytes.baseAddress!
            #expect(throws: LexiconImage.Error.self) { try read(Array(good.prefix(start + section.count / 2))) }
        }
        #expect(errors > 0, "random damage should mostly be caught")
    }
}
