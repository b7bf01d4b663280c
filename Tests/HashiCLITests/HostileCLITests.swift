import Foundation
import Testing

/// Hostile input, file system and output cases of issue 16, through the `hashi` binary.
@Suite("hashi CLI: hostile input", .serialized)
struct HostileCLITests {
    typealias CLI = CLITests

    /// Runs `command` with /bin/sh in `cwd` (file names that are not UTF-8, FIFOs).
    @discardableResult
    static func shell(_ command: String, cwd: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = cwd
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs hashi with standard output going to `stdoutPath`; returns the status and standard error.
    static func run(_ arguments: [String], stdoutPath: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        let err = Pipe()
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }

    static let article = "corpora/01-chips-export-controls.txt"

    /// Runs hashi with standard input read from a file of `input` (large inputs: no
    /// pipe to deadlock on, no write to a reader that has quit).
    static func run(_ arguments: [String], input: String) throws -> CLITests.Result {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in").path, outPath = dir.appendingPathComponent("out").path
        let errPath = dir.appendingPathComponent("err").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: inPath))
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        var environment = ProcessInfo.processInfo.environment
        environment["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-test.idx"
        environment.removeValue(forKey: "HASHI_DICT")
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        process.waitUntilExit()
        return CLITests.Result(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    // MARK: Crashes

    @Test func damagedModelIsAOneLineErrorNamingTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = [UInt8](try Data(contentsOf: CLI.root.appendingPathComponent("dictionaries/transliteration/model.bin")))
        // The first trie node's first child: far past the last node.
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        let trieFirst = u32(20 + 4 * (5 + 4 * (u32(12) - 1)))
        for k in 0..<4 { bytes[trieFirst + k] = 0xFF }
        let model = dir.appendingPathComponent("model.bin")
        try Data(bytes).write(to: model)
        let result = try CLI.run(["transliterate", "--model", model.path, "コンピューター"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("hashi: error: \(model.path): malformed transliteration model: trie node 0"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func mergeOverflowAndNegativeCountsAreErrorsNamingTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func part(_ name: String, count: String, documents: String = "1") throws -> String {
            let path = dir.appendingPathComponent(name).path
            try Data(
                """
                {"format": "hashi-glossary", "version": 1, "documents": 1, "complete": true, "entries": [
                  {"ja": "テスト", "en": "test", "type": "TERM", "count": \(count), "documents": \(documents), "reading": "", "romaji": "",
                   "variants": [{"surface": "テスト", "count": \(count)}], "source": "curated", "confidence": 0.95,
                   "confidence_total": 0, "id": "t", "wikidata": "", "context": "", "key": "t"}]}
                """.utf8
            ).write(to: URL(fileURLWithPath: path))
            return path
        }
        let a = try part("a.json", count: String(Int.max)), b = try part("b.json", count: String(Int.max))
        let overflow = try CLI.run(["glossary", "merge", a, b])
        #expect(overflow.status == 1)
        #expect(overflow.stderr == "hashi: error: \(b): entry \"t\": count overflows when merged\n")
        let negative = try CLI.run(["glossary", "merge", a, try part("c.json", count: "5", documents: "-1")])
        #expect(negative.status == 1 && negative.stderr.contains("c.json: entry 1: documents -1"))
    }

    // MARK: Dictionaries

    @Test func dictionariesWithCRLFAreReadAndHugeFieldsRefused() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let crlf = dir.appendingPathComponent("crlf.tsv")
        try Data("id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\r\nzz-test\tZetta Widget\tPRODUCT\tゼッタウィジェット\t\t\t\t\r\n".utf8)
            .write(to: crlf)
        let found = try CLI.run(["annotate", "--dict", crlf.path, "-"], stdin: "ゼッタウィジェットを使う。\n")
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("ゼッタウィジェット[Zetta Widget]"))
        let huge = dir.appendingPathComponent("huge.tsv")
        try Data(
            ("id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\nbig\tBig\tTERM\tビッグ\t" + String(repeating: "x", count: 20_000)
                + "\t\t\t\n").utf8
        ).write(to: huge)
        let refused = try CLI.run(["annotate", "--dict", huge.path, "-"], stdin: "ビッグ\n")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("hashi: error: \(huge.path):2: error: field 5 of 20000 bytes is longer than the limit"))
    }

    // MARK: Output files

    @Test func outputToALinkToADeviceWritesThroughAndKeepsTheLink() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("null-link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let result = try CLI.run(["tokenize", "-o", link, Self.article])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["null-link"])
        // A link to a regular file: the file is replaced, the link stays.
        let real = dir.appendingPathComponent("real.txt").path, fileLink = dir.appendingPathComponent("file-link").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: fileLink, withDestinationPath: real)
        #expect(try CLI.run(["tokenize", "-o", fileLink, Self.article]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fileLink) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8).count > 100)
    }

