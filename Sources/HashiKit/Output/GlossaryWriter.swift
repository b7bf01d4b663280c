import Foundation

/// Output formats of `hashi glossary`.
public enum GlossaryFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV (UTF-8, CRLF) with the header `ja,en,type,count,...`.
    case csv
    /// Tab-separated, same columns; tabs and line breaks inside fields become spaces.
    case tsv
    /// TBX-Basic (TBX v3, ISO 30042:2019, DCA style).
    case tbx
    /// The whole glossary as JSON; `hashi glossary merge` reads it back exactly.
    case json
    /// Two columns `ja<TAB>en`, no header: the glossary import of DeepL and Google.
    case pairs
    /// An Excel workbook of one sheet (the CSV's columns, header frozen): Excel,
    /// memoQ and Trados MultiTerm open it directly.
    case xlsx

    /// Whether the format is binary (written as bytes, not text).
    public var isBinary: Bool { self == .xlsx }

    /// The format an output file name implies (`glossary.tbx` → tbx), if any.
    public static func implied(byPath path: String) -> GlossaryFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "tbx": return .tbx
        case "json": return .json
        case "xlsx": return .xlsx
        default: return nil
        }
    }
}

/// XLSX is bytes: ``GlossaryWriter/renderBytes(_:options:)``.
public enum GlossaryWriterError: Error, CustomStringConvertible, Sendable {
    case binaryFormat
    /// The error as one line, saying to render XLSX as bytes.
    public var description: String { "xlsx is a binary format: render it as bytes" }
}

/// Renders a glossary in one of the ``GlossaryFormat``s.
public struct GlossaryWriter {
    /// The columns of the CSV, TSV and XLSX formats, in order (the header row).
    public static let columns = [
        "ja", "en", "type", "count", "documents", "reading", "romaji", "variants", "source",
        "confidence", "id", "wikidata", "context",
    ]

    /// The format ``render(_:options:)`` and ``renderBytes(_:options:)`` write.
    public var format: GlossaryFormat
    /// A UTF-8 byte order mark before CSV/TSV (Excel on Windows needs it to read UTF-8).
    public var byteOrderMark = false
    /// English for unknown terms: the best transliteration guess (nil: none).
    public var guess: ((String) -> String?)?
    /// The katakana reading of a term written with kanji (nil: none known);
    /// kana terms are their own reading. ``defaultReading(edict:)`` asks the
    /// common-word list, then the EDICT index.
    public var reading: ((String) -> String?)?

    /// Readings from EDICT's common words, then from an EDICT index.
    public static func defaultReading(edict: EdictIndex?) -> (String) -> String? {
        { ja in CommonWords.builtin.word(ja)?.reading ?? edict?.reading(of: ja) }
    }

    /// A writer of `format`, with no byte order mark, no guesses for unknown terms and no readings.
    public init(format: GlossaryFormat) { self.format = format }

    /// The whole output as bytes (every format; XLSX is binary).
    public func renderBytes(_ glossary: Glossary, options: GlossaryOptions) throws -> [UInt8] {
        guard format == .xlsx else { return Array(try render(glossary, options: options).utf8) }
        let romanizer = try Romanizer()
        let fields = glossary.rows(options).map { cells($0, romanizer: romanizer).values }
        // count, documents and confidence are numbers; widths suit each column.
        return try XLSXWriter.workbook(
            rows: [Self.columns] + fields, numeric: [3, 4, 9],
            widths: [24, 28, 10, 8, 10, 20, 20, 32, 10, 11, 24, 12, 60], sheetName: "Glossary")
    }

    /// The whole output as text (every format but XLSX, which ``renderBytes(_:options:)`` gives).
    public func render(_ glossary: Glossary, options: GlossaryOptions) throws -> String {
        let rows = glossary.rows(options)
        let romanizer = try Romanizer()
        let fields = rows.map { cells($0, romanizer: romanizer) }
        switch format {
        case .csv: return (byteOrderMark ? "\u{FEFF}" : "") + Self.csv([Self.columns] + fields.map(\.values))
        case .tsv: return (byteOrderMark ? "\u{FEFF}" : "") + Self.tsv([Self.columns] + fields.map(\.values))
        case .pairs:
            return Self.tsv(
                fields.compactMap { row in
                    row.en.isEmpty ? nil : [row.ja, row.en]
                }, neutralize: false)
        case .tbx: return Self.tbx(zip(rows, fields).map { ($0, $1) })
        case .json: return Self.json(glossary, rows: zip(rows, fields).map { ($0, $1) }, options: options)
        case .xlsx: throw GlossaryWriterError.binaryFormat
        }
    }

