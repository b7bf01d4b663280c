import Foundation

/// The documents of a command's inputs, read the same way by every command:
/// files and directories (``InputResolver``: default patterns, project files
/// left out), standard input, and JSON Lines corpora (``JSONLinesCorpus``), whose
/// every record is a document of its own, named by its `id`.
///
/// ```swift
/// let corpus = Corpus(arguments: ["news/", "extra.jsonl"])
/// for resolved in corpus.files() {
///     for file in try resolved.get() {
///         try Corpus.forEachDocument(in: file) { document in print(document.name) }
///     }
/// }
/// ```
public struct Corpus: Sendable {
    /// Inputs as given on the command line: files, directories, `-` for standard input,
    /// and `.jsonl`/`.ndjson` corpora.
    public var arguments: [String]
    /// File-name patterns for directories; empty: ``InputResolver/defaultGlobs``.
    public var globs: [String]

    /// Creates a corpus of `arguments`; nothing is read until ``files()``.
    public init(arguments: [String], globs: [String] = []) {
        self.arguments = arguments
        self.globs = globs
    }

    /// The files of each argument, in order (a failed argument is an error of
    /// its own, so that a caller may report it and go on).
    public func files() -> [Result<[InputDocument], InputError>] {
        InputResolver(globs: globs).resolve(arguments)
    }

    /// Whether a file is a JSON Lines corpus (by its extension).
    public static func isJSONLines(_ file: InputDocument) -> Bool {
        file.path.map(JSONLinesCorpus.isJSONLines) ?? false
    }

    /// Calls `body` with the documents of one file: the file itself (read later
    /// through a ``DocumentReader``), or each record of a JSON Lines corpus.
    /// `size` is the file's size when known (it decides how a document is annotated).
    public static func forEachDocument(
        in file: InputDocument, size: Int? = nil, _ body: (DocumentSource) throws -> Void
    ) throws {
        if let path = file.path, JSONLinesCorpus.isJSONLines(path) {
            try JSONLinesCorpus.forEachRecord(path: path) { id, text in
                try body(.text(name: id, text: text))
            }
        } else {
            try body(.file(file, size: size))
        }
    }
}

/// A document to annotate: a file (or standard input) read through the reader,
/// or text already in memory (a record of a JSON Lines corpus).
public enum DocumentSource: Sendable {
    /// A file, or standard input, read through ``AnnotationPipeline/reader``. `size`
    /// is its size in bytes when known; a nil size counts as a large document.
    case file(InputDocument, size: Int?)
    /// Text in memory, called `name` in outputs and errors.
    case text(name: String, text: String)

    /// The document's size in bytes, when known (nil for standard input or a pipe).
    public var size: Int? {
        switch self {
        case .file(_, let size): return size
        case .text(_, let text): return text.utf8.count
        }
    }
    var bytes: Int {
        switch self {
        case .file(_, let size): return size ?? Int.max
        case .text(_, let text): return text.utf8.count
        }
    }
    /// The document's name in outputs and errors: the input path as given, `-` for
    /// standard input, or a JSON Lines record's id.
    public var name: String {
        switch self {
        case .file(let document, _): return document.name
        case .text(let name, _): return name
        }
    }
}