    @Test func writeErrorsExitOne() throws {
        let full = try CLI.run(["tokenize", "-o", "/dev/full", Self.article])
        #expect(full.status == 1 && full.stderr.hasPrefix("hashi: error: /dev/full: cannot write"))
        for arguments in [["--help"], ["--version"], ["dict", "check", "dictionaries"], ["tokenize", Self.article]] {
            let (status, stderr) = try Self.run(arguments, stdoutPath: "/dev/full")
            #expect(status == 1, "\(arguments)")
            #expect(stderr.contains("cannot write"), "\(arguments): \(stderr)")
        }
    }

    @Test func aSignalRemovesTheTemporaryOutput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.txt")
        let text = try Data(contentsOf: CLI.root.appendingPathComponent(Self.article))
        var big = Data()
        for _ in 0..<6000 { big.append(text) }
        try big.write(to: input)
        for (command, signal) in [("annotate", SIGTERM), ("tokenize", SIGINT)] {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = [command, "--threads", "1", "-o", dir.appendingPathComponent("out.txt").path, input.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the temporary file, then interrupt.
            var sawTemporary = false
            for _ in 0..<400 where !sawTemporary {
                sawTemporary = try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasPrefix(".hashi-") }
                if !sawTemporary { usleep(10_000) }
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(sawTemporary, "\(command)")
            #expect(process.terminationReason == .uncaughtSignal || process.terminationStatus != 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.txt"], "\(command)")
        }
    }

    // MARK: Input files

