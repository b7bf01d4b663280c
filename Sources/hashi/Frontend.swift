import ArgumentParser
import Foundation
import HashiKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

enum ICUVersion {
    static var string: String { HashiKit.icuVersion }
}

/// The document reader of the commands: lines over its limit are cut, and the
/// first cut of the run is reported on standard error (once: a dump may have many).
func documentReader(encoding: TextEncoding?) -> DocumentReader {
    var reader = DocumentReader(encoding: encoding)
    let mebibytes = reader.maxLineBytes / (1 << 20)
    reader.onLineCut = { document, offset in
        guard
            firstLineCut.withLock({ first in
                defer { first = false }; return first
            })
        else { return }
        Diagnostics.warning(
            "\(document): a line longer than \(mebibytes) MiB was cut into pieces (first cut at byte \(offset)); mentions do not cross the cuts"
        )
    }
    return reader
}

/// Whether no line cut was reported yet (the reader runs on several threads).
private let firstLineCut = Mutex(true)

/// The files of the inputs, in order, with their sizes (nil for standard
/// input and pipes). An argument that fails is reported and skipped with
/// --keep-going (`ok` becomes false), else thrown.
func resolveFiles(_ options: InputOptions, ok: inout Bool) throws -> [(file: InputDocument, size: Int?)] {
    var files: [(file: InputDocument, size: Int?)] = []
    for resolved in Corpus(arguments: try options.effectiveInputs(), globs: options.glob).files() {
        switch resolved {
        case .success(let found): files += found.map { ($0, $0.path.flatMap(regularFileSize)) }
        case .failure(let error):
            if !options.keepGoing { throw error }
            Diagnostics.report(error)
            ok = false
        }
    }
    return files
}

/// Progress for the files of a job (shown on a terminal unless --quiet).
func progress(_ options: InputOptions, files: [(file: InputDocument, size: Int?)]) -> Progress {
    let sizes = files.map(\.size)
    return Progress(
        enabled: Diagnostics.showsProgress(quiet: options.quiet),
        totalBytes: sizes.contains(where: { $0 == nil }) ? nil : sizes.reduce(0) { $0 + $1! })
}

/// Runs `body` for every document of the inputs (a file, standard input, or a
/// record of a JSON Lines corpus: ``Corpus``), stopping at the first error
/// unless --keep-going; returns true when every input succeeded.
func forEachDocument(
    _ options: InputOptions, _ body: (AnnotationPipeline.Source, DocumentReader) throws -> Void
) throws -> Bool {
    let reader = documentReader(encoding: try TextEncoding.named(options.encoding))
    var ok = true
    let files = try resolveFiles(options, ok: &ok)
    let progress = progress(options, files: files)
    defer { progress.finish() }
    for (file, size) in files {
        do {
            try Corpus.forEachDocument(in: file, size: size) { document in
                try body(document, reader)
                progress.advance(bytes: document.size ?? 0)
            }
        } catch let error as InputError {
            if !options.keepGoing { throw error }
            Diagnostics.report(error)
            ok = false
        } catch let error as TokenizeError {
            if !options.keepGoing { throw error }
            Diagnostics.report(error)
            ok = false
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
    windowBytes: Int = .max, _ body: (AnnotatedDocument) throws -> Void
) throws -> Bool {
    let reader = documentReader(encoding: try TextEncoding.named(options.encoding))
    let pipeline = try AnnotationPipeline(lexicon: lexicon, edict: edict, threads: threads, keepsLines: keepsLines, reader: reader)
    pipeline.windowBytes = windowBytes
    var ok = true
    let keepGoing = options.keepGoing
    let files = try resolveFiles(options, ok: &ok)
    let progress = progress(options, files: files)
    defer { progress.finish() }
    try withoutActuallyEscaping(body) { body in
        pipeline.onAnnotated = { source, result in
            // A large document comes in parts (--windowed annotate and glossary): it is
            // one document for the progress line.
            var lastPart = true
            do {
                let annotated = try result.get()
                lastPart = annotated.isLastPart
                try body(annotated)
            } catch let error as InputError where keepGoing {
                Diagnostics.report(error)
                ok = false
            } catch let error as TokenizeError where keepGoing {
                Diagnostics.report(error)
                ok = false
            }
            if lastPart { progress.advance(bytes: source.size ?? 0) }
        }
        defer { pipeline.onAnnotated = { _, _ in } }
        for (file, size) in files {
            do {
                try Corpus.forEachDocument(in: file, size: size) { try pipeline.add($0) }
            } catch let error as InputError where keepGoing {
                // A JSON Lines corpus with a bad line: the records before it count.
                Diagnostics.report(error)
                ok = false
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

/// Runs a command's work: a ``HashiError`` (every error the library reports)
/// becomes its one-line message and exit status 1, as does a `false` result
/// (something failed and was already reported, as with --keep-going).
func runReportingErrors(_ body: () throws -> Bool) throws {
    do {
        if try !body() { throw ExitCode(1) }
    } catch let error as HashiError {
        Diagnostics.report(error)
        throw ExitCode(1)
    }
}
