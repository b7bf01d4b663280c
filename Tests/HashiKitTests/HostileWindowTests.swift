import Foundation
import Testing

@testable import HashiKit

/// A large document annotated in windows (issue 16): bounded parts, and the same
/// result as the whole when the evidence of the document is in the first window.
@Suite("Hostile sizes: documents in windows")
struct HostileWindowTests {
    /// The project's corpus repeated into one document (evidence all in the first copy).
    static func document(copies: Int) throws -> (InputDocument, Int) {
        let corpora = TestPaths.packageRoot.appendingPathComponent("corpora")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpora.path).filter { $0.hasSuffix(".txt") }.sorted()
        var text = Data()
        for name in names { text.append(try Data(contentsOf: corpora.appendingPathComponent(name))) }
        let one = text
        for _ in 1..<copies { text.append(one) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-window-\(UUID().uuidString).txt").path
        try text.write(to: URL(fileURLWithPath: path))
        return (InputDocument(name: path, path: path), one.count)
    }

    @Test func partsAreBoundedAndAddUpToTheWhole() throws {
        let (document, copy) = try Self.document(copies: 6)
        defer { try? FileManager.default.removeItem(atPath: document.path!) }
        let linker = try Linker(lexicon: Dictionaries.lexicon())
        let whole = try linker.annotate(document, reader: DocumentReader())
        let window = copy + copy / 2
        var parts: [AnnotatedDocument] = []
        try linker.annotate(document, reader: DocumentReader(), windowBytes: window) { parts.append($0) }
        #expect(parts.count >= 3)
        #expect(parts.map(\.part) == Array(0..<parts.count))
        #expect(parts.map(\.isLastPart) == Array(repeating: false, count: parts.count - 1) + [true])
        let longestLine = whole.lines.map(\.utf8.count).max() ?? 0
        for part in parts.dropLast() {
            #expect(part.lines.reduce(0) { $0 + $1.utf8.count } < window + longestLine)
        }
        #expect(parts.flatMap(\.lines) == whole.lines)
        #expect(parts.flatMap(\.lineByteStarts) == whole.lineByteStarts)
        #expect(parts.flatMap(\.mentions) == whole.mentions)

        // The glossary counts the document once, each entry in it once.
        var fromParts = Glossary(), fromWhole = Glossary()
        for part in parts { fromParts.add(part, lexicon: linker.lexicon) }
        fromWhole.add(whole, lexicon: linker.lexicon)
        #expect(fromParts == fromWhole)
        #expect(fromParts.documentCount == 1 && fromParts.entries.allSatisfy { $0.documents == 1 })

        // The graph too: one document, the same sentence and paragraph windows.
        for window in [CooccurrenceWindow.sentence, .paragraph] {
            var graphParts = EntityGraphBuilder(window: window, lexicon: linker.lexicon)
            var graphWhole = EntityGraphBuilder(window: window, lexicon: linker.lexicon)
            for part in parts { graphParts.add(part) }
            graphWhole.add(whole)
            #expect(graphParts.build() == graphWhole.build(), "\(window)")
            #expect(graphParts.documentCount == 1)
        }

        // Inline text: the same bytes.
        func text(_ annotations: [AnnotatedDocument]) throws -> [UInt8] {
            let sink = OutputSink.memory()
            let writer = MentionWriter(format: .text, sink: sink)
            for annotated in annotations { try writer.write(annotated) }
            return sink.collected
        }
        #expect(try text(parts) == text([whole]))
    }

    @Test func aDocumentWithinTheWindowIsOnePart() throws {
        let (document, copy) = try Self.document(copies: 1)
        defer { try? FileManager.default.removeItem(atPath: document.path!) }
        let linker = try Linker(lexicon: Dictionaries.lexicon())
        var parts: [AnnotatedDocument] = []
        try linker.annotate(document, reader: DocumentReader(), windowBytes: copy + 1) { parts.append($0) }
        #expect(parts.count == 1 && parts[0].isLastPart)
        #expect(parts[0].mentions == (try linker.annotate(document, reader: DocumentReader())).mentions)
    }

    /// A line without line breaks longer than the reader's limit comes in pieces
    /// that together are the line, cut after a sentence end, and never inside a character.
    @Test func overlongLinesAreCutBetweenCharacters() throws {
        let sentence = "ファーウェイは新しいサーバーを発表した。"
        let text = String(repeating: sentence, count: 4000) + "終わり"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-long-\(UUID().uuidString).txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for chunk in [4096, 100_000] {
            var reader = DocumentReader()
            reader.maxLineBytes = 10_000
            reader.chunkSize = chunk
            let cuts = CutCounter()
            reader.onLineCut = { _, _ in cuts.add() }
            var pieces: [String] = []
            try reader.readLines(of: InputDocument(name: path, path: path)) { line, _ in
                #expect(line.count <= 10_000)
                pieces.append(try #require(String(validating: line, as: UTF8.self)))
            }
            #expect(pieces.joined() == text)
            #expect(pieces.dropLast().allSatisfy { $0.hasSuffix("。") }, "chunk \(chunk)")
            #expect(cuts.count == pieces.count - 1)
        }
    }
}

final class CutCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
