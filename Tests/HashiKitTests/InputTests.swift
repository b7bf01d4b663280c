import Foundation
import Testing

@testable import HashiKit

@Suite("Input: encodings, files and bad input")
struct InputTests {
    static let expected = "ファーウェイは新しいＡＩチップを発表した。\nエヌビディアのH100と競う。\n"

    @Test(arguments: [
        "utf-8.txt", "utf-8-bom.txt", "shift_jis.txt", "euc-jp.txt", "iso-2022-jp.txt",
        "utf-16le-bom.txt", "utf-16be-bom.txt",
    ])
    func detectsEncoding(file: String) throws {
        #expect(try readAll(TestPaths.fixture("encodings/\(file)")) == Self.expected)
    }

    @Test func forcedEncodingIsUsed() throws {
        let path = TestPaths.fixture("encodings/euc-jp.txt")
        #expect(try readAll(path, encoding: try TextEncoding.named("euc-jp")) == Self.expected)
        // Forcing the wrong encoding reports the first bad byte.
        #expect(throws: InputError.invalidBytes(path: path, encoding: "UTF-8", offset: 0)) {
            let tokenizer = try Tokenizer()
            try tokenizer.tokenize(InputDocument(name: path, path: path), reader: DocumentReader(encoding: .utf8)) { _ in }
        }
    }

    @Test func invalidUTF8ReportsItsByteOffset() throws {
        let path = TestPaths.fixture("encodings/invalid-utf-8.txt")
        let tokenizer = try Tokenizer()
        #expect {
            try tokenizer.tokenize(InputDocument(name: path, path: path), reader: DocumentReader()) { _ in }
        } throws: { error in
            // Too short to be anything else: reported as invalid UTF-8 at the exact byte.
            "\(error)".hasPrefix("\(path): invalid UTF-8 at byte offset 15")
        }
        // Past the first block, the reader streams UTF-8 and stops at the bad byte.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = dir.appendingPathComponent("late.txt")
        var bytes = Array(String(repeating: "半導体のファウンドリー。\n", count: 5000).utf8)
        let badOffset = bytes.count - 10
        bytes[badOffset] = 0xFF
        try Data(bytes).write(to: long)
        var reader = DocumentReader()
        reader.chunkSize = 4096  // the encoding is decided on the first 64 KiB
        #expect(throws: InputError.invalidBytes(path: long.path, encoding: "UTF-8", offset: badOffset)) {
            try tokenizer.tokenize(InputDocument(name: long.path, path: long.path), reader: reader) { _ in }
        }
    }

    @Test func binaryFilesAreRefused() {
        let path = TestPaths.fixture("encodings/binary.bin")
        #expect(throws: InputError.binary(path: path, offset: 7)) { _ = try readAll(path) }
    }

    @Test func emptyInputIsNotAnError() throws {
        #expect(try readAll(TestPaths.fixture("encodings/empty.txt")) == "")
    }

    @Test func errorsAreOneLineAndNameTheFile() {
        let errors: [InputError] = [
            .missing(path: "a.txt"), .noMatchingFiles(directory: "d", globs: ["*.txt"]), .binary(path: "b", offset: 3),
            .invalidBytes(path: "c", encoding: "UTF-8", offset: 9), .undetectable(path: "e", offset: 1, guess: "ISO-8859-1"),
            .unreadable(path: "f", reason: "Permission denied"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.hasPrefix(error.path! + ":"))
        }
    }

    @Test func resolverWalksDirectoriesWithGlobs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["b.txt", "a.md", "sub/c.txt", "skip.json", ".hidden.txt"] {
            try "テスト".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let found = InputResolver().resolve([dir.path])
        let names = try found[0].get().map { URL(fileURLWithPath: $0.path!).lastPathComponent }
        #expect(names == ["a.md", "b.txt", "c.txt"])
        let json = try InputResolver(globs: ["*.json"]).resolve([dir.path])[0].get()
        #expect(json.count == 1)
        #expect(InputResolver(globs: ["*.csv"]).resolve([dir.path])[0] == .failure(.noMatchingFiles(directory: dir.path, globs: ["*.csv"])))
        #expect(InputResolver().resolve(["/no/such/file"])[0] == .failure(.missing(path: "/no/such/file")))
        #expect(try InputResolver().resolve(["-"])[0].get() == [.standardInput])
    }

    @Test func streamingAcrossSmallChunksKeepsOffsets() throws {
        // A tiny chunk size forces lines to straddle reads.
        let path = TestPaths.fixture("encodings/utf-8.txt")
        #expect(try readAll(path, chunkSize: 7) == Self.expected)
        var reader = DocumentReader()
        reader.chunkSize = 5
        var tokens: [Token] = []
        try Tokenizer().tokenize(InputDocument(name: path, path: path), reader: reader) { line in
            tokens += line.sentences().flatMap(\.tokens)
        }
        #expect(tokens.map(\.surface).joined() == Self.expected)
        let utf8 = Array(Self.expected.utf8)
        for token in tokens {
            #expect(String(decoding: utf8[token.byteStart..<token.byteEnd], as: UTF8.self) == token.surface)
        }
    }

    @Test func offsetsCountTheDecodedTextWithoutBOM() throws {
        for file in ["utf-8-bom.txt", "shift_jis.txt", "utf-16le-bom.txt"] {
            let path = TestPaths.fixture("encodings/\(file)")
            var tokens: [Token] = []
            try Tokenizer().tokenize(InputDocument(name: path, path: path), reader: DocumentReader()) { line in
                tokens += line.sentences().flatMap(\.tokens)
            }
            #expect(tokens.first?.start == 0 && tokens.first?.byteStart == 0, "\(file)")
            let utf8 = Array(Self.expected.utf8)
            for token in tokens {
                #expect(String(decoding: utf8[token.byteStart..<token.byteEnd], as: UTF8.self) == token.surface, "\(file)")
            }
        }
    }

    @Test func encodingNames() throws {
        #expect(try TextEncoding.named("auto") == nil)
        #expect(try TextEncoding.named("Shift_JIS") == .icu("windows-31j"))
        #expect(try TextEncoding.named("cp932") == .icu("windows-31j"))
        #expect(throws: InputError.unknownEncoding(name: "klingon")) { _ = try TextEncoding.named("klingon") }
    }
}
