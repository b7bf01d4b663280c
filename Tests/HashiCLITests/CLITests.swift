import Foundation
import Testing

/// End-to-end tests of the `hashi` executable: golden outputs and bad input.
@Suite("hashi CLI", .serialized)
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `hashi` built next to this test bundle.
    static var executable: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("hashi")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/hashi")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String], stdin: String? = nil, cwd: URL = root, environment extra: [String: String] = [:],
        binary: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary ?? executable
        process.arguments = arguments
        process.currentDirectoryURL = cwd
        // Independent of the developer's own dictionaries and EDICT index.
        var environment = ProcessInfo.processInfo.environment
        environment["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-test.idx"
        environment.removeValue(forKey: "HASHI_DICT")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    // MARK: Golden outputs

    static let goldenInputs = ["corpora/01-chips-export-controls.txt", "corpora/08-people-and-policy.txt"]

    /// Compares with Tests/Golden/NAME; HASHI_UPDATE_GOLDEN=1 rewrites the file instead.
    static func checkGolden(_ name: String, _ actual: String) throws {
        let url = root.appendingPathComponent("Tests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["HASHI_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
            Issue.record(
                "\(name) differs at line \(line + 1): expected \(line < e.count ? String(e[line]) : "<end>") got \(line < a.count ? String(a[line]) : "<end>") (HASHI_UPDATE_GOLDEN=1 to update)"
            )
        }
    }

    @Test(arguments: [("text", "long"), ("tsv", "long"), ("jsonl", "long"), ("conllu", "long"), ("text", "short"), ("conllu", "short")])
    func goldenOutputs(format: String, unit: String) throws {
        let result = try Self.run(["tokenize", "--format", format, "--unit", unit] + Self.goldenInputs)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        try Self.checkGolden("tokenize-\(unit).\(format)", result.stdout)
    }

    @Test func parallelSegmentationGivesTheSameOutput() throws {
        for format in ["text", "jsonl", "conllu"] {
            let one = try Self.run(["tokenize", "--threads", "1", "--format", format, "corpora"])
            let two = try Self.run(["tokenize", "--threads", "2", "--format", format, "corpora"])
            #expect(one.status == 0 && two.status == 0)
            #expect(one.stdout == two.stdout, "\(format)")
        }
        #expect(try Self.run(["tokenize", "--threads", "0", "corpora"]).status != 0)
    }

    @Test func annotateMarksMentionsAndReportsBadDictionaries() throws {
        let text = try Self.run(["annotate", "-"], stdin: "ファーウェイのAscend 910Cとﾌｧｰｳｪｲ\n")
        #expect(text.status == 0)
        #expect(text.stdout == "ファーウェイ[Huawei]のAscend 910C[Ascend 910C]とﾌｧｰｳｪｲ[Huawei]\n")
        let jsonl = try Self.run(["annotate", "--format", "jsonl", "-"], stdin: "ファーウェイ\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "huawei" && object["document"] as? String == "-" && object["start"] as? Int == 0)

        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let user = dir.appendingPathComponent("mine.tsv")
        try "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\nmy-chip\tMy Chip\tGADGET\tマイチップ\t\t\t\t\n"
            .write(to: user, atomically: true, encoding: .utf8)
        let bad = try Self.run(["annotate", "--dict", user.path, "-"], stdin: "テスト\n")
        #expect(bad.status == 1)
        #expect(
            bad.stderr
                == "hashi: error: \(user.path):2: error: unknown type 'GADGET' for my-chip (one of ORG, PRODUCT, PERSON, PLACE, TERM)\n")
        let check = try Self.run(["dict", "check", user.path])
        #expect(check.status == 1)
        #expect(check.stdout.hasPrefix("\(user.path):2: error: unknown type 'GADGET'"))

        try "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\nmy-chip\tMy Chip\tPRODUCT\tマイチップ\t\t\tmade_by:huawei\t\n"
            .write(to: user, atomically: true, encoding: .utf8)
        let good = try Self.run(["annotate", "--dict", user.path, "-"], stdin: "ファーウェイのマイチップ\n")
        #expect(good.stdout == "ファーウェイ[Huawei]のマイチップ[My Chip]\n")
        #expect(try Self.run(["dict", "check", user.path]).status == 0)
    }

    @Test func libraryErrorsGetTheCommandLineHints() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The library says what is wrong with the file; hashi says which command fixes it.
        let index = dir.appendingPathComponent("edict.idx")
        try Data("not an index".utf8).write(to: index)
        let foreign = try Self.run(["annotate", "--edict-index", index.path, "-"], stdin: "テスト\n")
        #expect(foreign.status == 1)
        #expect(foreign.stderr == "hashi: error: \(index.path): not a Hashi EDICT index (bad magic); rebuild it with hashi dict import\n")
        let user = dir.appendingPathComponent("mine.tsv")
        try "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\na\tA\tGADGET\tア\t\t\t\t\nb\tB\tGIZMO\tビ\t\t\t\t\n"
            .write(to: user, atomically: true, encoding: .utf8)
        let bad = try Self.run(["annotate", "--dict", user.path, "-"], stdin: "テスト\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("hashi: error: \(user.path):2: error: unknown type 'GADGET'"))
        #expect(bad.stderr.hasSuffix(" (and 1 more problems; run hashi dict check)\n"))
    }

    @Test func dictCompileWritesTheCommittedImage() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("lexicon.bin")
        let compiled = try Self.run(["dict", "compile", "dictionaries", "-o", out.path])
        #expect(compiled.status == 0)
        #expect(compiled.stdout.hasPrefix("\(out.path): "))
        let same = try Data(contentsOf: out) == Data(contentsOf: Self.root.appendingPathComponent("dictionaries/lexicon.bin"))
        #expect(same, "dictionaries/lexicon.bin is stale: run hashi dict compile dictionaries")
        let missing = try Self.run(["dict", "compile", dir.appendingPathComponent("nothing").path, "-o", out.path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "hashi: error: \(dir.appendingPathComponent("nothing").path): not a readable directory\n")
        // A directory without the segmentation lexicons is an error too, and nothing is written.
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let partial = try Self.run(["dict", "compile", empty.path])
        #expect(partial.status == 1)
        #expect(partial.stderr.contains("katakana-words.tsv: cannot read file"))
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("lexicon.bin").path))
    }

    /// Runs a copy of `hashi` from a temporary directory, with / as working directory:
    /// the built-in data must not depend on the checkout.
    static func runCopiedBinary(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("hashi")
        try FileManager.default.copyItem(at: executable, to: copy)
        return try run(arguments, stdin: stdin, cwd: URL(fileURLWithPath: "/"), binary: copy)
    }

    @Test func copiedBinaryWorksInAnyDirectory() throws {
        let result = try Self.runCopiedBinary(["annotate", "-"], stdin: "エヌビディアのデータセンター\n")
        #expect(result.stdout == "エヌビディア[Nvidia]のデータセンター[data center]\n")
    }

    @Test func textFormatHasOneLinePerInputLine() throws {
        let input = "ファーウェイのアセンド910C\n\nエヌビディアのH100\n"
        let result = try Self.run(["tokenize", "-"], stdin: input)
        #expect(result.stdout == "ファーウェイ の アセンド910C\n\nエヌビディア の H100\n")
    }

    @Test func conlluIsWellFormed() throws {
        let result = try Self.run(["tokenize", "--format", "conllu", "-"], stdin: "AI チップ。次だ！\n")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines where !line.isEmpty && !line.hasPrefix("#") {
            #expect(line.split(separator: "\t", omittingEmptySubsequences: false).count == 10)
        }
        #expect(result.stdout.contains("1\tAI\t_\t_\t_\t_\t_\t_\t_\tTokenRange=0:2\n"))
        #expect(result.stdout.contains("2\tチップ\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|TokenRange=3:6|Translit=chippu\n"))
        #expect(result.stdout.contains("# sent_id = stdin-2\n# text = 次だ！\n"))
    }

    @Test func jsonlParsesAndTilesTheInput() throws {
        let input = "ﾌｧｰｳｪｲ･ｸﾗｳﾄﾞは「ＡＩ」を使う。\nジェンスン・フアン\n"
        let result = try Self.run(["tokenize", "--format", "jsonl", "-"], stdin: input)
        var rebuilt = ""
        for line in result.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["document"] as? String == "-")
            for token in try #require(object["tokens"] as? [[String: Any]]) {
                rebuilt += try #require(token["surface"] as? String)
            }
        }
        #expect(rebuilt == input)
    }

    @Test func directoriesAreWalked() throws {
        let result = try Self.run(["tokenize", "corpora"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        var expected = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("corpora").path)
        where (name.hasSuffix(".txt") || name.hasSuffix(".md")) && !name.uppercased().hasPrefix("README") {
            let text = try String(contentsOf: Self.root.appendingPathComponent("corpora/\(name)"), encoding: .utf8)
            expected += text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
        }
        #expect(lines == expected)
    }

    @Test func legacyEncodingsAreDetected() throws {
        for file in ["shift_jis.txt", "euc-jp.txt", "iso-2022-jp.txt", "utf-16le-bom.txt"] {
            let result = try Self.run(["tokenize", "Tests/Fixtures/encodings/\(file)"])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdout.hasPrefix("ファーウェイ は 新しい ＡＩチップ を 発表 した 。\n"), "\(file)")
        }
    }

    // MARK: Bad input

    @Test func missingFileIsAOneLineError() throws {
        let result = try Self.run(["tokenize", "no-such-file.txt"])
        #expect(result.status == 1)
        #expect(result.stderr == "hashi: error: no-such-file.txt: no such file or directory\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func badInputsAreReported() throws {
        let binary = try Self.run(["tokenize", "Tests/Fixtures/encodings/binary.bin"])
        #expect(binary.status == 1)
        #expect(binary.stderr == "hashi: error: Tests/Fixtures/encodings/binary.bin: binary file (NUL byte at byte offset 7), not text\n")

        let invalid = try Self.run(["tokenize", "--encoding", "utf-8", "Tests/Fixtures/encodings/invalid-utf-8.txt"])
        #expect(invalid.status == 1)
        #expect(invalid.stderr == "hashi: error: Tests/Fixtures/encodings/invalid-utf-8.txt: invalid UTF-8 at byte offset 15\n")

        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try Self.run(["tokenize", dir.path])
        #expect(empty.status == 1)
        #expect(
            empty.stderr
                == "hashi: error: \(dir.path): directory has no files matching *.txt or *.md or *.jsonl or *.ndjson (change with --glob)\n")

        let encoding = try Self.run(["tokenize", "--encoding", "klingon", "corpora"])
        #expect(encoding.status != 0 && encoding.status != 1)
        #expect(encoding.stderr.contains("unknown encoding 'klingon'"))
    }

    @Test func keepGoingProcessesTheRest() throws {
        let result = try Self.run([
            "tokenize", "--keep-going", "nope.txt", "Tests/Fixtures/encodings/utf-8.txt", "Tests/Fixtures/encodings/binary.bin",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("ファーウェイ は"))
        #expect(result.stderr.split(separator: "\n").count == 2)
        // Without --keep-going, the first bad input stops the run.
        let stop = try Self.run(["tokenize", "nope.txt", "Tests/Fixtures/encodings/utf-8.txt"])
        #expect(stop.status == 1 && stop.stdout.isEmpty)
    }

    @Test func keepGoingWritesTheGoodInputsToTheOutputFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-kg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = ["Tests/Fixtures/encodings/utf-8.txt", "Tests/Fixtures/encodings/binary.bin"]
        for (command, file, needle) in [
            ("tokenize", "out.txt", "ファーウェイ"), ("annotate", "out.txt", "[Huawei]"),
            ("glossary", "out.csv", "Huawei"),
        ] {
            let out = dir.appendingPathComponent(command + "-" + file).path
            let result = try Self.run([command, "--keep-going", "-o", out] + inputs)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("binary.bin"), "\(command): \(result.stderr)")
            let written = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            #expect(written.contains(needle), "\(command) -o with --keep-going: \(written.prefix(80))")
            // Without --keep-going the run stops and no file appears.
            let stopped = dir.appendingPathComponent(command + "-stopped-" + file).path
            #expect(try Self.run([command, "-o", stopped] + inputs).status == 1)
            #expect(!FileManager.default.fileExists(atPath: stopped), "\(command)")
        }
    }

    @Test func emptyInputIsNotAnError() throws {
        let result = try Self.run(["tokenize", "Tests/Fixtures/encodings/empty.txt"])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
    }

    @Test func outputFileIsWrittenAtomically() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.txt")
        try "previous contents\n".write(to: out, atomically: true, encoding: .utf8)
        // A failing run leaves the existing file untouched and no temporary file behind.
        let failed = try Self.run(["tokenize", "-o", out.path, "Tests/Fixtures/encodings/utf-8.txt", "nope.txt"])
        #expect(failed.status == 1)
        #expect(try String(contentsOf: out, encoding: .utf8) == "previous contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
        // A good run replaces it.
        let ok = try Self.run(["tokenize", "-o", out.path, "Tests/Fixtures/encodings/utf-8.txt"])
        #expect(ok.status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("ファーウェイ は"))
    }

    @Test func helpTeaches() throws {
        let result = try Self.run(["tokenize", "--help"])
        #expect(result.status == 0)
        for needle in ["--format", "--unit", "--encoding", "--keep-going", "--glob", "mecab -Owakati", "SpaceAfter=No"] {
            #expect(result.stdout.contains(needle), "\(needle)")
        }
    }

    // MARK: transliterate

    @Test func transliterateJSONLinesHaveTheDocumentedShape() throws {
        let result = try Self.run(["transliterate", "--json", "--top", "3", "コンピューター", "ﾏｼﾝﾗｰﾆﾝｸﾞ"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        var objects: [[String: Any]] = []
        for line in lines {
            objects.append(try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
        }
        #expect(objects[0]["query"] as? String == "コンピューター")
        #expect(objects[0]["romaji"] as? String == "konpyūtā")
        #expect(objects[1]["query"] as? String == "ﾏｼﾝﾗｰﾆﾝｸﾞ")
        for object in objects {
            let candidates = try #require(object["candidates"] as? [[String: Any]])
            #expect(candidates.count == 3)
            let scores = candidates.compactMap { $0["score"] as? Double }
            #expect(scores.count == 3 && scores == scores.sorted(by: >))
            #expect(candidates.allSatisfy { $0["en"] is String })
        }
        let first = try #require((objects[0]["candidates"] as? [[String: Any]])?.first)
        #expect(first["en"] as? String == "computer")
        let second = (objects[1]["candidates"] as? [[String: Any]] ?? []).compactMap { $0["en"] as? String }
        #expect(second.contains("machine learning"))
    }

    @Test func transliterateTextTopAndStandardInput() throws {
        let text = try Self.run(["transliterate", "--top", "2", "データ"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("データ  [dēta]") && lines[0].contains("guesses"))
        #expect(lines[1].hasPrefix("  1. data "))
        let piped = try Self.run(["transliterate", "--json"], stdin: "データ\n\nクラウド\n")
        #expect(piped.status == 0 && piped.stdout.split(separator: "\n").count == 2)
        #expect(try Self.run(["transliterate", "--top", "0", "データ"]).status != 0)
    }

    @Test func transliterateRejectsNonKatakanaButGoesOn() throws {
        let result = try Self.run(["transliterate", "--json", "hello", "データ"])
        #expect(result.status == 1)
        #expect(result.stderr == "hashi: error: not a katakana word: 'hello' (only katakana, ー and ・ are transliterated)\n")
        #expect(result.stdout.split(separator: "\n").count == 1)
        let missing = try Self.run(["transliterate", "--model", "/nonexistent/model.bin", "データ"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("hashi: error: cannot read transliteration model"))
    }

    @Test func copiedBinaryTransliteratesInAnyDirectory() throws {
        let result = try Self.runCopiedBinary(["transliterate", "--json", "--top", "1", "コンピューター"])
        #expect(result.stdout.contains(#""en": "computer""#))
    }
}
