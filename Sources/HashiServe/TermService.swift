import Foundation
import HashiKit
import Synchronization

/// A document sent to the service: its name (the `document` of its mentions)
/// and its text.
public struct ServeDocument: Sendable, Equatable {
    /// The document's name: the `document` field of its mentions and its name in errors.
    public var id: String
    /// The document's full text.
    public var text: String

    /// Creates a document named `id` with `text`.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// What the service answers with: the bytes a command would print and their media type.
public struct ServeOutput: Sendable {
    /// The media type to send in `Content-Type` (`application/json`, `text/csv; charset=utf-8`, ...).
    public var contentType: String
    /// The response body, in the matching command's output format.
    public var bytes: [UInt8]
    /// For downloads: the file name to offer.
    public var filename: String?

    /// Creates an output; a `filename` is sent in `Content-Disposition` as the name to save the body under.
    public init(contentType: String, bytes: [UInt8], filename: String? = nil) {
        self.contentType = contentType
        self.bytes = bytes
        self.filename = filename
    }
}

/// The request took longer than the configured time limit.
public struct TimeLimitExceeded: Error {}

/// When a request must be answered by. Long work checks it between documents
/// and queries (``check()``), so that it stops soon after the client has
/// been told it ran out of time.
public final class Deadline: Sendable {
    /// The moment the deadline passes (monotonic clock).
    public let end: DispatchTime

    /// A deadline `seconds` from now (at most one day); zero or less is already expired.
    public init(seconds: Double) {
        end = DispatchTime.now() + .nanoseconds(Int(min(seconds, 86_400) * 1e9))
    }

    /// Whether the deadline has passed.
    public var expired: Bool { DispatchTime.now() >= end }

    /// Throws ``TimeLimitExceeded`` once the deadline has passed; returns otherwise.
    public func check() throws {
        if expired { throw TimeLimitExceeded() }
    }
}

/// Hashi's answers for the server: the same writers as the command line, over
/// one lexicon loaded at start-up. Thread-safe: every request borrows a
/// ``Worker`` (linker, look-up engine, transliterator: none of them are
/// thread-safe) from a pool, and the pool grows to the number of requests that
/// run at once.
public final class TermService: Sendable {
    /// The built-in and user dictionaries, loaded once at start-up and never changed.
    public let lexicon: EntityLexicon
    /// The imported EDICT/ENAMDICT index, or nil when the server runs without one.
    public let edict: EdictIndex?
    /// The user dictionary paths (files or directories) the service was started with.
    public let userDictionaries: [String]
    private let pool = Pool()

    /// Workers no request uses, and the number made. (A class: a `Mutex` stored in
    /// TermService itself crashes the Swift 6.3 optimizer in the throwing init.)
    private final class Pool: Sendable {
        /// Guards `idle`; the number of workers made.
        let made = Mutex(0)
        /// A worker is used by one request at a time. Touched only under `made`
        /// (`nonisolated(unsafe)`: workers are not `Sendable`, and the compiler cannot
        /// see that the lock hands each to one request at a time).
        nonisolated(unsafe) var idle: [Worker] = []
    }

    /// Loads the built-in dictionaries and the user's (files or directories), and
    /// the EDICT index when given. Throws as `hashi annotate` fails on a bad dictionary.
    public init(userDictionaries: [String], edict: EdictIndex?) throws {
        BuiltinLexicon.prepareInBackground()
        self.userDictionaries = userDictionaries
        self.lexicon = try Dictionaries.lexicon(userPaths: userDictionaries)
        self.edict = edict
        // One worker ready, so that the first request does not pay for it.
        let worker = try Worker(service: self)
        _ = try worker.lookup()
        pool.made.withLock { made in
            pool.idle.append(worker)
            made = 1
        }
    }

    /// Workers made so far (the most requests that ran at once).
    public var workerCount: Int { pool.made.withLock { $0 } }

    /// Runs `body` with a worker of its own.
    public func withWorker<T>(_ body: (Worker) throws -> T) throws -> T {
        let reused = pool.made.withLock { made -> Worker? in
            if let worker = pool.idle.popLast() { return worker }
            made += 1
            return nil
        }
        let worker = try reused ?? Worker(service: self)
        defer { pool.made.withLock { _ in pool.idle.append(worker) } }
        return try body(worker)
    }

    /// One request's tools.
    public final class Worker {
        unowned let service: TermService
        let linker: Linker
        private var engine: TermLookup?
        private var transliterator: BackTransliterator?
        private var romanizer: Romanizer?

        init(service: TermService) throws {
            self.service = service
            linker = try Linker(lexicon: service.lexicon, edict: service.edict)
            linker.threads = 1
        }

        /// The look-up engine, made as `hashi lookup` makes it (user dictionaries first,
        /// then the built-in ones, then the EDICT index).
        func lookup() throws -> TermLookup {
            if let engine { return engine }
            let made = try TermLookup(dictionaries: service.userDictionaries, edict: service.edict)
            engine = made
            return made
        }

        func back() -> BackTransliterator {
            if let transliterator { return transliterator }
            let made = BackTransliterator()
            transliterator = made
            return made
        }

        func romaji() throws -> Romanizer {
            if let romanizer { return romanizer }
            let made = try Romanizer()
            romanizer = made
            return made
        }
    }

    // MARK: Look-up