    @Test func directoriesReadRegularFilesAndNamesThatAreNotUTF8() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let article = CLI.root.appendingPathComponent(Self.article).path
        try Self.shell("mkdir sub && cp '\(article)' a.txt && cp '\(article)' \"sub/$(printf 'b\\377').txt\" && mkfifo fifo.txt", cwd: dir)
        let one = try CLI.run(["tokenize", Self.article]).stdout
        // The FIFO inside the directory is skipped (no reader blocks), the byte-named file read.
        let all = try CLI.run(["tokenize", dir.path])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout == one + one)
        // Named, a FIFO is read as a stream, and a name that is not UTF-8 is opened.
        let reader = Process()
        reader.executableURL = CLI.executable
        reader.arguments = ["tokenize", dir.appendingPathComponent("fifo.txt").path]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        // Opening for writing waits for hashi to open it for reading.
        let writer = try #require(FileHandle(forWritingAtPath: dir.appendingPathComponent("fifo.txt").path))
        writer.write(Data("ファーウェイのテスト\n".utf8))
        try writer.close()
        let streamed = out.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(String(decoding: streamed, as: UTF8.self) == "ファーウェイ の テスト\n")
        #expect(try Self.shell("'\(CLI.executable.path)' tokenize \"sub/$(printf 'b\\377').txt\" > out.txt", cwd: dir) == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8) == one)
    }

    @Test(.enabled(if: getuid() != 0, "root reads any directory"))
    func anUnreadableSubdirectoryIsAnError() throws {
        let dir = try CLI.temporaryDirectory()
        defer {
            chmod(dir.appendingPathComponent("locked").path, 0o755)
            try? FileManager.default.removeItem(at: dir)
        }
        try Self.shell("mkdir locked && cp '\(CLI.root.appendingPathComponent(Self.article).path)' a.txt && chmod 000 locked", cwd: dir)
        let strict = try CLI.run(["tokenize", dir.path])
        #expect(strict.status == 1 && strict.stderr.contains("locked: cannot read: cannot list directory"))
        let lenient = try CLI.run(["tokenize", "--keep-going", dir.path])
        #expect(lenient.status == 1 && !lenient.stdout.isEmpty)
    }

    @Test func shortEUCJPAndShiftJISAreDecoded() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // サーバーの設定 in EUC-JP and Shift_JIS, and 東京 (both also valid in the other encoding).
        let cases: [([UInt8], String)] = [
            ([0xA5, 0xB5, 0xA1, 0xBC, 0xA5, 0xD0, 0xA1, 0xBC, 0xA4, 0xCE, 0xC0, 0xDF, 0xC4, 0xEA, 0x0A], "サーバー の 設定\n"),
            ([0x83, 0x54, 0x81, 0x5B, 0x83, 0x6F, 0x81, 0x5B, 0x82, 0xCC, 0x90, 0xDD, 0x92, 0xE8, 0x0A], "サーバー の 設定\n"),
            ([0xC5, 0xEC, 0xB5, 0xFE, 0x0A], "東京\n"),
            ([0x93, 0x8C, 0x8B, 0x9E, 0x0A], "東京\n"),
        ]
        for (k, (bytes, expected)) in cases.enumerated() {
            let file = dir.appendingPathComponent("\(k).txt")
            try Data(bytes).write(to: file)
            let result = try CLI.run(["tokenize", file.path])
            #expect(result.status == 0 && result.stdout == expected, "case \(k): \(result.stdout) \(result.stderr)")
        }
    }

    @Test func anOverlongLineIsCutOnceSaid() throws {
        let line = String(repeating: "これは長い行です。", count: 150_000)  // 4 MB, no line break
        let result = try Self.run(["tokenize", "-"], input: line)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("hashi: warning: -: a line longer than 1 MiB was cut into pieces"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "") == line)
    }

    // MARK: Look-ups

    @Test func lookupNeutralizesFormulasAndShowsControlCharacters() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dict = dir.appendingPathComponent("bad.tsv")
        try Data(
            "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\nevil\t=HYPERLINK(\"http://x\")\tTERM\tアクアク\t\t\t\t\nesc\tred\u{1B}[31m text\tTERM\tエスケプ\t\t\t\t\n"
                .utf8
        )
        .write(to: dict)
        let batch = try CLI.run(["lookup", "--batch", "--dict", dict.path], stdin: "アクアク\n@SUM(1)\n")
        #expect(
            batch.stdout.split(separator: "\n").first?.split(separator: "\t", omittingEmptySubsequences: false)[1]
                == "'=HYPERLINK(\"http://x\")")
        #expect(batch.stdout.contains("'@SUM(1)\t"))
        let text = try CLI.run(["lookup", "--dict", dict.path, "エスケプ"])
        #expect(!text.stdout.contains("\u{1B}"))
        #expect(text.stdout.contains("red\\u{1B}[31m text"))
        let tsv = try CLI.run(["lookup", "--batch", "--dict", dict.path], stdin: "エスケプ\n")
        #expect(!tsv.stdout.contains("\u{1B}"))
    }

    @Test func standardInputWithoutLineBreaksIsBounded() throws {
        let endless = String(repeating: "a", count: 200_000)
        for arguments in [["lookup", "--batch"], ["transliterate"]] {
            let result = try Self.run(arguments, input: endless)
            #expect(result.status == 1)
            #expect(result.stderr == "hashi: error: standard input: cannot read: line 1 is longer than 65536 bytes\n")
        }
        // Lines stream: each answered.
        let result = try CLI.run(["transliterate", "--json"], stdin: "データ\nコンピューター\n")
        #expect(result.stdout.split(separator: "\n").count == 2)
    }
}
