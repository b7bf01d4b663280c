import ArgumentParser
import Foundation
import HashiKit

extension TokenFormat: ExpressibleByArgument {}
extension SegmentationUnit: ExpressibleByArgument {}

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Split Japanese text into words.",
        discussion: """
            ICU's word break iterator, then repairs: katakana words stay whole
            (ファーウェイ, not ファー|ウェイ), ・-joined names become one compound
            (ジェンスン・フアン), Latin and digit tokens stay intact (910C, H100, 5nm).

            Formats (--format):
              text    words separated by spaces, one line per input line
                      (like mecab -Owakati)
              tsv     one token a line with a header: surface, normalized,
                      script, start, end, byte_start, byte_end, romaji, parts;
                      a blank line between sentences
              jsonl   one JSON object per sentence: document, sentence, start,
                      end, text, tokens (spaces included, so they tile the text)
              conllu  CoNLL-U; SpaceAfter=No where no space follows,
                      TokenRange=start:end, Translit=romaji for kana

            Offsets: start/end count Unicode scalars and byte_start/byte_end
            UTF-8 bytes, both into the original input (decoded, BOM removed).

            Units (--unit):
              long    (default) katakana compounds and lexicon terms whole
              short   short units as in UD Japanese (UniDic): katakana compounds
                      split where the lexicon knows the parts (データ|センター),
                      ・ separate, inflections split (し|た)
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: text, tsv, jsonl, conllu.")
    var format: TokenFormat = .text

    @Option(name: .long, help: "Token granularity: long or short.")
    var unit: SegmentationUnit = .long

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write to this file (atomically: it appears only when complete). Default: standard output.",
            valueName: "file"))
    var output: String?

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try runReportingErrors {
            let tokenizer = try Tokenizer.builtin(unit: unit)
            tokenizer.segmenter.findsSentences = format != .text
            tokenizer.threads = threadOptions.count
            let sink = try output.map { try OutputSink(path: $0) } ?? OutputSink()
            let writer = try TokenWriter(format: format, sink: sink)
            let ok = try forEachDocument(input) { source, reader in
                switch source {
                case .file(let document, _):
                    try writer.beginDocument(document)
                    try tokenizer.tokenize(document, reader: reader) { line in
                        try writer.write(line, document: document)
                    }
                case .text(let name, let text):
                    // A record of a JSON Lines corpus.
                    let document = InputDocument(name: name, path: nil)
                    try writer.beginDocument(document)
                    try tokenizer.forEachLine(in: text, documentName: name) { line in
                        try writer.write(line, document: document)
                    }
                }
            }
            // Reaching here with failures means --keep-going: the good inputs' output
            // is written (atomically), and the exit status says something failed.
            try writer.finish()
            return ok
        }
    }
}
