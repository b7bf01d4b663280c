import Foundation
import Testing

@testable import HashiKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Label text from dictionaries and documents is data, never markup (issue 16).
@Suite("Hostile graph labels")
struct HostileGraphTests {
    /// U+FFFE, U+FFFF, U+FDD0, U+1FFFF (Swift refuses them as literals).
    static let nonchars: [Unicode.Scalar] = [0xFFFE, 0xFFFF, 0xFDD0, 0x1FFFF].map { Unicode.Scalar($0)! }
    static let payloads = [
        "\"><script>alert(1)</script>", "<svg onload=alert(1)>", "a & b &amp; &#x3C;", "line\nbreak\r\n", "back\\slash \\N \\G \\\"",
        "non" + nonchars.map { String($0) }.joined(separator: "-"), "ctrl\u{1}\u{1B}[31m\u{7F}\u{85}", "' onmouseover='x", "]]> <!-- -->",
    ]

    static func graph() -> EntityGraph {
        var builder = EntityGraphBuilder()
        let mentions = payloads.enumerated().map { k, text in
            Mention(
                document: "d", sentence: 0, start: k, end: k + 1, byteStart: k, byteEnd: k + 1, surface: text, normalized: text,
                id: "id\(k)\(text)", en: text, type: .term, source: .user, match: .exact, confidence: 1)
        }
        builder.add(document: "d", mentions: mentions, windowCount: 1, windowOf: { _ in 0 })
        return builder.build()
    }

    /// Element and attribute names of an XML document, or nil when it is not well-formed.
    final class Names: NSObject, XMLParserDelegate {
        var elements = Set<String>()
        var attributes = Set<String>()
        var text = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.insert(name.lowercased())
            for key in attributes.keys { self.attributes.insert(key.lowercased()) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    static func names(_ xml: Data) -> Names? {
        let parser = XMLParser(data: xml)
        let names = Names()
        parser.delegate = names
        return parser.parse() ? names : nil
    }

    @Test func dotLabelsDropNoncharactersAndControls() {
        let dot = GraphWriter.dot(Self.graph())
        for bad in Self.nonchars + ["\u{1}", "\u{1B}", "\u{7F}", "\u{85}"] {
            #expect(!dot.unicodeScalars.contains(bad), "U+\(String(bad.value, radix: 16))")
        }
        // Every quote and backslash of a label is escaped: the DOT has one statement per node and edge line.
        for line in dot.split(separator: "\n") where line.contains("label=") {
            #expect(line.hasSuffix(";"), "\(line)")
        }
    }

    @Test func graphMLIsWellFormed() throws {
        let names = try #require(Self.names(Data(GraphWriter.graphML(Self.graph()).utf8)))
        #expect(!names.elements.contains("script") && !names.elements.contains("svg"))
        #expect(!names.attributes.contains { $0.hasPrefix("on") })
    }

    /// Graphviz's `dot` on `$PATH` (the CLI runs it for `--format svg`).
    static let dot = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/dot" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: Self.dot != nil)) func svgLabelsStayText() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("graph.dot"), output = directory.appendingPathComponent("graph.svg")
        try Data(GraphWriter.dot(Self.graph()).utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.dot))
        process.arguments = ["-Tsvg", "-o", output.path, input.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let svg = try Data(contentsOf: output)
        let names = try #require(Self.names(svg), "the SVG is not well-formed XML")
        #expect(!names.elements.contains("script"))
        #expect(!names.attributes.contains { $0.hasPrefix("on") })
        // The payloads are there, as text.
        #expect(names.text.contains("<script>alert(1)</script>"))
        #expect(names.text.contains("<svg onload=alert(1)>"))
    }
}
