import ArgumentParser
import HashiKit

#if canImport(Glibc)
    import Glibc
#endif

@main
struct Hashi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashi",
        abstract: "Japanese technical text to English terminology.",
        discussion: """
            Hashi (橋, "bridge") segments Japanese text with ICU, repairing the katakana \
            loanwords ICU shatters (ファーウェイ, コンピューティング), keeps every \
            token's offsets in the original input, and links names and terms to \
            canonical English entities (ファーウェイ / 華為技術 / Huaweii → Huawei): \
            glossaries for translators, entity graphs, look-ups in both directions.

            Inputs are files, directories (searched recursively for *.txt and *.md; \
            change with --glob) and - for standard input. UTF-8 with or without BOM \
            is the default; UTF-16 with BOM, Shift_JIS (CP932), EUC-JP and \
            ISO-2022-JP are detected, or name one with --encoding.

            Exit status: 0 on success, 1 when an input, a dictionary or an output \
            failed (or, for lookup, a term was not found), 2 on usage errors.

            Examples:
              hashi glossary corpora/ -o glossary.csv
              hashi annotate article.txt
              hashi graph corpora/ --format svg -o graph.svg
              hashi tokenize corpora/
              hashi tokenize --format tsv article.txt
              echo 'ファーウェイのAscend 910C' | hashi tokenize -
              hashi transliterate プロンプトエンジニアリング
              hashi lookup ファーウェイ nvidia
            """,
        version: "0.1.0 (ICU \(ICUVersion.string))",
        subcommands: [
            Tokenize.self, Annotate.self, GlossaryCommand.self, Graph.self, Lookup.self, Transliterate.self, Dict.self, Serve.self,
        ]
    )

    /// Reports a failed write to standard output (a full disk, /dev/full) and exits 1.
    static func failStandardOutput() -> Never {
        Diagnostics.error("standard output: cannot write: \(String(cString: strerror(errno)))")
        Glibc.exit(1)
    }

    /// Exit status for usage errors: 2, as grep and diff do (swift-argument-parser uses 64).
    static let usageExitCode: Int32 = 2

    /// Parses and runs like swift-argument-parser's `main()`, with usage errors
    /// (unknown options, bad values, failed validation) exiting with status 2.
    /// Help and version still print to standard output with status 0.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["glossary", "--help"] || arguments == ["glossary", "-h"] || arguments == ["help", "glossary"] {
            print(GlossaryCommand.buildHelp(), terminator: "")
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            // What went through print (help, dict check) must have reached standard output.
            if fflush(nil) != 0 { failStandardOutput() }
        } catch {
            if exitCode(for: error) == .success, case let message = fullMessage(for: error), !message.isEmpty {
                // --help and --version: printed here so that a write error is seen.
                var text = message + "\n"
                let written = text.withUTF8 { buffer -> Bool in
                    var offset = 0
                    while offset < buffer.count {
                        let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { return false }
                        offset += n
                    }
                    return true
                }
                if !written { failStandardOutput() }
                Glibc.exit(0)
            }
            if fflush(nil) != 0 { failStandardOutput() }
            if exitCode(for: error).rawValue == 64 {
                let message = fullMessage(for: error)
                if !message.isEmpty { Diagnostics.write(message + "\n") }
                Glibc.exit(usageExitCode)
            }
            exit(withError: error)
        }
    }
}
