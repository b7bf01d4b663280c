/// A problem found in a dictionary, with its place (`file:line: message`).
public struct DictionaryIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious an issue is: errors fail `hashi dict check` and stop a user dictionary from loading; warnings are only reported.
    public enum Severity: String, Sendable { case error, warning }
    /// The dictionary file the issue is in, as its path was given.
    public var file: String
    /// The 1-based line of the row in `file` (0 when an entity's location did not name one).
    public var line: Int
    /// What is wrong, in words for the person fixing the row.
    public var message: String
    /// `error` for a row or entity that cannot be used; `warning` for one that is used but suspect.
    public var severity: Severity

    /// An issue at `file:line`; an error unless `severity` says otherwise.
    public init(file: String, line: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.message = message
        self.severity = severity
    }

    /// The issue as one line, `file:line: severity: message`, as compilers write it.
    public var description: String { "\(file):\(line): \(severity.rawValue): \(message)" }
}

extension DictionaryIssue: HashiError {}
