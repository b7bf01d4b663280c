/// Problems with the input, each rendered as one line that names the file.
public enum InputError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing(path: String)
    case noMatchingFiles(directory: String, globs: [String])
    case binary(path: String, offset: Int)
    case invalidBytes(path: String, encoding: String, offset: Int)
    case undetectable(path: String, offset: Int, guess: String?)
    case unreadable(path: String, reason: String)
    case unknownEncoding(name: String)
    case badJSONLine(path: String, line: Int, reason: String)

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
