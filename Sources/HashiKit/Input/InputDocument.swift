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
    /// The path's bytes when they are not UTF-8 (file names are bytes on Linux):
    /// `path` and `name` then show them with U+FFFD, and reading uses these.
    public var pathBytes: [UInt8]?

    /// A document shown as `name` and read from `path` (nil: standard input).
    public init(name: String, path: String?) {
        self.name = name
        self.path = path
    }

    init(bytes: [UInt8]) {
        let shown = String(decoding: bytes, as: UTF8.self)
        self.init(name: shown, path: shown)
        if Array(shown.utf8) != bytes { pathBytes = bytes }
    }

    /// Opens the document's file read-only (`open(2)`'s result).
    func open() -> Int32 {
        if let pathBytes {
            return (pathBytes + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { Glibc.open($0.baseAddress!, O_RDONLY) }
            }
        }
        return Glibc.open(path ?? "", O_RDONLY)
    }

    /// Standard input, named `-`.
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

    /// A resolver taking files inside directories by `globs`; an empty list, or none given, means ``defaultGlobs``.
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
        return [
            "README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "CONTRIBUTING", "NOTICE",
            "AUTHORS", "CODE_OF_CONDUCT", "SECURITY",
        ].contains(String(stem))
    }

    /// Resolves each argument in order; directories are walked recursively and
    /// their matching regular files (FIFOs, sockets and devices inside are skipped;
    /// named as an argument, they are read as a stream) sorted by path, so runs are
    /// deterministic. Errors are returned per argument (and per unreadable
    /// subdirectory, before the files found) so that `--keep-going` can skip them.
    public func resolve(_ arguments: [String]) -> [Result<[InputDocument], InputError>] {
        arguments.flatMap { resolveOne($0) }
    }

    private func resolveOne(_ argument: String) -> [Result<[InputDocument], InputError>] {
        if argument == "-" { return [.success([.standardInput])] }
        var bytes = Array(argument.utf8)
        var info = stat()
        if Self.statBytes(bytes, &info) != 0, argument.unicodeScalars.contains("\u{FFFD}"),
            let raw = Self.rawArgument(matching: argument), Self.statBytes(raw, &info) == 0
        {
            // A name that is not UTF-8, as given on the command line.
            bytes = raw
        }
        guard Self.statBytes(bytes, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return [.failure(.missing(path: argument))] }
            return [.failure(.unreadable(path: argument, reason: String(cString: strerror(errno))))]
        }
        if info.st_mode & S_IFMT != S_IFDIR { return [.success([InputDocument(bytes: bytes)])] }
        var found: [[UInt8]] = []
        var errors: [Result<[InputDocument], InputError>] = []
        walk(bytes, into: &found, errors: &errors)
        if found.isEmpty && errors.isEmpty { return [.failure(.noMatchingFiles(directory: argument, globs: globs))] }
        let documents = found.map { InputDocument(bytes: $0) }
            .sorted { $0.name != $1.name ? $0.name < $1.name : ($0.pathBytes ?? []).lexicographicallyPrecedes($1.pathBytes ?? []) }
        return errors + (documents.isEmpty ? [] : [.success(documents)])
    }

    /// Adds the matching regular files under `directory` (recursively, not into
    /// symbolic links to directories) to `found`; a directory that cannot be read
    /// is an error.
    private func walk(_ directory: [UInt8], into found: inout [[UInt8]], errors: inout [Result<[InputDocument], InputError>]) {
        let shown = String(decoding: directory, as: UTF8.self)
        guard
            let handle = (directory + [0]).withUnsafeBufferPointer({
                $0.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
            })
        else {
            errors.append(.failure(.unreadable(path: shown, reason: "cannot list directory: " + String(cString: strerror(errno)))))
            return
        }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name.first == 0x2E { continue }  // ., .. and hidden files
            names.append(name)
        }
        for name in names {
            let full = (directory.last == 0x2F ? directory : directory + [0x2F]) + name
            var info = stat()
            guard lstatBytes(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(full, into: &found, errors: &errors)
            case S_IFREG:
                if matches(name) { found.append(full) }
            case S_IFLNK:
                // A link to a regular file counts; to anything else, not.
                if Self.statBytes(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG, matches(name) { found.append(full) }
            default:
                break  // FIFOs, sockets, devices: reading them could block forever
            }
        }
    }

    private func matches(_ name: [UInt8]) -> Bool {
        if usesDefaults && Self.isProjectFile(String(decoding: name, as: UTF8.self)) { return false }
        return (name + [0]).withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { cName in globs.contains { fnmatch($0, cName.baseAddress!, 0) == 0 } }
        }
    }

    private static func statBytes(_ path: [UInt8], _ info: inout stat) -> Int32 {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { hashiStat($0.baseAddress!, &info) } }
    }

    private func lstatBytes(_ path: [UInt8], _ info: inout stat) -> Int32 {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) } }
    }

    /// The bytes of the command-line argument that Swift shows as `shown` (its
    /// invalid UTF-8 replaced by U+FFFD).
    static func rawArgument(matching shown: String) -> [UInt8]? {
        for k in 0..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[k] else { continue }
            let bytes = Array(
                UnsafeBufferPointer(
                    start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                    count: strlen(argument)))
            if String(decoding: bytes, as: UTF8.self) == shown { return bytes }
        }
        return nil
    }
}