    /// One row's cells, named.
    struct Cells {
        var ja, en, type, count, documents, reading, romaji, variants, source, confidence, id, wikidata, context: String
        var values: [String] {
            [ja, en, type, count, documents, reading, romaji, variants, source, confidence, id, wikidata, context]
        }
    }

    func cells(_ entry: Glossary.Entry, romanizer: Romanizer) -> Cells {
        let ja = entry.ja
        var en = entry.en ?? ""
        if entry.isGuess, en.isEmpty, let guess { en = guess(ja) ?? "" }
        var reading = Self.reading(of: ja)
        var fromKanji = false
        if reading.isEmpty, let lookUp = self.reading {
            reading = lookUp(ja) ?? ""
            fromKanji = true
        }
        var romaji = reading.isEmpty ? "" : romanizer.romaji(reading).replacingAll([("・", " ")])
        // A kanji reading spells long vowels with う (チュウゴク): Hepburn writes
        // them with macrons (chūgoku), as it does ー in loanwords.
        if fromKanji { romaji = romaji.replacingAll([("ou", "ō"), ("uu", "ū")]) }
        return Cells(
            ja: ja, en: en, type: entry.type?.rawValue ?? "", count: String(entry.count), documents: String(entry.documents),
            reading: reading, romaji: romaji,
            variants: entry.variantsByCount.map(\.surface).joined(separator: "|"), source: entry.source.rawValue,
            confidence: Self.decimal(entry.confidence), id: entry.id ?? "", wikidata: entry.wikidata ?? "",
            context: entry.context)
    }

