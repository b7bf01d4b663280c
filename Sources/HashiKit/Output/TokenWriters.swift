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
    /// The output format, fixed for the writer's lifetime.
    public let format: TokenFormat
    private let sink: OutputSink
    private let romanizer: Romanizer?
    private var wroteHeader = false

    /// Creates a writer to `sink`. Not thread-safe: call it from one thread.
    ///
    /// Throws ``ICUError`` when the romanizer (romaji, in every format but text) cannot be created.
    public init(format: TokenFormat, sink: OutputSink) throws {
        self.format = format
        self.sink = sink
        self.romanizer = format == .text ? nil : try Romanizer()
    }

    /// Starts a document: call before its first line. Writes the TSV header (once per
    /// output) or CoNLL-U's `# newdoc id` line; nothing for the other formats.
    public func beginDocument(_ document: InputDocument) throws {
        switch format {
        case .tsv where !wroteHeader:
            raw("surface\tnormalized\tscript\tstart\tend\tbyte_start\tbyte_end\tromaji\tparts\n")
            wroteHeader = true
        case .conllu:
            raw("# newdoc id = \(Self.documentID(document))\n")
        default: break
        }
    }

    /// Writes one segmented line of `document` (call in document order). Throws
    /// ``OutputSink/WriteError`` if writing fails; output is buffered, so a failure may
    /// surface on a later call or in ``finish()``.
    public func write(_ line: SegmentedLine, document: InputDocument) throws {
        switch format {
        case .text: try writeText(line)
        case .tsv: try writeTSV(line)
        case .jsonl: try writeJSONL(line, document: document)
        case .conllu: try writeCoNLLU(line, document: document)
        }
    }

    /// Flushes the output and commits it (a file output appears only now); call once, after the last document.
    public func finish() throws {
        try flushOut()
        try sink.commit()
    }

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

    private var out: [UInt8] = []

    private func flushOut() throws {
        try out.withUnsafeBufferPointer { try sink.write($0) }
        out.removeAll(keepingCapacity: true)
    }

    @inline(__always) private func raw(_ s: String) { out.append(contentsOf: s.utf8) }
    @inline(__always) private func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }

    private func writeTSV(_ line: SegmentedLine) throws {
        for sentence in line.sentences() {
            var wrote = false
            for token in sentence.tokens where !token.isSpace {
                let romaji = romanizer?.romaji(token.normalized, script: token.script) ?? ""
                let parts = token.parts.filter { !$0.isSpace }.map(\.surface).joined(separator: "|")
                appendCell(token.surface); out.append(0x09)
                appendCell(token.normalized); out.append(0x09)
                raw(token.script.description); out.append(0x09)
                int(token.start); out.append(0x09)
                int(token.end); out.append(0x09)
                int(token.byteStart); out.append(0x09)
                int(token.byteEnd); out.append(0x09)
                appendCell(romaji); out.append(0x09)
                appendCell(parts); out.append(0x0A)
                wrote = true
            }
            if wrote { out.append(0x0A) }
        }
        if out.count >= 1 << 16 { try flushOut() }
    }

    /// TSV cells cannot hold tabs or line breaks: they are shown as \t, \n, \r.
    static func cell(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return s }
        return s.replacingAll([("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")])
    }

    private func appendCell(_ s: String) { out.append(contentsOf: Self.cell(s).utf8) }

    // MARK: jsonl

    private func writeJSONL(_ line: SegmentedLine, document: InputDocument) throws {
        for sentence in line.sentences() {
            if sentence.tokens.allSatisfy(\.isSpace) { continue }
            raw("{\"document\":"); JSON.appendQuoted(document.name, to: &out)
            raw(",\"sentence\":"); int(sentence.index)
            raw(",\"start\":"); int(sentence.start)
            raw(",\"end\":"); int(sentence.end)
            raw(",\"text\":"); JSON.appendQuoted(sentence.text, to: &out)
            raw(",\"tokens\":[")
            for (k, token) in sentence.tokens.enumerated() {
                if k > 0 { out.append(0x2C) }
                appendTokenJSON(token)
            }
            raw("]}\n")
        }
        if out.count >= 1 << 16 { try flushOut() }
    }

    private func appendTokenJSON(_ token: Token) {
        raw("{\"surface\":"); JSON.appendQuoted(token.surface, to: &out)
        raw(",\"normalized\":"); JSON.appendQuoted(token.normalized, to: &out)
        raw(",\"script\":\""); raw(token.script.description)
        raw("\",\"start\":"); int(token.start)
        raw(",\"end\":"); int(token.end)
        raw(",\"byte_start\":"); int(token.byteStart)
        raw(",\"byte_end\":"); int(token.byteEnd)
        if let romaji = romanizer?.romaji(token.normalized, script: token.script) {
            raw(",\"romaji\":"); JSON.appendQuoted(romaji, to: &out)
        }
        if !token.parts.isEmpty {
            raw(",\"parts\":[")
            for (k, part) in token.parts.enumerated() {
                if k > 0 { out.append(0x2C) }
                appendTokenJSON(part)
            }
            out.append(0x5D)
        }
        out.append(0x7D)
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
                let nextIsSpace =
                    index + 1 < sentence.tokens.count && sentence.tokens[index + 1].isSpace
                    && sentence.tokens[index + 1].surface.first.map { $0 == " " || $0 == "\u{3000}" || $0 == "\t" } == true
                if !nextIsSpace { misc.append("SpaceAfter=No") }
                misc.append("TokenRange=\(token.start):\(token.end)")
                if let romaji = romanizer?.romaji(token.normalized, script: token.script) {
                    misc.append("Translit=\(romaji)")
                }
                out += "\(id + 1)\t\(form)\t_\t_\t_\t_\t_\t_\t_\t\(misc.joined(separator: "|"))\n"
            }
            out += "\n"
            self.out.append(contentsOf: out.utf8)
        }
        if self.out.count >= 1 << 16 { try flushOut() }
    }

    /// A document id for CoNLL-U: the name without spaces; standard input is `stdin`.
    static func documentID(_ document: InputDocument) -> String {
        document == .standardInput ? "stdin" : oneLine(document.name).replacingAll([(" ", "_")])
    }

    static func oneLine(_ s: String) -> String {
        s.replacingAll([("\r\n", " "), ("\n", " "), ("\r", " ")])
    }
}

extension String {
    func replacingAll(_ pairs: [(String, String)]) -> String {
        // Fast path: nothing to replace (checked on UTF-8 bytes).
        let firsts = Set(pairs.compactMap { $0.0.utf8.first })
        if !utf8.contains(where: { firsts.contains($0) }) { return self }
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
