import Foundation
import HashiKit
import Testing

/// The code of the DocC getting-started article (Sources/HashiKit/HashiKit.docc),
/// run as written, with what the article says it prints. Only the public API.
@Suite("Documentation examples")
struct DocumentationExampleTests {
    @Test func tokenize() throws {
        let tokenizer = try Tokenizer.builtin(unit: .long)
        var lines: [String] = []
        for sentence in try tokenizer.sentences(in: "ファーウェイはアセンド910Cを発表した。") {
            for token in sentence.tokens where !token.isSpace {
                lines.append("\(token.surface) \(token.script) \(token.start) \(token.end)")
            }
        }
        #expect(Array(lines.prefix(3)) == ["ファーウェイ katakana 0 6", "は hiragana 6 7", "アセンド910C mixed 7 15"])
    }

    @Test func annotateAndGlossary() throws {
        let lexicon = try Dictionaries.lexicon()
        let linker = try Linker(lexicon: lexicon, edict: nil)
        var lines: [String] = []
        for mention in try linker.annotate(text: "ジェンスン・フアン氏は語った。フアン氏は…") where mention.isLinked {
            lines.append("\(mention.surface) \(mention.en ?? "") \(mention.match)")
        }
        #expect(lines == ["ジェンスン・フアン Jensen Huang exact", "フアン Jensen Huang coreference"])

        var glossary = Glossary()
        for (name, text) in [("a", "ファーウェイのアセンド（Ascend）910C。"), ("b", "米国と米。")] {
            glossary.add(try linker.annotated(text: text, name: name), lexicon: lexicon)
        }
        var writer = GlossaryWriter(format: .tbx)
        writer.reading = GlossaryWriter.defaultReading(edict: nil)
        let tbx = try writer.render(glossary, options: GlossaryOptions())
        #expect(tbx.contains("<term>アセンド910C</term>") && tbx.contains("<term>米国</term>"))
    }

    @Test func corpus() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "ファーウェイ\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "# About\n".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try #"{"id": "r1", "text": "x"}"#.write(to: dir.appendingPathComponent("b.jsonl"), atomically: true, encoding: .utf8)
        var names: [String] = []
        let corpus = Corpus(arguments: [dir.path])
        for case .success(let files) in corpus.files() {
            for file in files {
                try Corpus.forEachDocument(in: file) { document in names.append(document.name) }
            }
        }
        #expect(names == ["\(dir.path)/a.txt", "r1"])
    }
}
