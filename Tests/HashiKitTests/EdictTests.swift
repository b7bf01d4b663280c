import Foundation
import Testing

@testable import HashiKit

@Suite("EDICT import and index")
struct EdictTests {
    /// Small EUC-JP files in the format of Debian's edict and enamdict (Tests/Fixtures/edict).
    static let edictPath = TestPaths.fixture("edict/edict")
    static let enamdictPath = TestPaths.fixture("edict/enamdict")

    @Test func parsesGlossesAndChoosesTheSourceWord() throws {
        let entries = try EdictImporter.read(Self.edictPath, source: .edict)
        let byHead = Dictionary(entries.map { ($0.headword, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byHead["ドライブ"]?.english == "drive")
        #expect(byHead["サーバー"]?.english == "server")
        #expect(byHead["サーバー"]?.glosses == ["server", "server"])
        #expect(byHead["インテル"]?.english == "Intel")
        #expect(byHead["キリン"]?.english == "giraffe")  // (uk): a Japanese word, first gloss
        #expect(byHead["技術"]?.reading == "ぎじゅつ")
        #expect(byHead["技術"]?.english == "art")
        #expect(entries.allSatisfy { $0.type == .term })
        let names = try EdictImporter.read(Self.enamdictPath, source: .enamdict)
        #expect(names.map(\.type) == [.person, .place])
    }

    @Test func indexRoundTripsAndFindsVariants() throws {
        var entries = try EdictImporter.read(Self.edictPath, source: .edict)
        entries += try EdictImporter.read(Self.enamdictPath, source: .enamdict)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).idx").path
        try EdictIndex.write(entries, to: path)
        let index = try EdictIndex(path: path)
        #expect(index.count == entries.count)
        #expect(index.lookup(key: MatchKey.of("ｻｰﾊﾞ")).first?.english == "server")
        #expect(index.lookup(key: MatchKey.of("フアン")).first?.english == "Juan")
        #expect(index.lookup(key: MatchKey.of("存在しない")).isEmpty)
        // A foreign file is refused with a clear error.
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: EdictIndex.FormatError.self) { _ = try EdictIndex(path: path) }
    }

    @Test func documentEvidenceBeatsABareLexiconHit() throws {
        var entries = try EdictImporter.read(Self.edictPath, source: .edict)
        entries += try EdictImporter.read(Self.enamdictPath, source: .enamdict)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).idx").path
        try EdictIndex.write(entries, to: path)
        let lexicon = EntityLexicon(DictionaryParser.parse(LinkerTests.dictionary, file: "test.tsv", source: .curated).entities)
        let linker = try Linker(lexicon: lexicon, edict: try EdictIndex(path: path))
        let chip = try linker.annotate(text: "ファーウェイはキリンのチップを出す。ジェンスン・フアンが語った。フアン氏は笑った。")
        #expect(chip.filter { $0.surface == "キリン" }.map(\.id) == ["kirin-chip"])
        #expect(chip.filter { $0.surface == "フアン" }.map(\.id) == ["jensen-huang"])
        // Without context, EDICT answers, marked as such.
        let zoo = try linker.annotate(text: "動物園のキリンとドライブ")
        #expect(zoo.map(\.en) == ["giraffe", "drive"])
        #expect(zoo.map(\.source) == [.edict, .edict])
    }

    @Test func damagedIndexGivesNoEntriesNeverACrash() throws {
        var entries = try EdictImporter.read(Self.edictPath, source: .edict)
        entries += try EdictImporter.read(Self.enamdictPath, source: .enamdict)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).idx").path
        try EdictIndex.write(entries, to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Every record's key and entry offsets point far past the end of the file.
        let count = Int(bytes.withUnsafeBytes { $0.load(fromByteOffset: 12, as: UInt32.self) })
        for record in 0..<count {
            for field in [2, 4] {
                let at = 16 + (record * 8 + field) * 4
                bytes.replaceSubrange(at..<(at + 4), with: [0xF0, 0xFF, 0xFF, 0x7F])
            }
        }
        try bytes.write(to: URL(fileURLWithPath: path))
        let index = try EdictIndex(path: path)
        #expect(index.lookup(key: MatchKey.of("ドライブ")).isEmpty)
        // A record count larger than the file is refused.
        bytes.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0x0F])
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: EdictIndex.FormatError.self) { _ = try EdictIndex(path: path) }
    }

    @Test func malformedEdictLinesAreSkipped() {
        #expect(EdictImporter.parse("ドライブ ]x[ /(n) drive/", source: .edict)?.headword == "ドライブ ]x[")
        #expect(EdictImporter.parse("no slash here", source: .edict) == nil)
        #expect(EdictImporter.parse("語 [ご /", source: .edict) == nil)
    }
}
