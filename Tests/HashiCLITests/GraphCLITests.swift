import Foundation
import Testing

/// `hashi graph`: goldens for the sample corpus, networkx and Graphviz round trips, errors.
extension CLITests {
    /// The sample corpus's articles (not its README).
    static var corpusFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("corpora").path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { "corpora/\($0)" }
    }

    /// Options of the picture in the README (docs/graph.svg).
    static let readmeGraphOptions = ["--types", "ORG,PRODUCT,PERSON,PLACE", "--min-count", "2"]

    static func canRun(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let hasNetworkx = canRun(["python3", "-c", "import networkx"])
    static let hasDot = canRun(["dot", "-V"])

    @Test func graphGoldens() throws {
        #expect(Self.corpusFiles.count == 8)
        let json = try Self.run(["graph"] + Self.corpusFiles)
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        try Self.checkGolden("graph-corpora.json", json.stdout)
        let graphML = try Self.run(["graph", "--format", "graphml", "--min-count", "2"] + Self.corpusFiles)
        #expect(graphML.status == 0, "\(graphML.stderr)")
        try Self.checkGolden("graph-corpora-min-count-2.graphml", graphML.stdout)
        let dot = try Self.run(["graph", "--format", "dot"] + Self.readmeGraphOptions + Self.corpusFiles)
        #expect(dot.status == 0, "\(dot.stderr)")
        try Self.checkGolden("graph-corpora-readme.dot", dot.stdout)
    }

    @Test func graphWindowsAndFiltersFromTheCommandLine() throws {
        let text = "ファーウェイとエヌビディア。中国の話。\nエヌビディアと日本。\n\nファーウェイと中国。\n"
        func graph(_ options: [String]) throws -> (nodes: [[String: Any]], links: [[String: Any]], graph: [String: Any]) {
            let result = try Self.run(["graph"] + options + ["-"], stdin: text)
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return (
                try #require(object["nodes"] as? [[String: Any]]), try #require(object["links"] as? [[String: Any]]),
                try #require(object["graph"] as? [String: Any])
            )
        }
        let sentence = try graph([])
        #expect(sentence.nodes.count == 4 && sentence.links.count == 3 && sentence.graph["window_count"] as? Int == 4)
        #expect(sentence.nodes.first { $0["id"] as? String == "huawei" }?["label"] as? String == "Huawei / ファーウェイ")
        let related = try #require(sentence.links.first { $0["target"] as? String == "huawei" })
        #expect(related["kind"] as? String == "cooccurrence+relation" && related["relation"] as? String == "country")
        #expect(try graph(["--window", "paragraph"]).links.count == 6)
        #expect(try graph(["--window", "document"]).graph["window_count"] as? Int == 1)
        let top = try graph(["--top", "1"])
        #expect(top.links.map { $0["source"] as? String } == ["japan"] && top.nodes.count == 2)
        #expect(try graph(["--types", "org, place", "--min-weight", "0.6"]).links.isEmpty)
        #expect(try graph(["--no-relations", "--types", "PLACE"]).nodes.count == 2)

        let bad = try Self.run(["graph", "--types", "ORG,GADGET", "-"], stdin: text)
        #expect(bad.status != 0 && bad.stderr.contains("unknown type 'GADGET' in --types"))
        #expect(try Self.run(["graph", "--min-count", "0", "-"], stdin: text).status != 0)
    }

    @Test(.enabled(if: CLITests.hasNetworkx)) func graphLoadsInNetworkx() throws {
        // scripts/check-graph.py: exact small graph, corpus JSON = GraphML, NPMI recomputed, filters, DOT → SVG.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/check-graph.py", Self.executable.path]
        process.currentDirectoryURL = Self.root
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }

    @Test(.enabled(if: CLITests.hasDot)) func graphRendersSVG() throws {
        let result = try Self.run(["graph", "--format", "svg", "-"], stdin: "ファーウェイの任正非氏と中国。\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<?xml") && result.stdout.contains("<svg"))
        #expect(result.stdout.contains("Huawei / ファーウェイ") && result.stdout.contains("Noto Sans CJK JP"))
    }

    @Test func graphSVGWithoutGraphvizSaysHowToInstallIt() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("graph.svg")
        let result = try Self.run(
            ["graph", "--format", "svg", "-o", out.path, "-"], stdin: "ファーウェイ\n",
            environment: ["HASHI_DOT": "/nonexistent/dot"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("hashi: error: --format svg needs Graphviz's 'dot'"))
        #expect(result.stderr.contains("apt-get install graphviz fonts-noto-cjk"))
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // Without `dot` on PATH either.
        let path = try Self.run(["graph", "--format", "svg", "-"], stdin: "ファーウェイ\n", environment: ["PATH": dir.path])
        #expect(path.status == 1 && path.stderr.contains("install Graphviz"))
    }

    @Test func graphHelpTeaches() throws {
        let result = try Self.run(["graph", "--help"])
        #expect(result.status == 0)
        for needle in [
            "--window", "paragraph", "npmi", "--min-count", "--top", "--types", "node_link_graph", "Gephi",
            "fonts-noto-cjk", "relation_from", "hashi graph corpora/ --format svg -o graph.svg",
        ] {
            #expect(result.stdout.contains(needle), "\(needle)")
        }
    }
}
