/// Writes look-up results: readable text, one JSON object per query and line,
/// or one TSV line per query with its best hit.
public final class LookupWriter {
    /// The output formats of `hashi lookup`.
    public enum Format: String, Sendable, CaseIterable {
        /// Every hit with its forms and relations, and "did you mean" for misses.
        case text
        /// One JSON object per query and line (JSON Lines): the hits and suggestions
        /// the look-up gave (a batch's `.best` look-up gives one hit and no suggestions;
        /// the schema is the same).
        case json
        /// `query<TAB>en<TAB>ja<TAB>type<TAB>source<TAB>match`: the best hit, empty fields for a miss.
        case tsv
    }

    /// The fields of a ``Format/tsv`` line, in order (the writer prints no header row).
    public static let tsvColumns = ["query", "en", "ja", "type", "source", "match"]

    /// The format every result is written in.
    public let format: Format
    private let sink: OutputSink
    private var out: [UInt8] = []
    private var count = 0

    /// A writer of `format` to `sink`; nothing is written before the first result.
    public init(format: Format, sink: OutputSink) {
        self.format = format
        self.sink = sink
        out.reserveCapacity(1 << 12)
    }

    /// Writes one query's result in ``format``; text results after the first are separated by an empty line.
    /// - Throws: ``OutputSink/WriteError`` when the sink cannot write.
    public func write(_ result: LookupResult) throws {
        out.removeAll(keepingCapacity: true)
        switch format {
        case .text: text(result)
        case .json: json(result)
        case .tsv: tsv(result)
        }
        count += 1
        try out.withUnsafeBufferPointer { try sink.write($0) }
    }

    /// Sends buffered output on (between batches of standard input, so that a
    /// co-process sees its answers).
    public func flush() throws { try sink.flush() }

    /// Writes out what is buffered and commits the sink (a file output is renamed into place); call once, after the last result.
    /// - Throws: ``OutputSink/WriteError`` when the output cannot be written, synced or renamed.
    public func finish() throws { try sink.commit() }

    // MARK: Text

    private func text(_ r: LookupResult) {
        if count > 0 { out.append(0x0A) }
        if r.hits.isEmpty {
            put("\(Self.visible(r.query)): not found\n")
        }
        for hit in r.hits {
            let answer = r.target == .en ? hit.en : (hit.ja.first ?? hit.en)
            var how: String
            switch hit.match {
            case .exact: how = "exact"
            case .variant: how = hit.matched.map { "variant of \($0)" } ?? "variant"
            case .romaji: how = hit.matched.map { "romaji of \($0)" } ?? "romaji"
            case .fuzzy: how = "fuzzy" + (hit.matched.map { ", near \($0)" } ?? "") + (hit.distance.map { ", distance \($0)" } ?? "")
            case .guess: how = "guess" + (hit.score.map { ", score \(Self.decimal($0))" } ?? "") + "; in no dictionary"
            case .coreference, .unknown: how = hit.match.rawValue  // mentions only
            }
            let type = hit.type.map { " [\($0.rawValue)]" } ?? ""
            put("\(Self.visible(r.query)) → \(Self.visible(answer))\(type) (\(hit.source.rawValue); \(Self.visible(how)))\n")
            if r.target == .ja || hit.match == .guess { field("en", hit.en) }
            if hit.match != .guess { field("ja", hit.ja.joined(separator: ", ")) }
            if !hit.aliases.isEmpty {
                field(hit.source.isEdict ? "glosses" : "aliases", hit.aliases.joined(separator: ", "))
            }
            if let wikidata = hit.wikidata { field("wikidata", wikidata) }
            if !hit.relations.isEmpty {
                field("relations", hit.relations.map { "\($0.kind.rawValue) \($0.en ?? $0.id) (\($0.id))" }.joined(separator: "; "))
            }
        }
        if !r.suggestions.isEmpty {
            field(
                "did you mean",
                r.suggestions.map { s in
                    let other = r.target == .en ? s.en : s.ja
                    return s.form == other ? s.form : "\(s.form) (\(other))"
                }.joined(separator: ", "))
        }
    }

