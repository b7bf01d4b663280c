import Foundation
import Testing

/// `hashi glossary`: golden outputs in every format, merge, JSON Lines corpora, errors.
@Suite("hashi glossary", .serialized)
struct GlossaryCLITests {
    typealias CLI = CLITests

    @Test(arguments: ["csv", "tsv", "tbx", "json", "pairs"])
    func goldenGlossaries(format: String) throws {
        let result = try CLI.run(["glossary", "--quiet", "--format", format, "--glob", "*.txt", "corpora/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        try CLI.checkGolden("glossary.\(format)", result.stdout)
    }

    @Test func outputExtensionChoosesTheFormatAndUnknownOnesAreErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("g.xlsx").path
        let made = try CLI.run(["glossary", "--quiet", "-o", xlsx, "corpora/01-chips-export-controls.txt"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: xlsx)).starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let bad = dir.appendingPathComponent("g.xls").path
        let refused = try CLI.run(["glossary", "--quiet", "-o", bad, "corpora/01-chips-export-controls.txt"])
        #expect(refused.status == 2 && refused.stderr.contains(".xls names no glossary format"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bad))
        // --format decides whatever the name.
        let named = try CLI.run([
            "glossary", "--quiet", "--format", "pairs", "-o", dir.appendingPathComponent("g.txt").path,
            "corpora/01-chips-export-controls.txt",
        ])
        #expect(named.status == 0)
    }

    @Test func outputIsDeterministicAndIndependentOfThreads() throws {
        let a = try CLI.run(["glossary", "--threads", "1", "corpora/"])
        let b = try CLI.run(["glossary", "--threads", "2", "corpora/"])
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
    }

    @Test func mergeOfPartsEqualsTheWhole() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("corpora").path)
            .filter { $0.hasSuffix(".txt") }.sorted().map { "corpora/" + $0 }
        let half = files.count / 2
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        #expect(try CLI.run(["glossary", "-o", a] + files[..<half]).status == 0)
        #expect(try CLI.run(["glossary", "-o", b] + files[half...]).status == 0)
        let merged = try CLI.run(["glossary", "merge", a, b, "--format", "csv"])
        let whole = try CLI.run(["glossary", "--format", "csv"] + files)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
        // A filtered part merges with a warning.
        let c = dir.appendingPathComponent("c.json").path
        #expect(try CLI.run(["glossary", "--min-count", "2", "-o", c] + files[..<half]).status == 0)
        let warned = try CLI.run(["glossary", "merge", c, b])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("hashi: warning: \(c): built with filters"))
    }

    @Test func jsonLinesCorpusAndStandardInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("news.jsonl")
        try """
        {"id": "a1", "text": "ファーウェイはアセンド910Cを量産する。"}
        {"id": 2, "text": "エヌビディアとファーウェイが競う。\\nTSMCも動く。"}

        """.write(to: corpus, atomically: true, encoding: .utf8)
        let result = try CLI.run(["glossary", "--format", "tsv", "--linked-only", corpus.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let huawei = try #require(rows.first { $0.count > 10 && $0[10] == "huawei" })
        #expect(huawei[3] == "2" && huawei[4] == "2")
        #expect(rows.contains { $0.count > 10 && $0[10] == "tsmc" })
        let piped = try CLI.run(["glossary", "--format", "pairs", "-"], stdin: "ファーウェイとエヌビディア\n")
        #expect(piped.stdout == "ファーウェイ\tHuawei\nエヌビディア\tNvidia\n" || piped.stdout == "エヌビディア\tNvidia\nファーウェイ\tHuawei\n")
    }

    @Test func badJSONLineIsAOneLineErrorAndTheOutputIsUntouched() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("bad.jsonl")
        try "{\"id\": 1, \"text\": \"ファーウェイ\"}\n{\"id\": 2, \"txt\": \"x\"}\n".write(to: corpus, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("glossary.csv")
        try "previous\n".write(to: output, atomically: true, encoding: .utf8)
        let result = try CLI.run(["glossary", corpus.path, "-o", output.path])
        #expect(result.status == 1)
        #expect(result.stderr == "hashi: error: \(corpus.path):2: no \"text\" string\n")
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(Set(leftovers) == ["bad.jsonl", "glossary.csv"])
        // Not a glossary JSON: named in the error.
        let merge = try CLI.run(["glossary", "merge", corpus.path])
        #expect(merge.status == 1)
        #expect(merge.stderr.hasPrefix("hashi: error: \(corpus.path): not a Hashi glossary JSON"))
    }

    @Test func formatFollowsTheOutputExtensionAndBOMIsOptional() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tbx = dir.appendingPathComponent("g.tbx")
        #expect(try CLI.run(["glossary", "corpora/01-chips-export-controls.txt", "-o", tbx.path]).status == 0)
        #expect(try String(contentsOf: tbx, encoding: .utf8).hasPrefix("<?xml"))
        let bom = try CLI.run(["glossary", "--bom", "corpora/01-chips-export-controls.txt"])
        #expect(
            bom.stdout.hasPrefix("\u{FEFF}ja,en,type,count,documents,reading,romaji,variants,source,confidence,id,wikidata,context\r\n"))
    }

    @Test func usageErrorsAndHelp() throws {
        let types = try CLI.run(["glossary", "--types", "ORG,COMPANY", "corpora/"])
        #expect(types.status == 2)
        #expect(types.stderr.contains("unknown type 'COMPANY'"))
        let help = try CLI.run(["glossary", "build", "--help"])
        for needle in ["--format", "tbx", "pairs", "merge", "--min-count", "--bom", "jsonl", "context"] {
            #expect(help.stdout.contains(needle), "help lacks \(needle)")
        }
    }

    @Test func unknownTermsCarryTheTransliterationGuess() throws {
        let text = "コーディングの話。\n"
        let csv = try CLI.run(["glossary", "--types", "guess", "-"], stdin: text)
        #expect(csv.stdout.contains("\r\nコーディング,coding,,1,1,コーディング,kōdingu,コーディング,guess,0.3,,,コーディングの話。\r\n"), "\(csv.stdout)")
        let inline = try CLI.run(["annotate", "-"], stdin: text)
        #expect(inline.stdout == "コーディング[coding?]の話。\n")
        let jsonl = try CLI.run(["annotate", "--format", "jsonl", "-"], stdin: text)
        #expect(jsonl.stdout.contains("\"id\":null") && jsonl.stdout.contains("\"guess\":\"coding\""))
        // --linked-only leaves them out.
        let linked = try CLI.run(["glossary", "--linked-only", "-"], stdin: text)
        #expect(!linked.stdout.contains("coding"))
    }
}

extension GlossaryCLITests {
    @Test func lookupFallsBackToTheTransliterationGuess() throws {
        let result = try CLITests.run(["lookup", "--batch", "--guess"], stdin: "コーディング\nファーウェイ\n")
        #expect(result.status == 1)  // a guess is not a dictionary answer
        #expect(
            result.stdout == "コーディング\tcoding\tコーディング\t\tguess\tguess\nファーウェイ\tHuawei\tファーウェイ\tORG\tcurated\texact\n", "\(result.stdout)")
        #expect(result.stderr.contains("not found: コーディング"))
        // Batches skip the model unless asked; single terms use it unless --no-guess.
        let plain = try CLITests.run(["lookup", "--batch"], stdin: "コーディング\n")
        #expect(plain.stdout == "コーディング\t\t\t\t\t\n")
        let single = try CLITests.run(["lookup", "--no-guess", "コーディング"])
        #expect(single.status == 1 && !single.stdout.contains("coding"))
    }
}
