import Foundation
import Testing

@testable import HashiKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Entity graph")
struct GraphTests {
    static let dictionary = """
        id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
        huawei\tHuawei\tORG\tファーウェイ|華為技術|華為\tHuawei Technologies\tQ160120\tcountry:china\t
        china\tChina\tPLACE\t中国|中\t\tQ148\t\t
        japan\tJapan\tPLACE\t日本\t\t\t\t
        nvidia\tNvidia\tORG\tエヌビディア\tNVIDIA\t\tcountry:united-states\t
        ascend-910c\tAscend 910C\tPRODUCT\tアセンド910C\tAscend 910C\t\tmade_by:huawei\t
        tsmc\tTSMC\tORG\tTSMC|台湾積体電路製造\t\t\t\t
        """

    static let lexicon = EntityLexicon(DictionaryParser.parse(dictionary, file: "test.tsv", source: .curated).entities)

    /// A linked mention of `id` in `sentence` (hand-made, for exact statistics).
    static func mention(_ id: String, _ sentence: Int, type: EntityType = .org, surface: String? = nil) -> Mention {
        Mention(
            document: "d", sentence: sentence, start: 0, end: 1, byteStart: 0, byteEnd: 1, surface: surface ?? id,
            normalized: surface ?? id, id: id, en: id.uppercased(), type: type, source: .curated, match: .exact, confidence: 1)
    }

    /// Four sentences: {a, b}, {a, b}, {a, c}, {}.
    static func small() -> EntityGraphBuilder {
        var builder = EntityGraphBuilder()
        let mentions = [
            mention("a", 0), mention("b", 0), mention("a", 1), mention("b", 1), mention("b", 1),
            mention("a", 2), mention("c", 2, type: .person),
        ]
        builder.add(document: "d", mentions: mentions, windowCount: 4, windowOf: \.sentence)
        return builder
    }

    @Test func npmiEdgeCases() {
        #expect(EntityGraph.npmi(xy: 0, x: 2, y: 2, n: 4) == -1)
        #expect(EntityGraph.npmi(xy: 4, x: 4, y: 4, n: 4) == 1)
        #expect(abs(EntityGraph.npmi(xy: 1, x: 2, y: 2, n: 4)) < 1e-12)  // independent
        #expect(abs(EntityGraph.npmi(xy: 1, x: 1, y: 1, n: 4) - 1) < 1e-12)  // always together
        #expect(EntityGraph.rounded(-0.00001) == 0 && EntityGraph.rounded(-0.00001).sign == .plus)
    }

    @Test func countsAndWeightsOfAHandMadeExample() throws {
        let graph = Self.small().build()
        #expect(graph.windowCount == 4 && graph.documentCount == 1)
        #expect(graph.nodes.map(\.id) == ["a", "b", "c"])
        let b = try #require(graph.nodes.first { $0.id == "b" })
        #expect(b.mentions == 3 && b.windows == 2 && b.documents == 1)
        #expect(graph.edges.map { "\($0.source)-\($0.target):\($0.count)" } == ["a-b:2", "a-c:1"])
        // a 3/4, b 2/4, together 2/4: log(4/3) / log 2.
        #expect(graph.edges[0].weight == 0.415)
        #expect(abs(EntityGraph.npmi(xy: 2, x: 3, y: 2, n: 4) - log(4.0 / 3) / log(2)) < 1e-12)
        // a 3/4, c 1/4, together 1/4: log(4/3) / log 4.
        #expect(graph.edges[1].weight == 0.2075)
        #expect(graph.edges.allSatisfy { $0.kind == "cooccurrence" && $0.relation.isEmpty })
    }

