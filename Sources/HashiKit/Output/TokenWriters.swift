/// Output formats of `hashi tokenize`.
public enum TokenFormat: String, CaseIterable, Sendable {
    /// Words separated by single spaces, one output line per input line (like `mecab -Owakati`).
    case text
    /// One token a line with its fields, a blank line between sentences, a header line first.
    case tsv
    /// One JSON object per sentence: document, sentence index, offsets, text and tokens.
    case jsonl
    /// CoNLL-U, with `SpaceAfter=No` where no space follows and `TokenRange` offsets.
    case conllu
}

/// Writes segmented lines in one of the ``TokenFormat``s.
public final class TokenWriter {
    public let format: TokenFormat
    private let sink: OutputSink
    private let romanizer: Romanizer?
    private var wroteHeader = false

    public init(format: TokenFormat, sink: OutputSink) throws {
        self.format = format
        self.sink = sink
        self.romanizer = format == .text ? nil : try Romanizer()
    }

    public func beginDocument(_ document: InputDocument) throws {
        switch format {
        case .tsv where !wroteHeader:
            try sink.write("surface\tnormalized\tscript\tstart\tend\tbyte_start\tbyte_end\tromaji\tparts\n")
            wroteHeader = true
        case .conllu:
            try sink.write("# newdoc id = \(Self.documentID(document))\n")
        default: break
        }
    }

    public func write(_ line: SegmentedLine, document: InputDocument) throws {
        switch format {
        case .text: try writeText(line)
        case .tsv: try writeTSV(line)
        case .jsonl: try writeJSONL(line, document: document)
        case .conllu: try writeCoNLLU(line, document: document)
        }
    }

    public func finish() throws { try sink.commit() }

    // MARK: text

    private func writeText(_ line: SegmentedLine) throws {
        var first = true
        var failure: Error?
        line.forEachWordBytes { bytes in
            do {
                if !first { try sink.write(byte: 0x20) }
                try sink.write(bytes)
                first = false
            } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        try sink.write(byte: 0x0A)
    }

    // MARK: tsv

    private func writeTSV(_ line: SegmentedLine) throws {
        for sentence in line.sentences() {
            var wrote = false
            for token in sentence.tokens where !token.isSpace {
                let romaji = romanizer?.romaji(token.normalized, script: token.script) ?? ""
                let parts = token.parts.filter { !$0.isSpace }.map(\.surface).joined(separator: "|")
                try sink.write(
                    "\(Self.cell(token.surface))\t\(Self.cell(token.normalized))\t\(token.script)\t\(token.start)\t\(token.end)\t"
                        + "\(token.byteStart)\t\(token.byteEnd)\t\(Self.cell(romaji))\t\(Self.cell(parts))\n")
                wrote = true
            }
            if wrote { try sink.write(byte: 0x0A) }
        }
    }

    /// TSV cells cannot hold tabs or line breaks: they are shown as \t, \n, \r.
    static func cell(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return s }
        return s.replacingAll([("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")])
    }

    // MARK: jsonl

    private func writeJSONL(_ line: SegmentedLine, document: InputDocument) throws {
        for sentence in line.sentences() {
            if sentence.tokens.allSatisfy(\.isSpace) { continue }
            var out = "{\"document\":\(JSON.quoted(document.name)),\"sentence\":\(sentence.index),"
            out += "\"start\":\(sentence.start),\"end\":\(sentence.end),\"text\":\(JSON.quoted(sentence.text)),\"tokens\":["
            for (k, token) in sentence.tokens.enumerated() {
                if k > 0 { out += "," }
                out += tokenJSON(token)
            }
            out += "]}\n"
            try sink.write(out)
        }
    }

    private func tokenJSON(_ token: Token) -> String {
        var out = "{\"surface\":\(JSON.quoted(token.surface)),\"normalized\":\(JSON.quoted(token.normalized)),"
        out += "\"script\":\"\(token.script)\",\"start\":\(token.start),\"end\":\(token.end),"
        out += "\"byte_start\":\(token.byteStart),\"byte_end\":\(token.byteEnd)"
        if let romaji = romanizer?.romaji(token.normalized, script: token.script) {
            out += ",\"romaji\":\(JSON.quoted(romaji))"
        }
        if !token.parts.isEmpty {
            out += ",\"parts\":[" + token.parts.map(tokenJSON).joined(separator: ",") + "]"
        }
        return out + "}"
    }

    // MARK: conllu

    private func writeCoNLLU(_ line: SegmentedLine, document: InputDocument) throws {
        for sentence in line.sentences() {
            let words = sentence.tokens.enumerated().filter { !$0.element.isSpace }
            if words.isEmpty { continue }
            var out = "# sent_id = \(Self.documentID(document))-\(sentence.index + 1)\n"
            out += "# text = \(Self.oneLine(sentence.text.trimmingLineBreaks()))\n"
            for (id, (index, token)) in words.enumerated() {
                // CoNLL-U forms cannot contain spaces.
                let form = token.surface.replacingAll([(" ", "\u{00A0}")])
                var misc: [String] = []
                let nextIsSpace = index + 1 < sentence.tokens.count && sentence.tokens[index + 1].isSpace
                    && sentence.tokens[index + 1].surface.first.map { $0 == " " || $0 == "\u{3000}" || $0 == "\t" } == true
                if !nextIsSpace { misc.append("SpaceAfter=No") }
                misc.append("TokenRange=\(token.start):\(token.end)")
                if let romaji = romanizer?.romaji(token.normalized, script: token.script) {
                    misc.append("Translit=\(romaji)")
                }
                out += "\(id + 1)\t\(form)\t_\t_\t_\t_\t_\t_\t_\t\(misc.joined(separator: "|"))\n"
            }
            out += "\n"
            try sink.write(out)
        }
    }

    /// A document id for CoNLL-U: the name without spaces; standard input is `stdin`.
    static func documentID(_ document: InputDocument) -> String {
        document.path == nil ? "stdin" : oneLine(document.name).replacingAll([(" ", "_")])
    }

    static func oneLine(_ s: String) -> String {
        s.replacingAll([("\r\n", " "), ("\n", " "), ("\r", " ")])
    }
}

extension String {
    func replacingAll(_ pairs: [(String, String)]) -> String {
        var result = self
        for (from, to) in pairs { result = result.split(separator: from, omittingEmptySubsequences: false).joined(separator: to) }
        return result
    }

    func trimmingLineBreaks() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == "\r\n" { s = s.dropLast() }
        return String(s)
    }
}
