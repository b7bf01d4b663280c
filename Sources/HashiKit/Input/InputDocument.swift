import Foundation
import HashiICU
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input document: a file or standard input.
public struct InputDocument: Sendable, Hashable {
    /// The name used in outputs and errors: the path as given (or found under a
    /// directory given), or `-` for standard input.
    public var name: String
    /// The path to read, or nil for standard input.
    public var path: String?

    public init(name: String, path: String?) {
        self.name = name
        self.path = path
    }

    public static let standardInput = InputDocument(name: "-", path: nil)
}

/// Turns command-line inputs (files, directories, `-`) into documents.
public struct InputResolver: Sendable {
    /// Glob patterns for files inside directories (fnmatch(3) on the file name).
    public var globs: [String]

    /// What a directory brings in when no pattern is given: text, Markdown and
    /// JSON Lines corpora, but not a project's own files (``isProjectFile(_:)``).
    public static let defaultGlobs = ["*.txt", "*.md", "*.jsonl", "*.ndjson"]

    /// True when the default patterns are in use: then README, LICENSE and
    /// similar files inside directories are left out.
    public let usesDefaults: Bool

    public init(globs: [String] = InputResolver.defaultGlobs) {
        usesDefaults = globs.isEmpty || globs == Self.defaultGlobs
        self.globs = globs.isEmpty ? Self.defaultGlobs : globs
    }

    /// Names a directory of documents usually also holds that are not documents:
    /// README, LICENSE/LICENCE, COPYING, CHANGELOG/CHANGES, CONTRIBUTING, NOTICE,
    /// AUTHORS, CODE_OF_CONDUCT, SECURITY (any case, any extension). Named on
    /// the command line, or matched by a --glob, they are read like any file.
    public static func isProjectFile(_ name: String) -> Bool {
        var stem = Substring(name.uppercased())
        if let dot = stem.firstIndex(of: ".") { stem = stem[..<dot] }
        return ["README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "CONTRIBUTING", "NOTICE",
                "AUTHORS", "CODE_OF_CONDUCT", "SECURITY"].contains(String(stem))
    }

    /// Resolves each argument in order; directories are walked recursively and
    /// their matching files sorted by path, so runs are deterministic. Errors are
    /// returned per argument so that `--keep-going` can skip them.
    public func resolve(_ arguments: [String]) -> [Result<[InputDocument], InputError>] {
        arguments.map { resolveOne($0) }
    }

    private func resolveOne(_ argument: String) -> Result<[InputDocument], InputError> {
        if argument == "-" { return .success([.standardInput]) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            return .failure(.missing(path: argument))
        }
        if !isDirectory.boolValue { return .success([InputDocument(name: argument, path: argument)]) }
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: argument) else {
            return .failure(.unreadable(path: argument, reason: "cannot list directory"))
        }
        while let relative = walker.nextObject() as? String {
            let full = argument.hasSuffix("/") ? argument + relative : argument + "/" + relative
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { continue }
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            if usesDefaults && Self.isProjectFile(name) { continue }
            if globs.contains(where: { fnmatch($0, name, 0) == 0 }) { found.append(full) }
        }
        if found.isEmpty { return .failure(.noMatchingFiles(directory: argument, globs: globs)) }
        return .success(found.sorted().map { InputDocument(name: $0, path: $0) })
    }
}

/// Reads a document as UTF-8 lines, whatever its encoding, in bounded memory
/// for UTF-8 input (documents in other encodings are converted whole).
public struct DocumentReader {
    public var encoding: TextEncoding?
    /// Bytes read per system call.
    public var chunkSize = 1 << 20

    public init(encoding: TextEncoding? = nil) {
        self.encoding = encoding
    }

    /// Where a line starts: in the decoded UTF-8 text (BOM removed), and in the
    /// file as read (for UTF-8 input; nil for converted input).
    public struct LineOrigin: Sendable, Equatable {
        public var textOffset: Int
        public var fileOffset: Int?
    }