/// stat(2) (the name `stat` is the structure's inside the resolver).
private func hashiStat(_ path: UnsafePointer<CChar>, _ info: inout stat) -> Int32 { stat(path, &info) }

/// Reads a document as UTF-8 lines, whatever its encoding, in bounded memory
/// for UTF-8 input (documents in other encodings are converted whole).
public struct DocumentReader {
    /// The input's encoding; nil detects it from the first 64 KiB: a byte order mark, UTF-8, ISO-2022-JP, or a Japanese legacy charset ICU recognizes.
    public var encoding: TextEncoding?
    /// Bytes read per system call.
    public var chunkSize = 1 << 20
    /// Longest line handed on, in bytes: a longer one (a dump without line breaks,
    /// `/dev/zero`-like streams) is cut into pieces of at most this size, after a
    /// sentence end or a space when there is one near the limit, else between two
    /// characters; so memory stays bounded for any line length.
    public var maxLineBytes = 1 << 20
    /// Called (from the reading thread) each time a line is cut: the document's
    /// name and the byte offset in the text where the cut is.
    public var onLineCut: (@Sendable (_ document: String, _ offset: Int) -> Void)?

    /// A reader of `encoding`, or detecting it when nil, with 1 MiB reads and lines of at most 1 MiB.
    public init(encoding: TextEncoding? = nil) {
        self.encoding = encoding
    }

    /// Where a line starts: in the decoded UTF-8 text (BOM removed), and in the
    /// file as read (for UTF-8 input; nil for converted input).
    public struct LineOrigin: Sendable, Equatable {
        /// UTF-8 byte offset of the line in the decoded text, from its start after any byte order mark.
        public var textOffset: Int
        /// Byte offset of the line in the file as read (a BOM included); nil for input converted from another encoding.
        public var fileOffset: Int?
    }

    /// Calls `body` with each line (terminator included) and where it starts.
    public func readLines(
        of document: InputDocument,
        _ body: (UnsafeBufferPointer<UInt8>, LineOrigin) throws -> Void
    ) throws {
        let fd: Int32
        if document.path != nil {
            fd = document.open()
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
                    && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF))
                {
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
            try emitLines(&converted, upTo: converted.count, base: 0, document: document) { line, offset in
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
        var cut = false
        if skip > 0 { buffer.removeFirst(skip) }
        while true {
            // Process complete lines; keep the tail for the next chunk.
            let end: Int
            if eof {
                end = buffer.count
            } else if let lastNewline = buffer.lastIndex(of: 0x0A) {
                end = lastNewline + 1
            } else if buffer.count >= maxLineBytes {
                // A line longer than the limit so far: hand on its first piece now.
                end = buffer.withUnsafeBufferPointer { Self.cut($0, from: 0, limit: maxLineBytes) }
                cut = true
            } else {
                end = 0
            }
            if end > 0 {
                let consumed = try emitLines(&buffer, upTo: end, base: base, document: document) { line, offset in
                    try body(line, LineOrigin(textOffset: offset - skip, fileOffset: offset))
                }
                buffer.removeFirst(consumed)
                base += consumed
                if cut { onLineCut?(document.name, base - skip) }
                cut = false
            }
            if eof { break }
            eof = try readChunk(fd, into: &buffer, document)
        }
    }

    /// Emits the lines of buffer[0..<end], lines over ``maxLineBytes`` in pieces;
    /// returns the bytes consumed (== end).
    @discardableResult
    private func emitLines(
        _ buffer: inout [UInt8], upTo end: Int, base: Int, document: InputDocument,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws -> Int {
        try buffer.withUnsafeBufferPointer { all in
            var start = 0
            while start < end {
                var stop = start
                let limit = min(end, start + maxLineBytes)
                while stop < limit && all[stop] != 0x0A { stop += 1 }
                if stop < end && all[stop] == 0x0A {
                    stop += 1
                } else if stop == limit && limit < end {
                    stop = Self.cut(UnsafeBufferPointer(rebasing: all[..<end]), from: start, limit: maxLineBytes)
                }
                try body(UnsafeBufferPointer(rebasing: all[start..<stop]), base + start)
                if stop < end && all[stop - 1] != 0x0A { onLineCut?(document.name, base + stop) }
                start = stop
            }
        }
        return end
    }

    /// Where to cut a line that runs past `from + limit` (bytes of `all`): after the
    /// last sentence end (。．！？!?) or space in the second half of the allowed
    /// piece, else at the last character boundary (never inside a UTF-8 sequence).
    static func cut(_ all: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int {
        let hard = min(all.count, from + limit)
        var k = hard
        let floor = from + limit / 2
        while k > floor {
            let b = all[k - 1]
            if b == 0x20 || b == 0x09 || b == 0x21 || b == 0x3F { return k }
            if k - 3 >= from && all[k - 3] == 0xE3 && all[k - 2] == 0x80 && (b == 0x82 || b == 0x80) { return k }  // 。 or ideographic space
            if k - 3 >= from && all[k - 3] == 0xEF && all[k - 2] == 0xBC && (b == 0x8E || b == 0x81 || b == 0x9F) { return k }  // ．！？
            k -= 1
        }
        // Before the character at `hard` (before the last one when the bytes end there:
        // it may be incomplete).
        k = hard == all.count ? hard - 1 : hard
        while k > from + 1 && all[k] & 0xC0 == 0x80 { k -= 1 }
        return k
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
