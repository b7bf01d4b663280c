import ArgumentParser
import Foundation
import HashiKit
#if canImport(Glibc)
import Glibc
#endif

extension GlossaryFormat: ExpressibleByArgument {}
extension GlossaryOptions.Order: ExpressibleByArgument {}

struct GlossaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glossary",
        abstract: "Build the Japanese-English glossary of a corpus.",
        discussion: """
            One row per entity or term found in the inputs (see 'hashi annotate'),
            with how often and in how many documents it occurs, every Japanese
            spelling seen, and the first sentence it occurs in. Katakana terms no
            dictionary knows are listed with a transliteration guess
            (source=guess, low confidence) unless --linked-only.

            'hashi glossary INPUT...' builds; 'hashi glossary merge A.json B.json'
            combines glossaries built separately (with --format json) exactly as
            if their corpora had been one.
            """,
        subcommands: [Build.self, Merge.self],
        defaultSubcommand: Build.self)
}

/// Output options shared by building and merging.
struct GlossaryOutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "csv, tsv, tbx, json, pairs or xlsx. Default: implied by the -o file's extension (.csv .tsv .tbx .json .xlsx), else csv.",
        valueName: "format"))
    var format: GlossaryFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file (atomically: an existing file is replaced only when the new one is complete). Default: standard output.",
        valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Start CSV/TSV with a UTF-8 byte order mark (for Excel on Windows).")
    var bom = false

    @Option(name: .long, help: ArgumentHelp("Leave out entries with fewer mentions.", valueName: "n"))
    var minCount = 1

    @Option(name: .long, help: ArgumentHelp(
        "Keep only these types, comma-separated: ORG, PRODUCT, PERSON, PLACE, TERM, and guess for unknown terms.",
        valueName: "types"))
    var types: String?

    @Option(name: .long, help: ArgumentHelp(
        "Order of the rows: count (most mentions first), ja (Japanese collation) or en.", valueName: "order"))
    var sort: GlossaryOptions.Order = .count

    @Flag(name: .long, help: "Leave out katakana terms no dictionary knows (source=guess).")
    var linkedOnly = false

    func validate() throws {
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        _ = try parsedTypes()
        // An extension that names no format is a mistake, not a CSV (glossary.xls, glossary.txt).
        if format == nil, let output, output != "-", GlossaryFormat.implied(byPath: output) == nil {
            let ext = (output as NSString).pathExtension
            if !ext.isEmpty {
                throw ValidationError("-o \(output): .\(ext) names no glossary format; use .csv, .tsv, .tbx, .json or .xlsx, or give --format")
            }
        }
    }

    func parsedTypes() throws -> (types: Set<EntityType>?, guesses: Bool) {
        guard let types else { return (nil, true) }
        var set = Set<EntityType>()
        var guesses = false
        for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if name.lowercased() == "guess" { guesses = true; continue }
            guard let type = EntityType(rawValue: name.uppercased()) else {
                throw ValidationError("--types: unknown type '\(name)' (use ORG, PRODUCT, PERSON, PLACE, TERM, guess)")
            }
            set.insert(type)
        }
        return (set, guesses)
    }

    var effectiveFormat: GlossaryFormat {
        format ?? output.flatMap { GlossaryFormat.implied(byPath: $0) } ?? .csv
    }

    var options: GlossaryOptions {
        var options = GlossaryOptions()
        options.minCount = minCount
        let parsed = (try? parsedTypes()) ?? (types: nil, guesses: true)
        options.types = parsed.types
        options.includeGuesses = !linkedOnly && parsed.guesses
        options.order = sort
        return options
    }

    func write(_ glossary: Glossary) throws {
        var writer = GlossaryWriter(format: effectiveFormat)
        writer.byteOrderMark = bom
        // Unknown katakana terms get the back-transliteration model's best guess.
        let transliterator = BackTransliterator()
        writer.guess = { ja in (try? transliterator.candidates(for: ja, top: 1))?.first?.english }
        let bytes = try writer.renderBytes(glossary, options: options)
        let sink = try output.map { try OutputSink(path: $0) } ?? OutputSink()
        try bytes.withUnsafeBufferPointer { try sink.write($0) }
        try sink.commit()
    }
}