    /// Calls `body` with each line (terminator included) and where it starts.
    public func readLines(
        of document: InputDocument,
        _ body: (UnsafeBufferPointer<UInt8>, LineOrigin) throws -> Void
    ) throws {
        let fd: Int32
        if let path = document.path {
            fd = open(path, O_RDONLY)
            if fd < 0 { throw InputError.unreadable(path: document.name, reason: String(cString: strerror(errno))) }
        } else {
            fd = 0
        }
        defer { if document.path != nil { close(fd) } }

        var buffer = [UInt8]()
        buffer.reserveCapacity(chunkSize * 2)
        var eof = false
        // Fill enough to decide the encoding.
        while !eof && buffer.count < 65536 { eof = try readChunk(fd, into: &buffer, document) }

        var verdict: EncodingSniffer.Verdict
        if let encoding {
            switch encoding {
            case .utf8:
                let bom = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
                verdict = .utf8(bomLength: bom)
            case .icu(let name):
                var bom = 0
                if name.uppercased().hasPrefix("UTF-16") && buffer.count >= 2
                    && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)) {
                    bom = name.uppercased() == "UTF-16" ? 0 : 2
                }
                verdict = .convert(encoding, bomLength: bom)
            }
        } else {
            verdict = buffer.withUnsafeBytes { EncodingSniffer.sniff($0, isComplete: eof) }
        }

        switch verdict {
        case .binary(let offset):
            throw InputError.binary(path: document.name, offset: offset)
        case .undetectable(let offset, let guess):
            throw InputError.undetectable(path: document.name, offset: offset, guess: guess)
        case .utf8(let bom):
            try streamUTF8(fd: fd, buffer: &buffer, eof: eof, skip: bom, document: document, body)
        case .convert(let encoding, let bom):
            while !eof { eof = try readChunk(fd, into: &buffer, document) }
            guard case .icu(let charset) = encoding else { return }
            let units: [UInt16]
            do {
                units = try buffer.withUnsafeBytes { raw in
                    try Charset.toUTF16(UnsafeRawBufferPointer(rebasing: raw[bom...]), from: charset)
                }
            } catch let error as Charset.ConversionError {
                switch error {
                case .invalidBytes(let offset, _):
                    throw InputError.invalidBytes(path: document.name, encoding: encoding.description, offset: offset + bom)
                case .icu(let icu):
                    throw InputError.unreadable(path: document.name, reason: icu.description)
                }
            }
            var text = String(decoding: units, as: UTF16.self)
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            if let nul = text.utf8.firstIndex(of: 0) {
                throw InputError.binary(path: document.name, offset: text.utf8.distance(from: text.utf8.startIndex, to: nul))
            }
            var converted = Array(text.utf8)
            try Self.emitLines(&converted, upTo: converted.count, base: 0) { line, offset in
                try body(line, LineOrigin(textOffset: offset, fileOffset: nil))
            }
        }
    }

    private func streamUTF8(
        fd: Int32, buffer: inout [UInt8], eof startEOF: Bool, skip: Int, document: InputDocument,
        _ body: (UnsafeBufferPointer<UInt8>, LineOrigin) throws -> Void
    ) throws {
        var eof = startEOF
        var base = skip  // file offset of buffer[0] after dropping the BOM
        if skip > 0 { buffer.removeFirst(skip) }
        while true {
            // Process complete lines; keep the tail for the next chunk.
            let end: Int
            if eof {
                end = buffer.count
            } else if let lastNewline = buffer.lastIndex(of: 0x0A) {
                end = lastNewline + 1
            } else {
                end = 0
            }
            if end > 0 {
                let consumed = try Self.emitLines(&buffer, upTo: end, base: base) { line, offset in
                    try body(line, LineOrigin(textOffset: offset - skip, fileOffset: offset))
                }
                buffer.removeFirst(consumed)
                base += consumed
            }
            if eof { break }
            eof = try readChunk(fd, into: &buffer, document)
        }
    }

    /// Emits the lines of buffer[0..<end]; returns the bytes consumed (== end).
    @discardableResult
    private static func emitLines(
        _ buffer: inout [UInt8], upTo end: Int, base: Int,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws -> Int {
        try buffer.withUnsafeBufferPointer { all in
            var start = 0
            while start < end {
                var stop = start
                while stop < end && all[stop] != 0x0A { stop += 1 }
                if stop < end { stop += 1 }
                try body(UnsafeBufferPointer(rebasing: all[start..<stop]), base + start)
                start = stop
            }
        }
        return end
    }

    /// Appends up to `chunkSize` bytes; returns true at end of file.
    private func readChunk(_ fd: Int32, into buffer: inout [UInt8], _ document: InputDocument) throws -> Bool {
        // Read through a scratch buffer and append what came: no zero-filling of a
        // whole chunk per call (small files are common in corpora).
        let got = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { scratch -> Int in
            while true {
                let n = read(fd, scratch.baseAddress!, chunkSize)
                if n < 0 && errno == EINTR { continue }
                if n > 0 { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<n])) }
                return n
            }
        }
        if got < 0 {
            throw InputError.unreadable(path: document.name, reason: String(cString: strerror(errno)))
        }
        return got == 0
    }
}