    private func field(_ name: String, _ value: String) {
        put("    " + name.padding(toLength: 13, withPad: " ", startingAt: 0) + Self.visible(value) + "\n")
    }

    /// `s` with control characters (C0, DEL, C1: a dictionary's ESC would drive
    /// the terminal) written as `\u{1B}`, so that they show and do nothing.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            if isControl(c) {
                out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || (0x7F...0x9F).contains(c.value) }

    private func put(_ s: String) { out.append(contentsOf: s.utf8) }

    static func decimal(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return "\(scaled)"
    }

    // MARK: JSON

    private func json(_ r: LookupResult) {
        put("{\"query\":"); JSON.appendQuoted(r.query, to: &out)
        put(",\"to\":\"\(r.target.rawValue)\",\"found\":\(r.isFound),\"hits\":[")
        for (k, hit) in r.hits.enumerated() {
            if k > 0 { out.append(0x2C) }
            put("{\"en\":"); JSON.appendQuoted(hit.en, to: &out)
            put(",\"ja\":"); array(hit.ja)
            put(",\"type\":"); optional(hit.type?.rawValue)
            put(",\"id\":"); optional(hit.id)
            put(",\"wikidata\":"); optional(hit.wikidata)
            put(hit.source.isEdict ? ",\"glosses\":" : ",\"aliases\":"); array(hit.aliases)
            put(",\"relations\":[")
            for (i, relation) in hit.relations.enumerated() {
                if i > 0 { out.append(0x2C) }
                put("{\"kind\":\"\(relation.kind.rawValue)\",\"id\":"); JSON.appendQuoted(relation.id, to: &out)
                put(",\"en\":"); optional(relation.en)
                out.append(0x7D)
            }
            put("],\"source\":\"\(hit.source.rawValue)\",\"match\":\"\(hit.match.rawValue)\",\"matched\":"); optional(hit.matched)
            if let distance = hit.distance { put(",\"distance\":\(distance)") }
            if let score = hit.score { put(",\"score\":\(Self.decimal(score))") }
            out.append(0x7D)
        }
        put("],\"suggestions\":[")
        for (k, s) in r.suggestions.enumerated() {
            if k > 0 { out.append(0x2C) }
            put("{\"en\":"); JSON.appendQuoted(s.en, to: &out)
            put(",\"ja\":"); JSON.appendQuoted(s.ja, to: &out)
            put(",\"id\":"); JSON.appendQuoted(s.id, to: &out)
            put(",\"form\":"); JSON.appendQuoted(s.form, to: &out)
            put(",\"distance\":\(s.distance)}")
        }
        put("]}\n")
    }

    private func optional(_ s: String?) {
        if let s { JSON.appendQuoted(s, to: &out) } else { put("null") }
    }

    private func array(_ items: [String]) {
        out.append(0x5B)
        for (k, item) in items.enumerated() {
            if k > 0 { out.append(0x2C) }
            JSON.appendQuoted(item, to: &out)
        }
        out.append(0x5D)
    }

    // MARK: Batch lines

    private func tsv(_ r: LookupResult) {
        cell(r.query)
        if let hit = r.hits.first {
            out.append(0x09); cell(hit.en)
            out.append(0x09); cell(hit.ja.first ?? "")
            out.append(0x09); put(hit.type?.rawValue ?? "")
            out.append(0x09); put(hit.source.rawValue)
            out.append(0x09); put(hit.match.rawValue)
        } else {
            out.append(contentsOf: [0x09, 0x09, 0x09, 0x09, 0x09])
        }
        out.append(0x0A)
    }

    /// A TSV cell: tabs, line breaks and other control characters become spaces,
    /// and a cell a spreadsheet would run as a formula (=, +, -, @) gets a leading
    /// apostrophe, as in the glossary's CSV and TSV.
    private func cell(_ s: String) {
        var clean = String.UnicodeScalarView()
        for c in s.unicodeScalars { clean.append(Self.isControl(c) ? " " : c) }
        out.append(contentsOf: GlossaryWriter.neutralized(String(clean)).utf8)
    }
}
