import Foundation
import Testing

/// Every command reads documents the same way and takes the same options
/// (issue: one consistent CLI). Runs the built binary.
@Suite("hashi CLI consistency")
struct ConsistencyCLITests {
    /// A corpus folder: a JSON Lines file of two records, a text file, and the
    /// project files a folder of documents often holds (English prose).
    static func corpus() throws -> URL {
        let dir = try CLITests.temporaryDirectory()
        let records = [
            #"{"id": "news-1", "text": "ファーウェイのアセンド（Ascend）910Cが出荷された。"}"#,
            #"{"id": 2, "text": "エヌビディアのジェンスン・フアン氏が来日した。フアン氏は語った。"}"#,
        ]
        try (records.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("news.jsonl"), atomically: true, encoding: .utf8)
        try "ソニーグループの半導体事業。\n".write(to: dir.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let prose = "Oregon or Texas: throughput of the flash memory, minus Inside the Linux Foundation.\n"
        for name in ["README.md", "LICENSE.txt", "CHANGELOG.md", "CONTRIBUTING.md"] {
            try prose.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func everyCommandReadsJSONLinesRecordsAndSkipsProjectFiles() throws {
        let dir = try Self.corpus()
        defer { try? FileManager.default.removeItem(at: dir) }

        let annotate = try CLITests.run(["annotate", "--format", "jsonl", dir.path])
        #expect(annotate.status == 0, "\(annotate.stderr)")
        let documents = Set(
            annotate.stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["document"] as? String
            })
        #expect(documents == ["\(dir.path)/b.txt", "news-1", "2"])
        #expect(!annotate.stdout.contains("Oregon") && !annotate.stdout.contains("Idaho"))

        let tokenize = try CLITests.run(["tokenize", "--format", "conllu", dir.path])
        #expect(tokenize.status == 0, "\(tokenize.stderr)")
        #expect(tokenize.stdout.contains("# newdoc id = news-1") && tokenize.stdout.contains("# newdoc id = 2"))
        #expect(!tokenize.stdout.contains("\"id\"") && !tokenize.stdout.contains("Oregon"))

        let graph = try CLITests.run(["graph", dir.path])
        #expect(graph.status == 0, "\(graph.stderr)")
        let nodes = try #require(
            (try JSONSerialization.jsonObject(with: Data(graph.stdout.utf8)) as? [String: Any])?["nodes"] as? [[String: Any]])
        let ids = Set(nodes.compactMap { $0["id"] as? String })
        #expect(ids.isSuperset(of: ["huawei", "ascend-910c", "jensen-huang", "sony"]))
        #expect(ids.isDisjoint(with: ["oregon", "texas", "idaho", "linux-foundation", "business-insider"]))

        let glossary = try CLITests.run(["glossary", "--format", "pairs", dir.path])
        #expect(glossary.status == 0, "\(glossary.stderr)")
        let terms = glossary.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(terms.contains("ジェンスン・フアン") && !terms.contains("フアン"))
        #expect(terms.contains("アセンド910C") && !terms.contains("アセンド") && !terms.contains("910C"))
        #expect(!glossary.stdout.contains("Oregon") && !glossary.stdout.contains("Linux Foundation"))

        // A --glob takes what it names, project files included.
        let readme = try CLITests.run(["tokenize", "--glob", "README.md", dir.path])
        #expect(readme.stdout.contains("Oregon"))
    }

    @Test func aDirectoryOfJSONLinesFilesIsACorpus() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"id": "a", "text": "ファーウェイ"}"#.write(to: dir.appendingPathComponent("part.jsonl"), atomically: true, encoding: .utf8)
        let result = try CLITests.run(["annotate", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ファーウェイ[Huawei]\n")
        // A bad record is a one-line error naming the file and line.
        try "{\"id\": \"a\", \"text\": \"x\"}\nnot json\n".write(
            to: dir.appendingPathComponent("part.jsonl"), atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["tokenize", dir.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("hashi: error: \(dir.path)/part.jsonl:2"), "\(bad.stderr)")
    }

    @Test func formatIsTheOptionEverywhereAndJSONAnAlias() throws {
        let words = ["コンピューター", "データ"]
        let json = try CLITests.run(["transliterate", "--format", "json", "--top", "2"] + words)
        #expect(json.status == 0)
        #expect(json.stdout == (try CLITests.run(["transliterate", "--json", "--top", "2"] + words)).stdout)
        #expect(json.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"query\":") })
        for command in [["tokenize"], ["annotate"], ["glossary"], ["graph"], ["lookup"], ["transliterate"]] {
            let help = try CLITests.run(command + ["--help"])
            #expect(help.stdout.contains("--format"), "\(command) --help lacks --format")
            #expect(!help.stdout.contains("--json"), "\(command) --help still shows --json")
        }
        #expect(try CLITests.run(["transliterate", "--format", "yaml", "データ"]).status == 2)
    }

    @Test func commandsThatAnnotateTakeTheSameOptions() throws {
        let text = "ファーウェイの任正非氏と中国。エヌビディアとTSMC。\n"
        for command in ["annotate", "glossary", "graph"] {
            let one = try CLITests.run([command, "--threads", "1", "--no-edict", "--quiet", "--encoding", "utf-8", "-"], stdin: text)
            let two = try CLITests.run([command, "--threads", "2", "-q", "--keep-going", "--glob", "*.txt", "-"], stdin: text)
            #expect(one.status == 0 && two.status == 0, "\(command): \(one.stderr)\(two.stderr)")
            #expect(one.stdout == two.stdout, "\(command) differs with the thread count")
        }
        #expect(try CLITests.run(["tokenize", "-q", "--threads", "2", "-"], stdin: text).status == 0)
        #expect(try CLITests.run(["dict", "import", "--help"]).stdout.contains("--quiet"))
    }

    @Test func glossaryHelpShowsTheBuildOptions() throws {
        for arguments in [["glossary", "--help"], ["help", "glossary"], ["glossary", "-h"]] {
            let help = try CLITests.run(arguments)
            #expect(help.status == 0)
            for needle in ["--min-count", "--format", "--linked-only", "--threads", "--dict", "--keep-going", "merge", "Columns"] {
                #expect(help.stdout.contains(needle), "\(arguments) lacks \(needle)")
            }
        }
        // Building is still the default, and merge still a subcommand.
        let built = try CLITests.run(["glossary", "--format", "json", "-"], stdin: "ファーウェイ\n")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let part = dir.appendingPathComponent("part.json")
        try built.stdout.write(to: part, atomically: true, encoding: .utf8)
        let merged = try CLITests.run(["glossary", "merge", "--format", "json", part.path])
        #expect(merged.status == 0 && merged.stdout == built.stdout, "\(merged.stderr)")
        #expect(try CLITests.run(["glossary", "build", "--format", "json", "-"], stdin: "ファーウェイ\n").stdout == built.stdout)
    }

    @Test func drawingsKeepTheMostMentionedEntitiesAndSaySo() throws {
        // Twenty entities, five of them named twice.
        let names = [
            "ファーウェイ", "エヌビディア", "TSMC", "サムスン電子", "インテル", "アップル", "グーグル", "アマゾン", "メタ", "オラクル",
            "ソニーグループ", "トヨタ自動車", "テスラ", "BYD", "シャオミ", "クアルコム", "AMD", "ASML", "キオクシア", "ラピダス",
        ]
        let text = names.joined(separator: "と") + "。\n" + names.prefix(5).joined(separator: "と") + "。\n"
        let dot = try CLITests.run(["graph", "--format", "dot", "--max-nodes", "5", "-"], stdin: text)
        #expect(dot.status == 0)
        #expect(dot.stderr.contains("shows the 5 most mentioned of"), "\(dot.stderr)")
        let all = try CLITests.run(["graph", "--format", "json", "-"], stdin: text)
        let nodes = try #require(
            (try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])?["nodes"] as? [[String: Any]])
        #expect(nodes.count >= 15)
        #expect(all.stderr.isEmpty)
        let limited = try CLITests.run(["graph", "--format", "json", "--max-nodes", "5", "-"], stdin: text)
        let kept = try #require(
            (try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [String: Any])?["nodes"] as? [[String: Any]])
        #expect(kept.count == 5)
        #expect(kept.allSatisfy { ($0["mentions"] as? Int) == 2 })  // the ones named twice
        #expect(try CLITests.run(["graph", "--max-nodes", "-1", "-"], stdin: text).status == 2)
        // Quiet drawings say nothing.
        #expect(try CLITests.run(["graph", "--format", "dot", "--max-nodes", "5", "-q", "-"], stdin: text).stderr.isEmpty)
    }

    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    /// Runs hashi with standard error on a pseudo-terminal (util-linux script(1)),
    /// where long jobs show their progress line; returns what the terminal got.
    static func onTerminal(_ arguments: [String]) throws -> String {
        let quoted = ([CLITests.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted.joined(separator: " ") + " >/dev/null", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-test.idx"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: ConsistencyCLITests.hasScript)) func longJobsShowProgressOnATerminalUnlessQuiet() throws {
        let corpus = CLITests.root.appendingPathComponent("corpora").path
        for command in ["tokenize", "annotate", "glossary", "graph"] {
            let shown = try Self.onTerminal([command, corpus])
            #expect(shown.contains("8 documents"), "\(command): \(shown)")
            #expect(try Self.onTerminal([command, "--quiet", corpus]).isEmpty, "\(command) --quiet")
        }
        let index = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-progress-\(UUID().uuidString).idx").path
        defer { try? FileManager.default.removeItem(atPath: index) }
        let fixture = CLITests.root.appendingPathComponent("Tests/Fixtures/edict/edict-senses").path
        let imported = try Self.onTerminal(["dict", "import", "--edict", fixture, "--enamdict", "-", "-o", index])
        #expect(imported.contains("choosing the English of katakana words, 100%"), "\(imported)")
        #expect(try Self.onTerminal(["dict", "import", "-q", "--edict", fixture, "--enamdict", "-", "-o", index]).isEmpty)
    }
}
