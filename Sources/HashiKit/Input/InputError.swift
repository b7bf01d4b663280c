/// Problems with the input, each rendered as one line that names the file.
public enum InputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path names no file or directory.
    case missing(path: String)
    /// A directory argument has no file matching the name patterns.
    case noMatchingFiles(directory: String, globs: [String])
    /// The file has a NUL byte at byte offset `offset`: it is binary, not text.
    case binary(path: String, offset: Int)
    /// The file is not valid in `encoding` at byte offset `offset`.
    case invalidBytes(path: String, encoding: String, offset: Int)
    /// The file is not UTF-8 (first invalid byte at `offset`) nor any Japanese encoding Hashi
    /// detects; `guess` is ICU's charset guess, if it has one.
    case undetectable(path: String, offset: Int, guess: String?)
    /// The file could not be opened, read or mapped; `reason` says briefly why.
    case unreadable(path: String, reason: String)
    /// An encoding name Hashi does not know (as given to `--encoding`).
    case unknownEncoding(name: String)
    /// A JSON Lines record is not a JSON object with a `text` string, or has an `id` that is
    /// neither a string nor a number; `line` is 1-based.
    case badJSONLine(path: String, line: Int, reason: String)

    /// One line naming the file (or directory) first: `news/a.txt: no such file or directory`.
    public var description: String {
        switch self {
        case .missing(let path):
            "\(path): no such file or directory"
        case .noMatchingFiles(let directory, let globs):
            "\(directory): directory has no files matching \(globs.joined(separator: " or ")) (change with --glob)"
        case .binary(let path, let offset):
            "\(path): binary file (NUL byte at byte offset \(offset)), not text"
        case .invalidBytes(let path, let encoding, let offset):
            "\(path): invalid \(encoding) at byte offset \(offset)"
        case .undetectable(let path, let offset, let guess):
            "\(path): invalid UTF-8 at byte offset \(offset), and not Shift_JIS, EUC-JP or ISO-2022-JP either"
                + (guess.map { " (ICU guesses \($0))" } ?? "") + "; name the encoding with --encoding"
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason)"
        case .unknownEncoding(let name):
            "unknown encoding '\(name)' (try utf-8, shift_jis, cp932, euc-jp, iso-2022-jp, utf-16)"
        case .badJSONLine(let path, let line, let reason):
            "\(path):\(line): \(reason)"
        }
    }

    /// The path the error is about, if any.
    public var path: String? {
        switch self {
        case .missing(let p), .binary(let p, _), .invalidBytes(let p, _, _), .undetectable(let p, _, _),
            .unreadable(let p, _), .badJSONLine(let p, _, _):
            p
        case .noMatchingFiles(let d, _): d
        case .unknownEncoding: nil
        }
    }
}

extension InputError: HashiError {}
