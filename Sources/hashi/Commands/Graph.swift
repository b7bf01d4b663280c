import ArgumentParser
import Foundation
import HashiKit

extension GraphFormat: ExpressibleByArgument {}
extension CooccurrenceWindow: ExpressibleByArgument {}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Build the graph of the entities a corpus mentions together.",
        discussion: """
            Links the inputs as 'hashi annotate' does, then makes one node per
            linked entity (id, English and Japanese names, type, counts of
            mentions, documents and windows, Wikidata QID) and joins entities
            that occur in the same window. Labels are bilingual, Huawei / ファーウェイ: the
            Japanese is the kana/kanji form the corpus uses most (not counting
            one-character abbreviations such as 米 or a bare surname standing
            for a person), else the dictionary's usual form. Unknown words are
            left out.

            Windows (--window):
              sentence   one sentence (default)
              paragraph  a block of lines between blank lines; when a document
                         has no blank line, each line is a paragraph
              document   a whole input file

            Edges: count is the number of windows with both entities; weight is
            their normalized PMI over windows,
              npmi = log(p(x,y) / (p(x) p(y))) / -log p(x,y)
            with p the fraction of all windows of the corpus containing them:
            1 = always together, 0 = as often as chance, -1 = never together
            (p(x,y) = 1 gives 1). A pair seen once in a big corpus can score
            high: combine --top with --min-count 2.
            Dictionary relations (made_by, works_at, country, based_in,
            subsidiary_of, part_of) join entities that are both in the graph,
            whatever the filters. The graph is simple and undirected: a pair
            has one edge, whose kind is cooccurrence, relation or
            cooccurrence+relation; relation holds the relation(s) and
            relation_from the entity it is stated on (ascend-910c made_by
            huawei: relation_from ascend-910c). A relation never seen in a
            window has count 0 and weight -1.

            Filters: --min-count, --min-weight and --top keep co-occurrence
            edges; when any is given, entities left without one are dropped.
            --types keeps entities of those types. --max-nodes N keeps the N
            most mentioned entities; dot and svg keep 60 unless told otherwise
            (a drawing of hundreds of nodes is a tangle, and slow to lay out),
            and say on standard error how many were left out; json and graphml
            keep everything.

            Formats (--format):
              json     node-link JSON: {"nodes": [...], "links": [...]}; networkx
                       node_link_graph(data, edges="links"), d3
              graphml  GraphML with typed keys: networkx read_graphml, Gephi,
                       Cytoscape, igraph
              dot      Graphviz DOT (neato layout), nodes coloured by type, the
                       CJK font "Noto Sans CJK JP"
              svg      the DOT rendered by Graphviz's dot command: needs
                       Graphviz and a CJK font (Debian/Ubuntu: apt-get install
                       graphviz fonts-noto-cjk); $HASHI_DOT names another dot
            Weights have 4 decimals; a missing QID is null in JSON and absent in
            GraphML. In DOT an edge is wider the higher its weight, and blue
            with the relation's name when the dictionaries relate the pair
            (dashed when they never share a window).
            Output is deterministic: nodes sorted by id, edges by their ends.

            Examples:
              hashi graph corpora/ --format svg -o graph.svg
              hashi graph corpora/ --format svg --min-count 2 -o graph.svg
              hashi graph corpora/ --format graphml -o corpus.graphml
              hashi graph --window paragraph --types ORG,PERSON --top 40 corpora/
              hashi graph corpora/ --format dot | dot -Tpng -o graph.png
            Directories bring in *.txt, *.md, *.jsonl and *.ndjson files but
            not README, LICENSE and similar project files (see --glob).
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var dictionary: DictionaryOptions

    @Option(name: .shortAndLong, help: "Output format: json, graphml, dot or svg.")
    var format: GraphFormat = .json

    @Option(name: .long, help: "Co-occurrence window: sentence, paragraph or document.")
    var window: CooccurrenceWindow = .sentence

    @Option(name: .long, help: ArgumentHelp("Keep co-occurrence edges seen in at least this many windows.", valueName: "n"))
    var minCount: Int = 1

    @Option(name: .long, help: ArgumentHelp("Keep co-occurrence edges with at least this weight (NPMI, -1...1).", valueName: "w"))
    var minWeight: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep entities of these types (comma-separated: ORG, PRODUCT, PERSON, PLACE, TERM).", valueName: "types"))
    var types: String?

    @Option(name: .long, help: ArgumentHelp("Keep the N strongest co-occurrence edges (weight, then count).", valueName: "n"))
    var top: Int?

    @Flag(name: .long, help: "Leave out the dictionary relations.")
    var noRelations = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the N most mentioned entities (0: all). Default: 60 for dot and svg, which become unreadable beyond that; all for json and graphml.",
            valueName: "n"))
    var maxNodes: Int?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write to this file (atomically). Default: standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var threadOptions: ThreadOptions

    /// How many entities a drawing (dot, svg) keeps unless --max-nodes says otherwise.
    static let drawingDefaultNodes = 60

    func validate() throws {
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let top, top < 0 { throw ValidationError("--top must not be negative") }
        if let maxNodes, maxNodes < 0 { throw ValidationError("--max-nodes must not be negative (0 keeps all)") }
        if let minWeight, !(-1...1).contains(minWeight) { throw ValidationError("--min-weight must be between -1 and 1") }
        _ = try typeSet()
    }

    func typeSet() throws -> Set<EntityType>? {
        guard let types else { return nil }
        var set = Set<EntityType>()
        for name in types.split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces).uppercased()
            guard let type = EntityType(rawValue: trimmed) else {
                throw ValidationError("unknown type '\(name)' in --types (one of ORG, PRODUCT, PERSON, PLACE, TERM)")
            }
            set.insert(type)
        }
        return set
    }

    func run() throws {
        try runReportingErrors {
            let lexicon = try dictionary.lexicon()
            var builder = EntityGraphBuilder(window: window, lexicon: lexicon)
            let ok = try forEachAnnotated(
                input, lexicon: lexicon, edict: try dictionary.edict(),
                threads: threadOptions.count,
                keepsLines: window == .paragraph,
                // Bounded memory: large documents in parts, but a
                // document window needs the document whole.
                windowBytes: window == .document ? .max : AnnotationPipeline.boundedWindowBytes
            ) { annotated in
                builder.add(annotated)
            }
            // Like annotate: with --keep-going, standard output still gets the graph of
            // the good inputs; a file is not replaced by a partial graph.
            guard ok || output == nil else { return false }
            let limit = maxNodes ?? (format == .dot || format == .svg ? Self.drawingDefaultNodes : 0)
            let graph = builder.build(
                filter: GraphFilter(
                    minCount: minCount, minWeight: minWeight, types: try typeSet(),
                    top: top, relations: !noRelations,
                    maxNodes: limit == 0 ? nil : limit))
            if graph.omittedNodes > 0 && !input.quiet {
                Diagnostics.note(
                    "the \(format.rawValue) shows the \(graph.nodes.count) most mentioned of \(graph.nodes.count + graph.omittedNodes) entities; --max-nodes 0 draws all, --max-nodes N another number"
                )
            }
            let text = GraphWriter.write(graph, format: format)
            let bytes: Data
            if format == .svg {
                do {
                    bytes = try Graphviz.render(text, format: "svg")
                } catch let error as Graphviz.Error {
                    Diagnostics.report(error)
                    return false
                }
            } else {
                bytes = Data(text.utf8)
            }
            let sink = try output.map { try OutputSink(path: $0) } ?? OutputSink()
            try bytes.withUnsafeBytes { try sink.write($0.bindMemory(to: UInt8.self)) }
            try sink.commit()
            return ok
        }
    }
}
