import Foundation

/// Builds the glossary of many documents on several threads: an
/// ``AnnotationPipeline`` whose results are merged in input order, so the
/// glossary is the same for any number of threads, and memory holds the
/// glossary plus one batch of documents, not the corpus.
public final class GlossaryBuilder {
    /// A document to add: a file (or standard input), or text in memory.
    public typealias Source = AnnotationPipeline.Source

    /// The dictionaries mentions are linked against and glossary entries take their data from.
    public let lexicon: EntityLexicon
    /// Whether unknown katakana terms (no dictionary entry) go into the glossary too.
    public let includeUnlinked: Bool
    /// The glossary of the documents merged so far; complete once ``finish()`` returns.
    public private(set) var glossary = Glossary()
    /// Called after each document is merged: its name and size in bytes.
    public var onDocument: ((String, Int) -> Void)?
    /// Called with a document's error (in input order); rethrow to stop.
    public var onError: ((Error) throws -> Void)?
    private let pipeline: AnnotationPipeline

    /// Documents above this size are annotated alone, lines in parallel.
    public var largeDocument: Int {
        get { pipeline.largeDocument }
        set { pipeline.largeDocument = newValue }
    }

    /// Large documents are added in parts of about this many bytes (bounded memory;
    /// see ``AnnotationPipeline/windowBytes``).
    public var windowBytes: Int {
        get { pipeline.windowBytes }
        set { pipeline.windowBytes = newValue }
    }

    /// Creates a builder annotating with `threads` linkers (at least one) over `lexicon`
    /// and, when given, the imported EDICT index; `reader` reads file sources.
    ///
    /// Throws ``ICUError`` when ICU cannot open a linker's segmenter.
    public init(
        lexicon: EntityLexicon, edict: EdictIndex?, threads: Int, includeUnlinked: Bool = true,
        reader: DocumentReader = DocumentReader()
    ) throws {
        self.lexicon = lexicon
        self.includeUnlinked = includeUnlinked
        self.pipeline = try AnnotationPipeline(lexicon: lexicon, edict: edict, threads: threads, reader: reader)
        pipeline.onAnnotated = { [unowned self] source, result in try self.take(result, source) }
    }

    /// Queues a document; documents are processed in batches.
    public func add(_ source: Source) throws { try pipeline.add(source) }

    /// Processes what is queued and returns the glossary.
    public func finish() throws -> Glossary {
        try pipeline.finish()
        return glossary
    }

    private func take(_ result: Result<AnnotatedDocument, Error>, _ source: Source) throws {
        switch result {
        case .success(let annotated):
            glossary.add(annotated, lexicon: lexicon, includeUnlinked: includeUnlinked)
            guard annotated.isLastPart else { return }
            let bytes: Int
            switch source {
            case .file(_, let size): bytes = size ?? annotated.lineByteStarts.last.map { $0 + annotated.lines.last!.utf8.count } ?? 0
            case .text(_, let text): bytes = text.utf8.count
            }
            onDocument?(source.name, bytes)
        case .failure(let error):
            if let onError { try onError(error) } else { throw error }
        }
    }
}