extension GlossaryCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the glossary of files, directories or standard input (the default subcommand).",
            discussion: """
                Columns (CSV, TSV; the same names as JSON keys):
                  ja          the most frequent Japanese spelling
                  en          canonical English (a transliteration guess for
                              unknown katakana terms)
                  type        ORG, PRODUCT, PERSON, PLACE, TERM (empty: unknown)
                  count       mentions; documents: documents mentioning it
                  reading     katakana reading of kana terms; romaji: its Hepburn
                  variants    every spelling seen, most frequent first, |-separated
                  source      curated, user, edict, enamdict or guess
                  confidence  mean link confidence of the mentions (0-1)
                  id          Hashi entity id; wikidata: Wikidata QID
                  context     the first sentence it occurs in, shortened

                Formats (--format):
                  csv    RFC 4180 (UTF-8, CRLF); add --bom for Excel on Windows
                  tsv    tab-separated; tabs and line breaks in cells become spaces
                  tbx    TBX-Basic (TBX v3, ISO 30042) for CAT tools (memoQ,
                         Trados, OmegaT via converters): one conceptEntry per row,
                         all spellings as ja terms, the first one preferred
                  json   everything, including per-spelling counts; the input
                         of 'hashi glossary merge'
                  pairs  ja<TAB>en, no header: the glossary import of DeepL or
                         Google Translate
                  xlsx   an Excel workbook (also implied by -o x.xlsx): the CSV's
                         columns, header frozen; Excel, memoQ and MultiTerm
                         open it directly
                Cells a spreadsheet would run as formulas (=, +, -, @) get a
                leading apostrophe in CSV and TSV (XLSX cells are text).

                Inputs are as for 'hashi tokenize'; directories are searched for
                *.txt, *.md and *.jsonl. A .jsonl (or .ndjson) file is a corpus
                kept one document a line: {"id": ..., "text": ...}.

                Documents are annotated on all cores; the output is the same
                for any number of threads, and byte-identical between runs.
                Progress (documents, MB/s, ETA) goes to standard error when it
                is a terminal; --quiet silences it.

                Examples:
                  hashi glossary corpora/ -o glossary.csv
                  hashi glossary news.jsonl --format tbx -o news.tbx
                  hashi glossary part1/ -o part1.json; hashi glossary part2/ -o part2.json
                  hashi glossary merge part1.json part2.json -o all.csv
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var dictionary: DictionaryOptions
        @OptionGroup var out: GlossaryOutputOptions

        @OptionGroup var threadOptions: ThreadOptions

        @Flag(name: .shortAndLong, help: "No progress on standard error.")
        var quiet = false

        func run() throws {
            try runReportingErrors {
                let lexicon = try dictionary.lexicon()
                let reader = documentReader(encoding: try TextEncoding.named(input.encoding))
                let builder = try GlossaryBuilder(
                    lexicon: lexicon, edict: try dictionary.edict(),
                    threads: threadOptions.count,
                    includeUnlinked: out.options.includeGuesses, reader: reader)
                builder.windowBytes = AnnotationPipeline.boundedWindowBytes
                var ok = true
                builder.onError = { error in
                    guard input.keepGoing, let error = error as? InputError else { throw error }
                    reportError(error.description)
                    ok = false
                }
                // Every input first, so that progress knows the total size.
                var globs = input.glob
                if globs.isEmpty { globs = InputResolver.defaultGlobs + ["*.jsonl"] }
                var documents: [InputDocument] = []
                for resolved in InputResolver(globs: globs).resolve(try input.effectiveInputs()) {
                    switch resolved {
                    case .success(let found): documents += found
                    case .failure(let error):
                        if !input.keepGoing { throw error }
                        reportError(error.description)
                        ok = false
                    }
                }
                let sizes = documents.map { $0.path.flatMap(regularFileSize) }
                let progress = Progress(
                    enabled: !quiet && isatty(2) != 0,
                    totalBytes: sizes.contains(where: { $0 == nil }) ? nil : sizes.reduce(0) { $0 + $1! })
                builder.onDocument = { _, bytes in progress.advance(bytes: bytes) }
                for (document, size) in zip(documents, sizes) {
                    if let path = document.path, JSONLinesCorpus.isJSONLines(path) {
                        do {
                            try JSONLinesCorpus.forEachRecord(path: path) { id, text in
                                try builder.add(.text(name: id, text: text))
                            }
                        } catch let error as InputError where input.keepGoing {
                            reportError(error.description)
                            ok = false
                        }
                    } else {
                        try builder.add(.file(document, size: size))
                    }
                }
                let glossary = try builder.finish()
                progress.finish()
                // With --keep-going, the glossary of the good inputs is written; exit status 1.
                try out.write(glossary)
                return ok
            }
        }

    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine glossaries written with --format json.",
            discussion: """
                The result is exactly the glossary of the concatenated corpora, in
                the order given: counts and document counts add up, spellings
                keep their first-seen order, and the first context is taken from
                the earliest file. Merge complete glossaries (built without
                --min-count, --types or --linked-only); merging filtered ones
                works but warns, since what was left out cannot come back.

                Example:
                  hashi glossary merge part1.json part2.json -o all.tbx
                """)

        @Argument(help: ArgumentHelp("Glossaries in Hashi's JSON format.", valueName: "glossary.json"))
        var inputs: [String]

        @OptionGroup var out: GlossaryOutputOptions

        func validate() throws {
            if inputs.isEmpty { throw ValidationError("give at least one glossary JSON file") }
        }

        func run() throws {
            try runReportingErrors {
                var merged = Glossary()
                for path in inputs {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw InputError.unreadable(
                            path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
                    }
                    let part = try Glossary.read(json: data, path: path)
                    if !part.isComplete {
                        reportWarning("\(path): built with filters; the merged counts leave out what it left out")
                    }
                    do throws(Glossary.MergeError) {
                        try merged.merge(part)
                    } catch {
                        throw Glossary.ReadError(path: path, reason: error.description)
                    }
                }
                try out.write(merged)
                return true
            }
        }
    }
}

/// Progress on standard error: documents, MB, MB/s and, when the total is
/// known, percent and ETA. At most a few updates a second; a final newline.
final class Progress {
    let enabled: Bool
    let totalBytes: Int?
    private var bytes = 0, documents = 0
    private let start = Date()
    private var lastShown = Date.distantPast

    init(enabled: Bool, totalBytes: Int?) {
        self.enabled = enabled
        self.totalBytes = totalBytes
    }

    func advance(bytes: Int) {
        self.bytes += bytes
        documents += 1
        guard enabled, Date().timeIntervalSince(lastShown) >= 0.2 else { return }
        show()
    }

    private func show() {
        lastShown = Date()
        let seconds = max(0.001, Date().timeIntervalSince(start))
        let mb = Double(bytes) / 1e6
        var line = String(format: "\r%d documents, %.1f MB, %.1f MB/s", documents, mb, mb / seconds)
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytes) / Double(totalBytes))
            line += String(format: ", %3.0f%%", fraction * 100)
            if fraction > 0 { line += String(format: ", ETA %.0f s", seconds / fraction - seconds) }
        }
        line += "   "
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    func finish() {
        guard enabled, documents > 0 else { return }
        show()
        _ = write(2, "\n", 1)
    }
}
