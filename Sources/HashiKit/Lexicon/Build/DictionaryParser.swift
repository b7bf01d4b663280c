/// Reads dictionary TSV files (the build/validation side; see ``EntityLexicon``
/// for look-ups). Format: `dictionaries/README.md`.
public enum DictionaryParser {
    /// The header row every dictionary TSV file starts with: the column names, in order.
    public static let header = ["id", "en", "type", "ja", "aliases", "wikidata", "relations", "context"]
    /// Longest row and longest field accepted (bytes, without the line end): far
    /// beyond any real entity, small enough that one row cannot exhaust memory.
    public static let maxRowBytes = 64 * 1024
    /// Longest field accepted, in UTF-8 bytes: a row with a longer field is reported and skipped.
    public static let maxFieldBytes = 16 * 1024

    /// Parses one file's text. Malformed rows are reported and skipped.
    public static func parse(_ text: String, file: String, source: EntitySource) -> (entities: [Entity], issues: [DictionaryIssue]) {
        var entities: [Entity] = []
        var issues: [DictionaryIssue] = []
        var sawHeader = false
        var lineNumber = 0
        for row in TSV.rows(text) {
            lineNumber = row.line
            let line = row.text
            func issue(_ message: String) { issues.append(DictionaryIssue(file: file, line: lineNumber, message: message)) }
            // Bounded work and memory per row, whatever the file holds.
            if line.utf8.count > maxRowBytes {
                issue("row of \(line.utf8.count) bytes is longer than the limit of \(maxRowBytes)")
                sawHeader = true
                continue
            }
            let fields = row.fields.map { String($0) }
            if let long = fields.firstIndex(where: { $0.utf8.count > maxFieldBytes }) {
                issue("field \(long + 1) of \(fields[long].utf8.count) bytes is longer than the limit of \(maxFieldBytes)")
                sawHeader = true
                continue
            }
            if !sawHeader {
                sawHeader = true
                if fields == header { continue }
                issue("the first row must be the header: \(header.joined(separator: "<TAB>"))")
                if fields.first == "id" { continue }
            }
            if let entity = parseRow(fields, file: file, line: lineNumber, source: source, issue: issue) {
                entities.append(entity)
            }
        }
        if !sawHeader && lineNumber > 0 && !entities.isEmpty {
            issues.append(DictionaryIssue(file: file, line: 1, message: "missing header row"))
        }
        return (entities, issues)
    }

    /// One data row's fields (header and comments already skipped) as an entity,
    /// or nil when the row is unusable; problems go to `issue`. Also used by
    /// look-ups that index rows without parsing them (``TermLookup``).
    static func parseRow(
        _ fields: [String], file: String, line: Int, source: EntitySource,
        issue: (String) -> Void
    ) -> Entity? {
        guard fields.count == header.count else {
            issue("expected \(header.count) tab-separated columns, found \(fields.count)")
            return nil
        }
        let id = fields[0], en = fields[1].trimmingSpaces
        guard isValidID(id) else {
            issue("bad id '\(id)': use lowercase ASCII letters, digits and single hyphens")
            return nil
        }
        guard let type = EntityType(rawValue: fields[2]) else {
            issue("unknown type '\(fields[2])' for \(id) (one of \(EntityType.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        if en.isEmpty { issue("\(id): empty en"); return nil }
        let ja = splitList(fields[3])
        if ja.isEmpty { issue("\(id): no Japanese form"); return nil }
        let wikidata = fields[5].trimmingSpaces
        if !wikidata.isEmpty && !isValidQID(wikidata) {
            issue("\(id): bad Wikidata id '\(wikidata)' (expected Q followed by digits)")
        }
        var relations: [Relation] = []
        for item in fields[6].split(separator: ";").map({ String($0).trimmingSpaces }) where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = Relation.Kind(rawValue: parts[0]), isValidID(parts[1]) else {
                issue(
                    "\(id): bad relation '\(item)' (expected kind:id, kind one of \(Relation.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
                continue
            }
            relations.append(Relation(kind: kind, target: parts[1]))
        }
        return Entity(
            id: id, en: en, type: type, ja: ja, aliases: splitList(fields[4]),
            wikidata: wikidata.isEmpty || !isValidQID(wikidata) ? nil : wikidata,
            relations: relations, context: splitList(fields[7]), source: source, location: "\(file):\(line)")
    }

    static func splitList(_ field: String) -> [String] {
        field.split(separator: "|").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.first != "-", id.last != "-", !id.contains("--") else { return false }
        return id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    static func isValidQID(_ q: String) -> Bool {
        q.count > 1 && q.first == "Q" && q.dropFirst().allSatisfy(\.isASCIIDigit)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\u{3000}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\u{3000}" { s = s.dropLast() }
        return String(s)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
