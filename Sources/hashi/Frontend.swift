import ArgumentParser
import Foundation
import HashiKit
#if canImport(Glibc)
import Glibc
#endif

enum ICUVersion {
    static var string: String { HashiKit.icuVersion }
}

/// Prints `hashi: error: …` to standard error.
func reportError(_ message: String) {
    var line = "hashi: error: \(message)\n"
    line.withUTF8 { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

/// Prints `hashi: warning: …` to standard error.
func reportWarning(_ message: String) {
    var line = "hashi: warning: \(message)\n"
    line.withUTF8 { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

/// The document reader of the commands: lines over its limit are cut, and the
/// first cut of the run is reported on standard error (once: a dump may have many).
func documentReader(encoding: TextEncoding?) -> DocumentReader {
    var reader = DocumentReader(encoding: encoding)
    let mebibytes = reader.maxLineBytes / (1 << 20)
    reader.onLineCut = { document, offset in
        guard LineCutNotice.shared.first() else { return }
        reportWarning("\(document): a line longer than \(mebibytes) MiB was cut into pieces (first cut at byte \(offset)); mentions do not cross the cuts")
    }
    return reader
}

/// Whether a line cut was reported yet (the reader runs on several threads).
final class LineCutNotice: @unchecked Sendable {
    static let shared = LineCutNotice()
    private let lock = NSLock()
    private var reported = false

    func first() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if reported { return false }
        reported = true
        return true
    }
}

/// Runs `body` for every document of the inputs, stopping at the first error
/// unless `keepGoing`; returns true when every input succeeded.
func forEachDocument(
    _ options: InputOptions, _ body: (InputDocument, DocumentReader) throws -> Void
) throws -> Bool {
    let encoding = try TextEncoding.named(options.encoding)
    let reader = documentReader(encoding: encoding)
    let resolver = InputResolver(globs: options.glob)
    var ok = true
    for resolved in resolver.resolve(try options.effectiveInputs()) {
        switch resolved {
        case .failure(let error):
            if !options.keepGoing { throw error }
            reportError(error.description)
            ok = false
        case .success(let documents):
            for document in documents {
                do {
                    try body(document, reader)
                } catch let error as InputError {
                    if !options.keepGoing { throw error }
                    reportError(error.description)
                    ok = false
                } catch let error as TokenizeError {
                    if !options.keepGoing { throw error }
                    reportError(error.description)
                    ok = false
                }
            }
        }
    }
    return ok
}

/// Annotates every document of the inputs on `threads` cores (``AnnotationPipeline``:
/// whole documents in parallel, a large one line by line in parallel) and hands
/// the annotations to `body` in input order; bad inputs are handled as in
/// ``forEachDocument(_:_:)``. Returns true when every input succeeded.
func forEachAnnotated(
    _ options: InputOptions, lexicon: EntityLexicon, edict: EdictIndex?, threads: Int, keepsLines: Bool,
    windowBytes: Int = .max, _ body: (Linker.Annotated) throws -> Void
) throws -> Bool {
    let reader = documentReader(encoding: try TextEncoding.named(options.encoding))
    let pipeline = try AnnotationPipeline(lexicon: lexicon, edict: edict, threads: threads, keepsLines: keepsLines, reader: reader)
    pipeline.windowBytes = windowBytes
    var ok = true
    let keepGoing = options.keepGoing
    try withoutActuallyEscaping(body) { body in
        pipeline.onAnnotated = { _, result in
            do {
                try body(try result.get())
            } catch let error as InputError where keepGoing {
                reportError(error.description)
                ok = false
            } catch let error as TokenizeError where keepGoing {
                reportError(error.description)
                ok = false
            }
        }
        defer { pipeline.onAnnotated = { _, _ in } }
        for resolved in InputResolver(globs: options.glob).resolve(try options.effectiveInputs()) {
            switch resolved {
            case .failure(let error):
                if !keepGoing { throw error }
                reportError(error.description)
                ok = false
            case .success(let documents):
                for document in documents {
                    try pipeline.add(.file(document, size: document.path.flatMap(regularFileSize)))
                }
            }
        }
        try pipeline.finish()
    }
    return ok
}

/// The size of a regular file, or nil (standard input, a pipe, a missing file).
func regularFileSize(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
}

/// Maps library errors to a one-line message and exit status 1.
func runReportingErrors(_ body: () throws -> Bool) throws {
    do {
        if try !body() { throw ExitCode(1) }
    } catch let error as InputError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as TokenizeError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as OutputSink.WriteError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as Dictionaries.LoadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as EdictIndex.FormatError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as Glossary.ReadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as TransliterationModel.LoadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as ICUError {
        reportError(error.description)
        throw ExitCode(1)
    }
}
