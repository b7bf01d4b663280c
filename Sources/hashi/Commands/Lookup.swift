import ArgumentParser
import Foundation
import HashiKit

#if canImport(Glibc)
    import Glibc
#endif

extension LookupLanguage: ExpressibleByArgument {}
extension LookupWriter.Format: ExpressibleByArgument {}

struct Lookup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look terms up: Japanese to English and English to Japanese.",
        discussion: """
            A query in kana or kanji is answered in English, a Latin one in
            Japanese (--to forces either). Each hit shows the canonical English
            name, the type, every Japanese form (the usual one first), the
            Wikidata id, the relations, where it comes from (user, curated,
            edict, enamdict, guess) and how the query matched:

              exact    the query is a form exactly as a dictionary writes it
              variant  the same match key as a form: ﾌｧｰｳｪｲ and ファーウエイ are
                       ファーウェイ, コンピュータ is コンピューター, nvidia and
                       Harmony OS are NVIDIA and HarmonyOS
              romaji   a Latin query spelling a kana form: fāuei, faauei or
                       fauei are ファーウェイ (long vowels as macrons, doubled
                       vowels, or ou for ō)
              fuzzy    a Latin name within a small edit distance (Huaweii)
              guess    a katakana word nothing knows, transliterated; it does
                       not count as found

            Dictionaries come first (user dictionaries from --dict and
            $HASHI_DICT before the built-in ones); Japanese queries they miss go
            to the EDICT/ENAMDICT index of 'hashi dict import' when it exists.
            English → Japanese uses the dictionaries only. When nothing
            matches, close dictionary entries are offered ("did you mean").

            Formats (--format):
              text   every hit with its forms, relations and "did you mean"
              json   one JSON object per query and line: query, to, found,
                     hits [{en, ja, type, id, wikidata, aliases or glosses,
                     relations, source, match, matched}], suggestions
              tsv    query<TAB>en<TAB>ja<TAB>type<TAB>source<TAB>match, the
                     best hit (empty fields for a miss); no header
            --batch reads one query a line from standard input and writes one
            line per query, in the same order (default format tsv): the best
            hit only, no relations, no "did you mean" search (the JSON schema
            is the same, with at most one hit). Batches give transliteration
            guesses for unknown katakana only with --guess (the model answers
            about 600 words a second; dictionary look-ups run at hundreds of
            thousands).

            Exit status: 0 when every query was found, 1 when some were not
            (listed on standard error as 'hashi: not found: …'), 2 on usage errors.

            Examples:
              hashi lookup ファーウェイ ﾌｧｰｳｪｲ 華為技術
              hashi lookup nvidia 'Harmony OS' faauei
              hashi lookup --format json --to ja Huawei
              cut -f1 terms.tsv | hashi lookup --batch > terms.en.tsv
            """)

    @Argument(help: ArgumentHelp("Terms to look up, Japanese or English.", valueName: "term"))
    var terms: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Answer in this language: en or ja. Default: en for queries with kana or kanji, ja for Latin ones.",
            valueName: "lang"))
    var to: LookupLanguage?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Output format: text, json (one object per query and line) or tsv. Default: text; tsv with --batch.",
            valueName: "format"))
    var format: LookupWriter.Format?

    /// The former spelling of --format json.
    @Flag(name: .long, help: .hidden)
    var json = false

    @Flag(name: .long, help: "Read queries from standard input, one a line; write one line each (TSV, or JSON with --format json).")
    var batch = false

    @Flag(
        inversion: .prefixedNo,
        help: "Transliteration guesses for katakana nothing knows (default: on for terms given as arguments, off with --batch).")
    var guess: Bool?

    @OptionGroup var dictionary: DictionaryOptions

    func validate() throws {
        if batch && !terms.isEmpty {
            throw ValidationError("--batch reads the queries from standard input; give no terms")
        }
        if json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) disagree; give one")
        }
        if !batch && terms.isEmpty {
            throw ValidationError("no term: give terms to look up, or --batch to read them from standard input")
        }
    }

    func run() throws {
        try runReportingErrors {
            let engine = try TermLookup(
                dictionaries: Environment.userDictionaryPaths(dictionary.dictionaries), edict: try dictionary.edict())
            // Katakana nothing knows: the back-transliteration model's guesses (the
            // model is only touched when such a query comes).
            if guess ?? !batch {
                let transliterator = BackTransliterator()
                engine.guess = { word in
                    ((try? transliterator.candidates(for: word, top: 3)) ?? []).map { (en: $0.english, score: $0.score) }
                }
            }
            let format = self.format ?? (json ? .json : batch ? .tsv : .text)
            let writer = LookupWriter(format: format, sink: OutputSink())
            let forced = to, detail: TermLookup.Detail = batch ? .best : .full
            var missing: [String] = []
            var missingCount = 0
            func answer(_ query: String) throws {
                let result = engine.lookup(query, to: forced, detail: detail)
                try writer.write(result)
                if !result.isFound && !query.isEmpty {
                    missingCount += 1
                    if missing.count < 20 { missing.append(query) }
                }
            }
            if batch {
                try forEachLine(of: 0) { line in
                    try answer(line)
                } afterChunk: {
                    try writer.flush()
                }
            } else {
                for term in terms { try answer(term) }
            }
            try writer.finish()
            if missingCount > 0 {
                let more = missingCount > missing.count ? " (and \(missingCount - missing.count) more)" : ""
                Diagnostics.notFound("\(missing.joined(separator: ", "))\(more)")
            }
            return missingCount == 0
        }
    }
}
