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
            'hashi glossary INPUT...' builds (the build subcommand, the
            default); 'hashi glossary merge A.json B.json' combines glossaries
            built separately (with --format json) exactly as if their corpora
            had been one. 'hashi glossary --help' shows the build options.
            """,
        subcommands: [Build.self, Merge.self],
        defaultSubcommand: Build.self)

    /// `hashi glossary --help` (and `hashi help glossary`) shows what building
    /// takes, with the merge subcommand named: the options people look for.
    static func buildHelp() -> String {
        var text = GlossaryCommand.helpMessage(for: Build.self)
        text = text.replacingOccurrences(of: "hashi glossary build", with: "hashi glossary [build]")
        text +=
            "\nSUBCOMMANDS:\n  build (default)         Build the glossary (the options above).\n"
            + "  merge                   Combine glossaries written with --format json (hashi glossary merge --help).\n"
        return text
    }
}

/// What building a glossary takes: the inputs, dictionaries, output and threads.
struct GlossaryBuildOptions: ParsableArguments {
    @OptionGroup var input: InputOptions
    @OptionGroup var dictionary: DictionaryOptions
    @OptionGroup var out: GlossaryOutputOptions
    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try runReportingErrors {
            let lexicon = try dictionary.lexicon()
            let includeGuesses = out.options.includeGuesses
            var glossary = Glossary()
            let edict = try dictionary.edict()
            // Large documents in parts of 2 MiB: bounded memory (Glossary.add counts a
            // document in parts once).
            let ok = try forEachAnnotated(
                input, lexicon: lexicon, edict: edict, threads: threadOptions.count,
                keepsLines: true, windowBytes: AnnotationPipeline.boundedWindowBytes
            ) { annotated in
                glossary.add(annotated, lexicon: lexicon, includeUnlinked: includeGuesses)
            }
            // With --keep-going, the glossary of the good inputs is written; exit status 1.
            try out.write(glossary, edict: edict)
            return ok
        }
    }
}

/// Output options shared by building and merging.
struct GlossaryOutputOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "csv, tsv, tbx, json, pairs or xlsx. Default: implied by the -o file's extension (.csv .tsv .tbx .json .xlsx), else csv.",
            valueName: "format"))
    var format: GlossaryFormat?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write to this file (atomically: an existing file is replaced only when the new one is complete). Default: standard output.",
            valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Start CSV/TSV with a UTF-8 byte order mark (for Excel on Windows).")
    var bom = false

    @Option(name: .long, help: ArgumentHelp("Leave out entries with fewer mentions.", valueName: "n"))
    var minCount = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep only these types, comma-separated: ORG, PRODUCT, PERSON, PLACE, TERM, and guess for unknown terms.",
            valueName: "types"))
    var types: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
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
                throw ValidationError(
                    "-o \(output): .\(ext) names no glossary format; use .csv, .tsv, .tbx, .json or .xlsx, or give --format")
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

    /// Writes the glossary; readings of kanji terms come from the common words and `edict`.
    func write(_ glossary: Glossary, edict: EdictIndex?) throws {
        var writer = GlossaryWriter(format: effectiveFormat)
        writer.byteOrderMark = bom
        writer.reading = GlossaryWriter.defaultReading(edict: edict)
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
                One row per entity or term found in the inputs (see 'hashi annotate'),
                with how often and in how many documents it occurs, every Japanese
                spelling seen, and the first sentence it occurs in. Katakana terms no
                dictionary knows are listed with a transliteration guess
                (source=guess, low confidence) unless --linked-only.
                'hashi glossary merge A.json B.json' combines glossaries built
                separately (with --format json) exactly as if their corpora had
                been one.

                Columns (CSV, TSV; the same names as JSON keys):
                  ja          the term: the full form the corpus uses most, in
                              kana or kanji unless the dictionary writes the name
                              in Latin first (GPU, TSMC); ・ between name parts,
                              full-width kana; never a bare surname or a
                              one-character abbreviation (フアン, 米: those are
                              variants); else the dictionary's usual form
                  en          canonical English (a transliteration guess for
                              unknown katakana terms)
                  type        ORG, PRODUCT, PERSON, PLACE, TERM (empty: unknown)
                  count       mentions; documents: documents mentioning it
                  reading     katakana reading: of kana terms, and of kanji terms
                              the common-word list or the EDICT index (hashi dict
                              import) knows; romaji: its Hepburn
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
                         ja the preferred term, the other spellings admitted,
                         surnames and abbreviations marked as short forms
                  json   everything, including per-spelling counts; the input
                         of 'hashi glossary merge'
                  pairs  ja<TAB>en, no header: the glossary import of DeepL or
                         Google Translate (full forms only)
                  xlsx   an Excel workbook (also implied by -o x.xlsx): the CSV's
                         columns, header frozen; Excel, memoQ and MultiTerm
                         open it directly
                Cells a spreadsheet would run as formulas (=, +, -, @) get a
                leading apostrophe in CSV and TSV (XLSX cells are text).

                Inputs are as for every command: files, directories (searched for
                *.txt, *.md, *.jsonl and *.ndjson, leaving out README, LICENSE and
                similar files; see --glob) and -. A .jsonl (or .ndjson) file is a
                corpus kept one document a line: {"id": ..., "text": ...}.

                Documents are annotated on all cores; the output is the same
                for any number of threads, and byte-identical between runs.
                Progress (documents, MB/s, ETA) goes to standard error when it
                is a terminal; --quiet silences it.

                Examples:
                  hashi glossary corpora/ -o glossary.csv
                  hashi glossary news.jsonl --format tbx -o news.tbx
                  hashi glossary part1/ -o part1.json; hashi glossary part2/ -o part2.json
                  hashi glossary merge part1.json part2.json -o all.csv
                """,
        )

        @OptionGroup var options: GlossaryBuildOptions

        func run() throws { try options.run() }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
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

        /// Readings of kanji terms come from the index too, as when building.
        @OptionGroup var edictOptions: EdictOptions

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
                        Diagnostics.warning("\(path): built with filters; the merged counts leave out what it left out")
                    }
                    do throws(Glossary.MergeError) {
                        try merged.merge(part)
                    } catch {
                        throw Glossary.ReadError(path: path, reason: error.description)
                    }
                }
                try out.write(merged, edict: try edictOptions.edict())
                return true
            }
        }
    }
}
