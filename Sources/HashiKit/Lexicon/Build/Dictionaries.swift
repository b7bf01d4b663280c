import Foundation

/// Loading dictionaries: the curated ones built into the binary, user files,
/// and the lexicon over both.
public enum Dictionaries {

    /// The curated entities built into the binary (top-level `dictionaries/*.tsv`,
    /// compiled into `dictionaries/lexicon.bin`), with the problems parsing them reported.
    public static let builtin: (entities: [Entity], issues: [DictionaryIssue]) = BuiltinImage.read {
        try LexiconReader.entities(in: $0)
    }

    /// A user dictionary that could not be used.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        /// The problems that made the user dictionaries unusable: errors only, warnings left out.
        public let issues: [DictionaryIssue]
        /// The first issue as `file:line: severity: message`, with a count of the others.
        public var description: String {
            let first = issues.first.map(\.description) ?? "invalid dictionary"
            return issues.count > 1 ? "\(first) (and \(issues.count - 1) more problems)" : first
        }
    }

    /// Dictionary files named by paths: files, or directories (their `*.tsv` files, not recursive).
    public static func files(in paths: [String]) throws(InputError) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing(path: path) }
            if isDirectory.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".tsv") }.sorted()
                if names.isEmpty { throw .noMatchingFiles(directory: path, globs: ["*.tsv"]) }
                result += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                result.append(path)
            }
        }
        return result
    }

    /// Parses dictionary files from disk.
    public static func parse(files: [String], source: EntitySource) throws -> (entities: [Entity], issues: [DictionaryIssue]) {
        var entities: [Entity] = []
        var issues: [DictionaryIssue] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError.unreadable(path: path, reason: "cannot read file")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw InputError.invalidBytes(
                    path: path, encoding: "UTF-8",
                    offset: data.withUnsafeBytes { EncodingSniffer.firstInvalidUTF8($0.bindMemory(to: UInt8.self), isComplete: true) } ?? 0)
            }
            let parsed = DictionaryParser.parse(text, file: path, source: source)
            entities += parsed.entities
            issues += parsed.issues
        }
        return (entities, issues)
    }

    /// The lexicon over the built-in dictionaries and the user's (which take
    /// precedence). Throws when a user dictionary has errors.
    public static func lexicon(userPaths: [String] = []) throws -> EntityLexicon {
        if userPaths.isEmpty { return EntityLexicon.builtin }
        let user = try parse(files: try files(in: userPaths), source: .user)
        let errors = user.issues.filter { $0.severity == .error }
        if !errors.isEmpty { throw LoadError(issues: errors) }
        return EntityLexicon(user.entities, over: EntityLexicon.builtin)
    }

    /// Checks dictionaries: each file's rows, then cross-row consistency.
    public static func check(_ entities: [Entity], parseIssues: [DictionaryIssue]) -> [DictionaryIssue] {
        parseIssues + DictionaryValidator.validate(entities)
    }
}

extension Dictionaries.LoadError: HashiError {}