    @Test func filters() {
        let builder = Self.small()
        #expect(builder.build(filter: GraphFilter(minCount: 2)).edges.map(\.target) == ["b"])
        #expect(builder.build(filter: GraphFilter(minCount: 2)).nodes.map(\.id) == ["a", "b"])  // c lost its edge
        #expect(builder.build(filter: GraphFilter(minWeight: 0.3)).edges.count == 1)
        #expect(builder.build(filter: GraphFilter(top: 1)).edges.map(\.target) == ["b"])
        #expect(builder.build(filter: GraphFilter(top: 0)).nodes.isEmpty)
        let people = builder.build(filter: GraphFilter(types: [.person]))
        #expect(people.nodes.map(\.id) == ["c"] && people.edges.isEmpty)
        let organizations = builder.build(filter: GraphFilter(types: [.org]))
        #expect(organizations.nodes.map(\.id) == ["a", "b"] && organizations.edges.count == 1)
    }

    /// Writes `text` to a temporary file and links it with the test dictionary.
    static func annotated(_ text: String) throws -> AnnotatedDocument {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-graph-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let linker = try Linker(lexicon: lexicon)
        return try linker.annotate(InputDocument(name: "test.txt", path: url.path), reader: DocumentReader(encoding: nil))
    }

    static let text = "ファーウェイとエヌビディア。中国の話。\nエヌビディアと日本。\n\nファーウェイと中国。\n"

    func graph(_ window: CooccurrenceWindow, _ annotated: AnnotatedDocument, filter: GraphFilter = GraphFilter()) -> EntityGraph {
        var builder = EntityGraphBuilder(window: window, lexicon: Self.lexicon)
        builder.add(annotated)
        return builder.build(filter: filter)
    }

    func pairs(_ graph: EntityGraph) -> [String] {
        graph.edges.map { "\($0.source)-\($0.target):\($0.count)" }
    }

    @Test func windows() throws {
        let annotated = try Self.annotated(Self.text)
        #expect(annotated.sentenceCount == 4)  // the blank line is not a sentence

        let sentence = graph(.sentence, annotated)
        #expect(sentence.windowCount == 4)
        #expect(pairs(sentence) == ["china-huawei:1", "huawei-nvidia:1", "japan-nvidia:1"])
        #expect(sentence.edges.first { $0.target == "huawei" }?.weight == 0)  // 2/4, 2/4, 1/4: independent
        #expect(sentence.edges.last?.weight == 0.5)  // 1/4, 2/4, 1/4: log 2 / log 4

        // A blank line separates two paragraphs of lines.
        let paragraph = graph(.paragraph, annotated)
        #expect(paragraph.windowCount == 2)
        #expect(
            pairs(paragraph) == [
                "china-huawei:2", "china-japan:1", "china-nvidia:1", "huawei-japan:1", "huawei-nvidia:1",
                "japan-nvidia:1",
            ])
        #expect(paragraph.edges[0].weight == 1)

        // Without blank lines, each line is a paragraph.
        let lines = graph(.paragraph, try Self.annotated("ファーウェイと中国。\n日本。\nエヌビディアと日本。エヌビディア。\n"))
        #expect(lines.windowCount == 3)
        #expect(pairs(lines) == ["china-huawei:1", "japan-nvidia:1"])

