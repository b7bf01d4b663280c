import ArgumentParser
import HashiKit

@main
struct Hashi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashi",
        abstract: "Japanese technical text to English terminology.",
        discussion: """
            Hashi (橋, "bridge") segments Japanese text with ICU, repairing the katakana \
            loanwords ICU shatters (ファーウェイ, コンピューティング), and keeps every \
            token's offsets in the original input.

            Inputs are files, directories (searched recursively for *.txt and *.md; \
            change with --glob) and - for standard input. UTF-8 with or without BOM \
            is the default; UTF-16 with BOM, Shift_JIS (CP932), EUC-JP and \
            ISO-2022-JP are detected, or name one with --encoding.

            Examples:
              hashi tokenize corpora/
              hashi tokenize --format tsv article.txt
              echo 'ファーウェイのAscend 910C' | hashi tokenize -
              hashi transliterate プロンプトエンジニアリング
            """,
        version: "0.1.0 (ICU \(ICUVersion.string))",
        subcommands: [Tokenize.self, Annotate.self, GlossaryCommand.self, Graph.self, Transliterate.self, Dict.self]
    )
}
