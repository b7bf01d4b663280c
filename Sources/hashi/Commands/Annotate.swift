import ArgumentParser
import Foundation
import HashiKit

extension MentionFormat: ExpressibleByArgument {}

/// Options for dictionaries, shared by the commands that link.
struct DictionaryOptions: ParsableArguments {
    @Option(
        name: .customLong("dict"),
        help: ArgumentHelp(
            "A user dictionary (TSV, see dictionaries/README.md) or a directory of them; repeatable. Also read from $HASHI_DICT (colon-separated). User entries take precedence over the built-in ones.",
            valueName: "file"))
    var dictionaries: [String] = []

    @OptionGroup var edictOptions: EdictOptions

    /// The entity lexicon; meanwhile the segmentation lexicons, which every linking
    /// command needs next, are built on another thread.
    func lexicon() throws -> EntityLexicon {
        BuiltinLexicon.prepareInBackground()
        return try Dictionaries.lexicon(userPaths: Environment.userDictionaryPaths(dictionaries))
    }

    func edict() throws -> EdictIndex? { try edictOptions.edict() }
}

/// Which EDICT index to use: for linking, and for the readings of glossary terms.
struct EdictOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The EDICT index made by 'hashi dict import'. Default: $HASHI_EDICT_INDEX, else ~/.local/share/hashi/edict.idx, used when present.",
            valueName: "file"))
    var edictIndex: String?

    @Flag(name: .long, help: "Do not use the imported EDICT/ENAMDICT index.")
    var noEdict = false

    func edict() throws -> EdictIndex? {
        if noEdict { return nil }
        if let edictIndex { return try EdictIndex(path: edictIndex) }
        return try Environment.openEdictIndex()
    }
}

struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Find the terms and names in Japanese text and link them to English entities.",
        discussion: """
            Every company, product, person, place and technical term the
            dictionaries know is linked to one canonical English entity:
            ファーウェイ / 華為技術 / Huaweii → Huawei. Spelling variants meet
            (ﾌｧｰｳｪｲ, ファーウエイ, コンピュータ/コンピューター, Harmony OS), names
            spanning tokens are found (アセンド910C, Ascend 910D), a bare surname
            after a full name links to the person (フアン after ジェンスン・フアン),
            and ambiguous words are decided by the rest of the document (キリン
            near ファーウェイ is the chip family). Katakana words no dictionary
            knows are reported unlinked.

            Formats (--format):
              text    the input with mentions marked inline: ファーウェイ[Huawei]は;
                      unknown katakana terms carry the transliteration
                      guess and a question mark: コーディング[coding?]
              jsonl   one object per mention: document, sentence, start, end,
                      byte_start, byte_end, surface, id, en, type, source
                      (user, curated, edict, enamdict, latin, guess), match
                      (exact, variant, fuzzy, coreference, unknown), confidence;
                      unknown terms add guess, the transliteration model's
                      best English (see 'hashi transliterate')

            Katakana words the dictionaries miss are looked up in the EDICT and
            ENAMDICT index when 'hashi dict import' has built it (lower priority
            than the dictionaries and than document evidence).
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var dictionary: DictionaryOptions

    @Option(name: .shortAndLong, help: "Output format: text or jsonl.")
    var format: MentionFormat = .text

    @Flag(name: .long, help: "Leave out unknown katakana words (unlinked mentions).")
    var linkedOnly = false

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write to this file (atomically). Default: standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try runReportingErrors {
            let lexicon = try dictionary.lexicon()
            let threads = threadOptions.count
            let sink = try output.map { try OutputSink(path: $0) } ?? OutputSink()
            let writer = MentionWriter(format: format, sink: sink, includeUnlinked: !linkedOnly)
            writer.threads = threads
            let weights = BackTransliterator.Weights()
            writer.guess = { (try? BackTransliterator(weights: weights).candidates(for: $0, top: 1))?.first?.english }
            let ok = try forEachAnnotated(
                input, lexicon: lexicon, edict: try dictionary.edict(), threads: threads,
                keepsLines: format == .text,
                windowBytes: AnnotationPipeline.boundedWindowBytes
            ) { annotated in
                try writer.write(annotated)
            }
            // With --keep-going, the good inputs' mentions are written; exit status 1.
            try writer.finish()
            return ok
        }
    }
}