        let document = graph(.document, annotated)
        #expect(document.windowCount == 1 && document.edges.count == 6 && document.edges.allSatisfy { $0.weight == 1 })
    }

    @Test func relationsAndLabels() throws {
        let annotated = try Self.annotated("華為技術の中国事業。\nファーウェイと華為技術は同じ。アセンド910Cを作る。\nTSMCも米の台湾積体電路製造。\n")
        let graph = graph(.sentence, annotated)
        let related = try #require(graph.edges.first { $0.source == "china" && $0.target == "huawei" })
        #expect(related.kind == "cooccurrence+relation" && related.relation == "country" && related.relationFrom == "huawei")
        // Never in one sentence, but the dictionary relates them: a relation edge with count 0, weight -1.
        let maker = try #require(graph.edges.first { $0.source == "ascend-910c" && $0.target == "huawei" })
        #expect(maker.kind == "relation" && maker.count == 0 && maker.weight == -1 && maker.relation == "made_by")
        #expect(maker.relationFrom == "ascend-910c")
        // united-states is not mentioned: no edge to it.
        #expect(!graph.edges.contains { $0.relation == "country" && $0.relationFrom == "nvidia" })
        // The corpus's most used form (華為技術 2, ファーウェイ 1); Latin-only: the dictionary's usual form.
        let huawei = try #require(graph.nodes.first { $0.id == "huawei" })
        #expect(huawei.label == "Huawei / 華為技術" && huawei.wikidata == "Q160120" && huawei.mentions == 3)
        #expect(graph.nodes.first { $0.id == "tsmc" }?.label == "TSMC / 台湾積体電路製造")
        #expect(graph.nodes.first { $0.id == "ascend-910c" }?.label == "Ascend 910C / アセンド910C")

        let without = self.graph(.sentence, annotated, filter: GraphFilter(relations: false))
        #expect(without.edges.allSatisfy { $0.relations.isEmpty && $0.count > 0 })
        // Relations survive the edge filters; entities only kept by a relation do not.
        let strict = self.graph(.sentence, annotated, filter: GraphFilter(minCount: 2))
        #expect(strict.edges.isEmpty && strict.nodes.isEmpty)
    }

    @Test func outputIsDeterministic() throws {
        let annotated = try Self.annotated(Self.text)
        for format in [GraphFormat.json, .graphml, .dot] {
            let one = GraphWriter.write(graph(.sentence, annotated), format: format)
            let two = GraphWriter.write(graph(.sentence, try Self.annotated(Self.text)), format: format)
            #expect(one == two)
        }
        // The order mentions come in does not matter.
        var forward = EntityGraphBuilder(), backward = EntityGraphBuilder()
        let mentions = [Self.mention("x", 0), Self.mention("y", 0), Self.mention("z", 1), Self.mention("y", 1)]
        forward.add(document: "d", mentions: mentions, windowCount: 2, windowOf: \.sentence)
        backward.add(document: "d", mentions: mentions.reversed(), windowCount: 2, windowOf: \.sentence)
        #expect(GraphWriter.json(forward.build()) == GraphWriter.json(backward.build()))
    }

    @Test func escaping() throws {
        #expect(GraphWriter.xmlEscaped("a<b>&\"c'\u{1}\td\n") == "a&lt;b&gt;&amp;&quot;c&apos;&#9;d&#10;")
        #expect(GraphWriter.dotQuoted("say \"hi\" \\ x\ny\u{7}") == "\"say \\\"hi\\\" \\\\ x\\ny\"")
        #expect(
            GraphWriter.decimal(-1) == "-1.0000" && GraphWriter.decimal(0.0415) == "0.0415" && GraphWriter.decimal(-0.00001) == "0.0000")

        var builder = EntityGraphBuilder()
        let odd = Mention(
            document: "d", sentence: 0, start: 0, end: 1, byteStart: 0, byteEnd: 1, surface: "x", normalized: "x",
            id: "q<&>\"", en: "A \"quoted\" <b>&\\ name\n", type: .term, source: .user, match: .exact, confidence: 1)
        builder.add(document: "d", mentions: [odd, Self.mention("plain", 0)], windowCount: 1, windowOf: { _ in 0 })
        let graph = builder.build()

        let json = try #require(try JSONSerialization.jsonObject(with: Data(GraphWriter.json(graph).utf8)) as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.contains { $0["en"] as? String == "A \"quoted\" <b>&\\ name\n" && $0["id"] as? String == "q<&>\"" })
        #expect((json["links"] as? [[String: Any]])?.first?["source"] as? String == "plain")

        let graphML = GraphWriter.graphML(graph)
        #expect(graphML.contains("<node id=\"q&lt;&amp;&gt;&quot;\">"))
        #expect(graphML.contains("<data key=\"en\">A &quot;quoted&quot; &lt;b&gt;&amp;\\ name&#10;</data>"))
        let parser = XMLParser(data: Data(graphML.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")

        let dot = GraphWriter.dot(graph)
        #expect(dot.contains("\"q<&>\\\"\" [label=\"A \\\"quoted\\\" <b>&\\\\ name\\n / x\""))
        #expect(dot.contains("fontname=\"Noto Sans CJK JP\""))
    }
}
