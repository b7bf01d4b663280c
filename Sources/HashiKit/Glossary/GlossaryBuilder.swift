import Foundation

/// Builds the glossary of many documents on several threads.
///
/// Small documents are annotated whole, several at a time (one ``Linker`` per
/// thread); a large one (or standard input) is annotated alone with its lines
/// segmented in parallel. Per-document results are merged in input order, so the
/// glossary is the same for any number of threads, and memory holds the glossary
/// plus one batch of documents, not the corpus.
public final class GlossaryBuilder {
    /// A document to add: a file (or standard input) read through a reader, or text
    /// already in memory (a record of a JSON Lines corpus).
    public enum Source: Sendable {
        case file(InputDocument, size: Int?)
        case text(name: String, text: String)

        var bytes: Int {
            switch self {
            case .file(_, let size): return size ?? Int.max
            case .text(_, let text): return text.utf8.count
            }
        }
        var name: String {
            switch self {
            case .file(let document, _): return document.name
            case .text(let name, _): return name
            }
        }
    }

    public let lexicon: EntityLexicon
    public let threads: Int
    public let includeUnlinked: Bool
    public let reader: DocumentReader
    public private(set) var glossary = Glossary()
    /// Called after each document is merged: its name and size in bytes.
    public var onDocument: ((String, Int) -> Void)?
    /// Called with a document's error (in input order); rethrow to stop.
    public var onError: ((Error) throws -> Void)?

    private let linkers: [Linker]
    private var pending: [Source] = []
    private var pendingBytes = 0
    /// Documents above this size are annotated alone, lines in parallel.
    public var largeDocument = 1 << 20
    /// A batch of small documents is processed when it reaches this many bytes.
    public var batchBytes = 4 << 20

    public init(lexicon: EntityLexicon, edict: EdictIndex?, threads: Int, includeUnlinked: Bool = true,
                reader: DocumentReader = DocumentReader()) throws {
        self.lexicon = lexicon
        self.threads = max(1, threads)
        self.includeUnlinked = includeUnlinked
        self.reader = reader
        var linkers: [Linker] = []
        for _ in 0..<self.threads {
            let linker = try Linker(lexicon: lexicon, edict: edict)
            linker.threads = 1
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
            let result = Result { try Self.annotate(source, linker: linker, reader: reader) }
            try take(result, source)
            return
        }
        pending.append(source)
        pendingBytes += source.bytes
        if pendingBytes >= batchBytes || pending.count >= threads * 64 { try flush() }
    }

    /// Processes what is queued and returns the glossary.
    public func finish() throws -> Glossary {
        try flush()
        return glossary
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let sources = pending
        pending = []
        pendingBytes = 0
        let results = Results(count: sources.count)
        let linkers = UncheckedSendable(self.linkers)
        let reader = UncheckedSendable(self.reader)  // a value, only read
        let cursor = UncheckedSendable(NSLock())
        let next = Counter()
        let sourcesBox = UncheckedSendable(sources)
        DispatchQueue.concurrentPerform(iterations: min(threads, sources.count)) { worker in
            let linker = linkers.value[worker]
            while true {
                cursor.value.lock()
                let k = next.value
                next.value += 1
                cursor.value.unlock()
                guard k < sourcesBox.value.count else { break }
                results.values[k] = Result { try Self.annotate(sourcesBox.value[k], linker: linker, reader: reader.value) }
            }
        }
        for (k, source) in sources.enumerated() {
            try take(results.values[k]!, source)
        }
    }

    private func take(_ result: Result<Linker.Annotated, Error>, _ source: Source) throws {
        switch result {
        case .success(let annotated):
            glossary.add(annotated, lexicon: lexicon, includeUnlinked: includeUnlinked)
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

    private static func annotate(_ source: Source, linker: Linker, reader: DocumentReader) throws -> Linker.Annotated {
        switch source {
        case .file(let document, _): return try linker.annotate(document, reader: reader)
        case .text(let name, let text): return try linker.annotated(text: text, name: name)
        }
    }

    /// Per-document results, each index written by one worker. `@unchecked
    /// Sendable`: read only after `concurrentPerform` returns.
    private final class Results: @unchecked Sendable {
        var values: [Result<Linker.Annotated, Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
    }

    /// The next document index (guarded by a lock at its use).
    private final class Counter: @unchecked Sendable {
        var value = 0
    }
}