    /// The katakana reading of an all-kana term (hiragana folded to katakana), else "".
    static func reading(of ja: String) -> String {
        var out = String.UnicodeScalarView()
        for c in ja.unicodeScalars {
            switch c.value {
            case 0x3041...0x3096: out.append(Unicode.Scalar(c.value + 0x60)!)
            case 0x30A1...0x30FA, 0x30FC, 0x30FD, 0x30FE: out.append(c)
            case 0x30FB: out.append(c)
            default: return ""
            }
        }
        return String(out)
    }

    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        if fraction == 0 { return "\(whole)" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    // MARK: CSV and TSV

    /// A cell a spreadsheet would run as a formula (=, +, -, @, and tab/CR
    /// prefixes) gets a leading apostrophe (the OWASP recommendation).
    static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠": return "'" + cell
        default: return cell
        }
    }

    static func csv(_ rows: [[String]]) -> String {
        var out = ""
        for row in rows {
            out += row.map { cell -> String in
                let cell = neutralized(cell)
                if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return cell
            }.joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    static func tsv(_ rows: [[String]], neutralize: Bool = true) -> String {
        var out = ""
        for row in rows {
            out += row.map { cell -> String in
                var clean = String.UnicodeScalarView()
                for c in cell.unicodeScalars {
                    clean.append(c == "\t" || c == "\n" || c == "\r" ? " " : c)
                }
                return neutralize ? neutralized(String(clean)) : String(clean)
            }.joined(separator: "\t")
            out += "\n"
        }
        return out
    }

    // MARK: TBX

    static func xml(_ text: String) -> String { XML.escaped(text) }

    static func tbx(_ rows: [(Glossary.Entry, Cells)]) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
            <tbx style="dca" type="TBX-Basic" xml:lang="ja" xmlns="urn:iso:std:iso:30042:ed-2">
              <tbxHeader>
                <fileDesc>
                  <sourceDesc>
                    <p>Japanese-English glossary made by Hashi (hashi glossary).</p>
                  </sourceDesc>
                </fileDesc>
              </tbxHeader>
              <text>
                <body>

            """
        for (k, (entry, cells)) in rows.enumerated() {
            let pos = entry.type == nil || entry.type == .term ? "noun" : "properNoun"
            out += "      <conceptEntry id=\"c\(k + 1)\">\n"
            var note =
                "type: \(cells.type.isEmpty ? "unknown" : cells.type); source: \(cells.source); confidence: \(cells.confidence); mentions: \(cells.count); documents: \(cells.documents)"
            if !cells.id.isEmpty { note += "; hashi id: \(cells.id)" }
            out += "        <note>\(xml(note))</note>\n"
            if !cells.wikidata.isEmpty {
                out +=
                    "        <xref type=\"externalCrossReference\" target=\"https://www.wikidata.org/wiki/\(xml(cells.wikidata))\">\(xml(cells.wikidata))</xref>\n"
            }
            out += "        <langSec xml:lang=\"ja\">\n"
            // ja is the preferred term (never a short form); the other spellings
            // as seen are admitted terms, short forms marked as such.
            out += "          <termSec>\n"
            out += "            <term>\(xml(cells.ja))</term>\n"
            out += "            <termNote type=\"partOfSpeech\">\(pos)</termNote>\n"
            out += "            <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>\n"
            if !cells.context.isEmpty {
                out += "            <descrip type=\"context\">\(xml(cells.context))</descrip>\n"
            }
            out += "          </termSec>\n"
            for variant in entry.variantsByCount where variant.surface != cells.ja {
                out += "          <termSec>\n"
                out += "            <term>\(xml(variant.surface))</term>\n"
                out += "            <termNote type=\"partOfSpeech\">\(pos)</termNote>\n"
                if variant.short { out += "            <termNote type=\"termType\">shortForm</termNote>\n" }
                out += "            <termNote type=\"administrativeStatus\">admittedTerm-admn-sts</termNote>\n"
                out += "          </termSec>\n"
            }
            out += "        </langSec>\n"
            if !cells.en.isEmpty {
                out += "        <langSec xml:lang=\"en\">\n"
                out += "          <termSec>\n"
                out += "            <term>\(xml(cells.en))</term>\n"
                out += "            <termNote type=\"partOfSpeech\">\(pos)</termNote>\n"
                if entry.isGuess { out += "            <note>transliteration guess, unverified</note>\n" }
                out += "          </termSec>\n"
                out += "        </langSec>\n"
            }
            out += "      </conceptEntry>\n"
        }
        out += "    </body>\n  </text>\n</tbx>\n"
        return out
    }

    // MARK: JSON

    static func json(_ glossary: Glossary, rows: [(Glossary.Entry, Cells)], options: GlossaryOptions) -> String {
        var out: [UInt8] = []
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func quoted(_ s: String) { JSON.appendQuoted(s, to: &out) }
        func field(_ name: String, _ value: String, last: Bool = false) {
            raw("\"\(name)\": "); quoted(value); raw(last ? "" : ", ")
        }
        raw("{\n  \"format\": \"hashi-glossary\",\n  \"version\": 1,\n")
        raw("  \"documents\": \(glossary.documentCount),\n")
        raw("  \"complete\": \(glossary.isComplete && !options.filters),\n")
        raw("  \"entries\": [")
        for (k, (entry, cells)) in rows.enumerated() {
            raw(k == 0 ? "\n    {" : ",\n    {")
            field("ja", cells.ja)
            field("en", cells.en)
            field("type", cells.type)
            raw("\"count\": \(entry.count), \"documents\": \(entry.documents), ")
            field("reading", cells.reading)
            field("romaji", cells.romaji)
            raw("\"variants\": [")
            for (v, variant) in entry.variants.enumerated() {
                raw(v == 0 ? "{\"surface\": " : ", {\"surface\": ")
                quoted(variant.surface)
                raw(", \"count\": \(variant.count)\(variant.short ? ", \"short\": true" : "")}")
            }
            raw("], ")
            field("source", cells.source)
            raw("\"confidence\": \(cells.confidence), \"confidence_total\": \(entry.confidenceTotal), ")
            raw("\"id\": "); if let id = entry.id { quoted(id) } else { raw("null") }; raw(", ")
            if let preferred = entry.preferred { field("preferred", preferred) }
            field("wikidata", cells.wikidata)
            field("context", cells.context)
            field("key", entry.key, last: true)
            raw("}")
        }
        raw(rows.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: Reading JSON back

extension Glossary {
    /// A glossary JSON file that cannot be read back.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        /// The glossary JSON file as its path was given.
        public let path: String
        /// What is wrong: not glossary JSON, an unsupported version, or an entry (numbered from 1) whose values are invalid.
        public let reason: String
        /// The error as one line, `path: reason`.
        public var description: String { "\(path): \(reason)" }
        /// An error reading the file at `path` for `reason`.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    private struct FileModel: Decodable {
        var format: String
        var version: Int
        var documents: Int
        var complete: Bool
        var entries: [EntryModel]
    }

    private struct EntryModel: Decodable {
        var en: String
        var type: String
        var count: Int
        var documents: Int
        var variants: [Variant]
        var source: String
        var confidence_total: Int
        var id: String?
        var preferred: String?
        var wikidata: String
        var context: String
        var key: String
    }

    /// Reads a glossary written with `--format json`.
    public static func read(json data: Data, path: String) throws -> Glossary {
        let model: FileModel
        do {
            model = try JSONDecoder().decode(FileModel.self, from: data)
        } catch let error as DecodingError {
            throw ReadError(path: path, reason: "not a Hashi glossary JSON (\(Self.describe(error)))")
        }
        guard model.format == "hashi-glossary" else {
            throw ReadError(path: path, reason: "not a Hashi glossary JSON (format is \"\(model.format)\")")
        }
        guard model.version == 1 else {
            throw ReadError(path: path, reason: "glossary JSON version \(model.version) is not supported (this Hashi reads version 1)")
        }
        var entries: [Entry] = []
        for (k, e) in model.entries.enumerated() {
            var type: EntityType? = nil
            if !e.type.isEmpty {
                guard let t = EntityType(rawValue: e.type) else {
                    throw ReadError(path: path, reason: "entry \(k + 1): unknown type \"\(e.type)\"")
                }
                type = t
            }
            guard !e.variants.isEmpty, e.count >= 1 else {
                throw ReadError(path: path, reason: "entry \(k + 1): no variants or a zero count")
            }
            // What `hashi glossary` writes: each document adds at least one mention, each
            // mention one variant count and at most 100 hundredths of confidence.
            guard e.documents >= 1, e.documents <= e.count else {
                throw ReadError(path: path, reason: "entry \(k + 1): documents \(e.documents) is not between 1 and count \(e.count)")
            }
            var variantTotal = 0
            for variant in e.variants {
                guard variant.count >= 1 else {
                    throw ReadError(path: path, reason: "entry \(k + 1): variant count \(variant.count) is not positive")
                }
                let (sum, overflow) = variantTotal.addingReportingOverflow(variant.count)
                guard !overflow else { throw ReadError(path: path, reason: "entry \(k + 1): variant counts overflow") }
                variantTotal = sum
            }
            guard variantTotal == e.count else {
                throw ReadError(path: path, reason: "entry \(k + 1): variant counts add up to \(variantTotal), not count \(e.count)")
            }
            let (limit, overflow) = e.count.multipliedReportingOverflow(by: 100)
            guard e.confidence_total >= 0, overflow || e.confidence_total <= limit else {
                throw ReadError(
                    path: path, reason: "entry \(k + 1): confidence_total \(e.confidence_total) is not between 0 and 100 × count")
            }
            guard let source = LinkSource(rawValue: e.source) else {
                throw ReadError(path: path, reason: "entry \(k + 1): unknown source \"\(e.source)\"")
            }
            var entry = Entry(key: e.key, id: e.id, en: e.en.isEmpty || e.id == nil ? nil : e.en, type: type, source: source)
            entry.wikidata = e.wikidata.isEmpty ? nil : e.wikidata
            entry.count = e.count
            entry.documents = e.documents
            entry.variants = e.variants
            entry.preferred = e.preferred
            entry.context = e.context
            entry.confidenceTotal = e.confidence_total
            entries.append(entry)
        }
        guard model.documents >= 0 else {
            throw ReadError(path: path, reason: "documents \(model.documents) is negative")
        }
        do {
            return try Glossary(entries: entries, documentCount: model.documents, isComplete: model.complete)
        } catch {
            throw ReadError(path: path, reason: error.description)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as NSError?,
                let index = underlying.userInfo["NSJSONSerializationErrorIndex"] as? Int
            {
                return "invalid JSON at byte \(index)"
            }
            return "invalid JSON"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\"\(where_(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "unexpected value\(where_(context))"
        @unknown default:
            return "unreadable"
        }
    }

    private static func where_(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : " at \(path)"
    }
}

extension GlossaryWriterError: HashiError {}

extension Glossary.ReadError: HashiError {}
