import ArgumentParser
import Foundation
import HashiKit

/// What `hashi transliterate` writes.
enum TransliterationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Transliterate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transliterate",
        abstract: "Guess the English word a katakana word came from.",
        discussion: """
            For katakana that no dictionary knows, proposes the English words it
            most likely transliterates, best first, each with a score:
            コンピューター → computer, プロンプトエンジニアリング → prompt
            engineering. These are guesses from the sound alone: check them
            before relying on them. Only the model is used (built in, or
            --model), never the dictionaries, so its accuracy can be measured
            (scripts/evaluate-transliteration.py).

            The model was learned from about 40,000 katakana loanwords of EDICT
            and their English sources, and ranks real English words (Debian's
            wamerican word list and the words of those sources) above made-up
            spellings; names no word list has still get a spelling.

            Input: words as arguments, or one word a line on standard input
            when there are none (or with -). Half-width katakana is accepted
            (ﾌｧｰｳｪｲ); ・ (also = or a space) separates words, which become
            separate English words (ジェネレーティブ・エーアイ). Anything other than katakana, ー
            and ・ is an error for that word (exit status 1); the other words
            are still transliterated. Romaji (ICU's Hepburn) is printed for
            reference.

            Score: each candidate's share of the probability of all spellings
            the search found (0 to 1), not a probability of being right.

            Examples:
              hashi transliterate コンピューター クラウドネイティブ
              hashi transliterate --format json --top 3 ﾌｧｰｳｪｲ
              hashi transliterate < words.txt
            """)

    @Argument(help: ArgumentHelp("Katakana words; none or - reads one a line from standard input.", valueName: "word"))
    var words: [String] = []

    @Option(name: .long, help: ArgumentHelp("Candidates per word.", valueName: "n"))
    var top = 5

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Output format: text, or json (one object a line: query, romaji, candidates [{en, score}], best first).",
            valueName: "format"))
    var format: TransliterationFormat = .text

    /// The former spelling of --format json.
    @Flag(name: .long, help: .hidden)
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Use this model file instead of the built-in one (scripts/train-transliteration.py).", valueName: "file"))
    var model: String?

    @Option(name: .long, help: .hidden)
    var weights: String?

    /// For tuning: prints, for each `word=english` query, how plausible the model finds
    /// that English as the word's source (BackTransliterator.plausibility).
    @Flag(name: .long, help: .hidden)
    var plausibility = false

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        try runReportingErrors {
            let loaded = try model.map { try TransliterationModel(contentsOfFile: $0) } ?? .builtin
            let transliterator = BackTransliterator(
                model: loaded, weights: weights.map { .init(parsing: $0) } ?? .init())
            let romanizer = try Romanizer()
            let sink = OutputSink()
            var ok = true
            if plausibility {
                for query in words {
                    let parts = query.split(separator: "=", maxSplits: 1).map(String.init)
                    let score = parts.count == 2 ? transliterator.plausibility(of: parts[1], for: parts[0]) : nil
                    try sink.write("\(query)\t\(score.map { String(format: "%.2f", $0) } ?? "none")\n")
                }
                try sink.flush()
                return true
            }
            func answer(_ word: String) throws {
                let segments: [String]
                let candidates: [TransliterationCandidate]
                do throws(TransliterationError) {
                    segments = try BackTransliterator.segments(of: word)
                    candidates = try transliterator.candidates(for: word, top: top)
                } catch {
                    Diagnostics.report(error)
                    ok = false
                    return
                }
                let romaji = segments.map { romanizer.romaji($0) }.joined(separator: " ")
                try sink.write(
                    json || format == .json
                        ? TransliterationWriter.jsonLine(query: word, romaji: romaji, candidates: candidates)
                        : TransliterationWriter.textBlock(query: word, romaji: romaji, candidates: candidates))
            }
            if words.isEmpty || words == ["-"] {
                // Standard input, a line at a time: answers flow, memory stays bounded.
                try forEachLine(of: 0) { line in
                    let word = line.trimmingCharacters(in: .whitespaces)
                    if !word.isEmpty { try answer(word) }
                } afterChunk: {
                    try sink.flush()
                }
            } else {
                for word in words { try answer(word) }
            }
            try sink.flush()
            return ok
        }
    }
}