    /// Answers as `hashi lookup --json QUERY...` does: one JSON object per query (a
    /// line each, here collected in a JSON array when `array` is set).
    /// `guess`: transliteration guesses for unknown katakana (on for `hashi lookup` terms).
    public func lookup(
        _ queries: [String], to target: LookupLanguage?, guess: Bool, array: Bool,
        deadline: Deadline? = nil
    ) throws -> ServeOutput {
        try withWorker { worker in
            let engine = try worker.lookup()
            if guess {
                let back = worker.back()
                engine.guess = { word in
                    ((try? back.candidates(for: word, top: 3)) ?? []).map { (en: $0.english, score: $0.score) }
                }
            } else {
                engine.guess = nil
            }
            let sink = OutputSink.memory()
            let writer = LookupWriter(format: .json, sink: sink)
            for query in queries {
                try deadline?.check()
                try writer.write(engine.lookup(query, to: target, detail: .full))
            }
            let lines = sink.collected
            return ServeOutput(contentType: "application/json", bytes: array ? Self.jsonArray(ofLines: lines) : Self.trimmed(lines))
        }
    }

    // MARK: Annotation

    /// Mentions as `hashi annotate --format jsonl` (or `text`) writes them, documents in order.
    public func annotate(
        _ documents: [ServeDocument], format: MentionFormat, linkedOnly: Bool,
        deadline: Deadline? = nil
    ) throws -> ServeOutput {
        try withWorker { worker in
            let sink = OutputSink.memory()
            let writer = MentionWriter(format: format, sink: sink, includeUnlinked: !linkedOnly)
            let weights = worker.back().weights
            writer.guess = { (try? BackTransliterator(weights: weights).candidates(for: $0, top: 1))?.first?.english }
            for document in documents {
                try deadline?.check()
                try writer.write(try worker.linker.annotated(text: document.text, name: document.id))
            }
            return ServeOutput(
                contentType: format == .jsonl ? "application/x-ndjson" : "text/plain; charset=utf-8",
                bytes: sink.collected)
        }
    }

    // MARK: Glossary

    /// The glossary of the documents, as `hashi glossary --format FORMAT` writes it.
    public func glossary(
        _ documents: [ServeDocument], format: GlossaryFormat, options: GlossaryOptions, bom: Bool,
        deadline: Deadline? = nil
    ) throws -> ServeOutput {
        try withWorker { worker in
            var glossary = Glossary()
            for document in documents {
                try deadline?.check()
                let annotated = try worker.linker.annotated(text: document.text, name: document.id)
                glossary.add(annotated, lexicon: lexicon, includeUnlinked: options.includeGuesses)
            }
            try deadline?.check()
            var writer = GlossaryWriter(format: format)
            writer.byteOrderMark = bom
            writer.reading = GlossaryWriter.defaultReading(edict: edict)
            let back = worker.back()
            writer.guess = { ja in (try? back.candidates(for: ja, top: 1))?.first?.english }
            let bytes = try writer.renderBytes(glossary, options: options)
            return ServeOutput(
                contentType: Self.mediaType(of: format), bytes: bytes,
                filename: "glossary.\(format.rawValue == "pairs" ? "txt" : format.rawValue)")
        }
    }

    /// The media type each glossary format is served as.
    public static func mediaType(of format: GlossaryFormat) -> String {
        switch format {
        case .csv: return "text/csv; charset=utf-8"
        case .tsv: return "text/tab-separated-values; charset=utf-8"
        case .tbx: return "application/x-tbx+xml; charset=utf-8"
        case .json: return "application/json"
        case .pairs: return "text/plain; charset=utf-8"
        case .xlsx: return HashiServer.xlsxType
        }
    }

    // MARK: Transliteration

    /// As `hashi transliterate --json`: per word its romaji and ranked English
    /// guesses, or `{"query", "error"}` for a word that is not katakana.
    public func transliterate(_ words: [String], top: Int, deadline: Deadline? = nil) throws -> ServeOutput {
        try withWorker { worker in
            let back = worker.back()
            let romanizer = try worker.romaji()
            var out: [UInt8] = []
            for word in words {
                try deadline?.check()
                do throws(TransliterationError) {
                    let segments = try BackTransliterator.segments(of: word)
                    let candidates = try back.candidates(for: word, top: top)
                    let romaji = segments.map { romanizer.romaji($0) }.joined(separator: " ")
                    out += TransliterationWriter.jsonLine(query: word, romaji: romaji, candidates: candidates).utf8
                } catch {
                    out += "{\"query\": \(Self.quoted(word)), \"error\": \(Self.quoted(error.description))}\n".utf8
                }
            }
            return ServeOutput(contentType: "application/json", bytes: Self.jsonArray(ofLines: out))
        }
    }

    // MARK: Helpers

    /// `[line1,line2,…]` from JSON Lines.
    static func jsonArray(ofLines lines: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(lines.count + 2)
        var first = true
        for line in lines.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if !first { out.append(0x2C) }
            first = false
            out += line
        }
        out += [0x5D, 0x0A]
        return out
    }

    static func trimmed(_ lines: [UInt8]) -> [UInt8] {
        var lines = lines
        while lines.last == 0x0A { lines.removeLast() }
        lines.append(0x0A)
        return lines
    }

    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        guard let data, data.count >= 2 else { return "\"\"" }
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
