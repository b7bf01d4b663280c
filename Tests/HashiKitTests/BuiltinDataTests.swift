import Foundation
import Testing

@testable import HashiKit

@Suite("Built-in data")
struct BuiltinDataTests {
    /// Fails when Sources/CHashiData/hashi_data.c is stale: run scripts/generate-builtin-data.py.
    @Test func embeddedFilesMatchDictionariesOnDisk() throws {
        let root = TestPaths.packageRoot.appendingPathComponent("dictionaries")
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        var onDisk: [String: Data] = [:]
        while let name = walker.nextObject() as? String {
            // The rest reaches the binary compiled into lexicon.bin (LexiconImageTests).
            if name.hasSuffix(".tsv") && name.hasPrefix("everyday/") {
                onDisk[name] = try Data(contentsOf: root.appendingPathComponent(name))
            }
        }
        let embedded = Dictionary(uniqueKeysWithValues: BuiltinData.files.map { ($0.name, Data(buffer: $0.bytes)) })
        #expect(Set(embedded.keys) == Set(onDisk.keys), "run scripts/generate-builtin-data.py")
        for (name, data) in onDisk {
            #expect(embedded[name] == data, "\(name) changed: run scripts/generate-builtin-data.py")
        }
    }

    @Test func shortUnitLexiconAndRulesLoad() throws {
        #expect(BuiltinLexicon.shortUnits.count > 80_000)
        #expect(BuiltinLexicon.shortUnits.contains("データ"))
        #expect(BuiltinLexicon.hiraganaRules.count > 50)
        let words = try Tokenizer.builtin(unit: .short).tokens(in: "データセンターを建設していた。").filter { !$0.isSpace }.map(\.surface)
        #expect(words == ["データ", "センター", "を", "建設", "し", "て", "い", "た", "。"])
    }

    @Test func malformedRulesReportTheLine() {
        #expect(throws: ResegmentationRules.ParseError.self) {
            _ = try ResegmentationRules(tsv: "# ok\nした\tし|て\n", source: "rules.tsv")
        }
        do {
            _ = try ResegmentationRules(tsv: "# ok\nした\n", source: "rules.tsv")
        } catch {
            #expect(error.description == "rules.tsv:2: expected 2 tab-separated fields, found 1")
        }
    }
}
