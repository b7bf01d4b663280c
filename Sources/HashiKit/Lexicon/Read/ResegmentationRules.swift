/// Rules that rewrite sequences of hiragana tokens into short units
/// (した → し|た, な|っ → なっ). See `dictionaries/segmentation/hiragana-rules.tsv`.
public struct ResegmentationRules: Sendable {
    struct Rule: Sendable {
        /// The token sequence to match, normalized UTF-16.
        var from: [[UInt16]]
        /// Lengths (in units) of the replacement tokens.
        var to: [Int]
    }

    /// Rules by their first token, longest `from` first.
    private(set) var byFirst: [[UInt16]: [Rule]] = [:]
    /// The number of rules, one per rule line read.
    public private(set) var count = 0

    /// A malformed rule line.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// The name of the rules text, as passed to ``init(tsv:source:)`` (usually its path).
        public let source: String
        /// The 1-based line of the malformed rule.
        public let line: Int
        /// What is wrong with the line.
        public let reason: String
        /// The error as one line, `source:line: reason`.
        public var description: String { "\(source):\(line): \(reason)" }
    }

    /// No rules: the segmenter's tokens are left as they are.
    public init() {}

    /// Rules from their compiled form (see ``LexiconCompiler``): by first token,
    /// each list already in match order.
    init(byFirst: [[UInt16]: [Rule]], count: Int) {
        self.byFirst = byFirst
        self.count = count
    }

    /// Rules read from TSV text, one `from<TAB>to` line each (tokens `|`-separated, both sides spelling the
    /// same text); empty lines and `#` comments are skipped.
    /// - Parameter source: The name given in errors, usually the file's path.
    /// - Throws: ``ParseError`` at the first malformed line.
    public init(tsv: String, source: String) throws(ParseError) {
        for row in TSV.rows(tsv) {
            let lineNumber = row.line
            let fields = row.fields
            guard fields.count == 2 else {
                throw ParseError(source: source, line: lineNumber, reason: "expected 2 tab-separated fields, found \(fields.count)")
            }
            let from = fields[0].split(separator: "|").map { Array(String($0).utf16) }
            let to = fields[1].split(separator: "|").map { Array(String($0).utf16) }
            guard !from.isEmpty, !to.isEmpty, from.joined().elementsEqual(to.joined()) else {
                throw ParseError(source: source, line: lineNumber, reason: "both sides must spell the same text")
            }
            byFirst[from[0], default: []].append(Rule(from: from, to: to.map(\.count)))
            count += 1
        }
        for key in byFirst.keys { byFirst[key]!.sort { $0.from.count > $1.from.count } }
    }

}

extension ResegmentationRules.ParseError: HashiError {}
