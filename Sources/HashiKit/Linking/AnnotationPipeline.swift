import Foundation

/// Annotates many documents on several threads and hands the results back in
/// input order.
///
/// Small documents are annotated whole, several at a time (one ``Linker`` per
/// thread); a large one (or standard input) is annotated alone with its lines
/// segmented in parallel. Results reach ``onAnnotated`` in input order, so
/// whatever consumes them sees the same sequence for any number of threads; memory
/// holds one batch of documents.
public final class AnnotationPipeline {
    /// A document to annotate (see ``DocumentSource``).
    public typealias Source = DocumentSource

    /// How many documents are annotated at once, and the segmentation threads of a large document; at least 1.
    public let threads: Int
    /// Reads file sources (encoding detection, or the encoding it is given).
    public let reader: DocumentReader
    /// Receives each document's annotation, or its error, in input order; a thrown
    /// error stops the pipeline.
    public var onAnnotated: (Source, Result<AnnotatedDocument, Error>) throws -> Void = { _, result in _ = try result.get() }

    private let linkers: [Linker]
    private var pending: [Source] = []
    private var pendingBytes = 0
    /// Documents above this size are annotated alone, lines in parallel.
    public var largeDocument = 1 << 20
    /// A batch of small documents is processed when it reaches this many bytes.
    public var batchBytes = 4 << 20
    /// A large document is handed to ``onAnnotated`` in parts of about this many
    /// bytes of text (``Linker/Annotated/part``), so that memory stays bounded;
    /// `Int.max` (the default) hands every document whole.
    public var windowBytes = Int.max
    /// The window of `hashi annotate` and `hashi glossary`: documents up to this size
    /// (any article) are annotated whole; a dump of hundreds of megabytes stays
    /// within about 200 MB of memory.
    public static let boundedWindowBytes = 2 << 20

    /// `keepsLines`: whether annotations carry the documents' lines (see ``Linker/keepsLines``).
    public init(
        lexicon: EntityLexicon, edict: EdictIndex?, threads: Int, keepsLines: Bool = true,
        reader: DocumentReader = DocumentReader()
    ) throws {
        self.threads = max(1, threads)
        self.reader = reader
        var linkers: [Linker] = []
        for _ in 0..<self.threads {
            let linker = try Linker(lexicon: lexicon, edict: edict)
            linker.threads = 1
            linker.keepsLines = keepsLines
            linkers.append(linker)
        }
        self.linkers = linkers
    }

    /// Queues a document; documents are processed in batches.
    public func add(_ source: Source) throws {
        if source.bytes >= largeDocument {
            try flush()
            let linker = linkers[0]
            linker.threads = threads
            defer { linker.threads = 1 }
            if case .file(let document, _) = source, windowBytes < .max {
                // Parts go out as they are resolved; an error ends the document.
                do {
                    try linker.annotate(document, reader: reader, windowBytes: windowBytes) { part in
                        try onAnnotated(source, .success(part))
                    }
                } catch let error as InputError {
                    try onAnnotated(source, .failure(error))
                } catch let error as TokenizeError {
                    try onAnnotated(source, .failure(error))
                }
                return
            }
            try onAnnotated(source, Result { try Self.annotate(source, linker: linker, reader: reader) })
            return
        }
        pending.append(source)
        pendingBytes += source.bytes
        if pendingBytes >= batchBytes || pending.count >= threads * 64 { try flush() }
    }

    /// Processes what is still queued.
    public func finish() throws { try flush() }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let sources = pending
        pending = []
        pendingBytes = 0
        // Documents go to the threads one at a time; each thread has its linker, and
        // `onAnnotated` sees the results in input order (on this thread).
        let linkers = self.linkers
        let reader = self.reader
        try OrderedParallelMap(workers: min(threads, sources.count)).run(
            over: sources,
            transform: { worker, source in (source, Result { try Self.annotate(source, linker: linkers[worker], reader: reader) }) },
            consume: { source, result in try onAnnotated(source, result) })
    }

    private static func annotate(_ source: Source, linker: Linker, reader: DocumentReader) throws -> AnnotatedDocument {
        switch source {
        case .file(let document, _): return try linker.annotate(document, reader: reader)
        case .text(let name, let text): return try linker.annotated(text: text, name: name)
        }
    }
}
