import ArgumentParser
import Foundation
import HashiKit

#if canImport(Glibc)
    import Glibc
#endif

struct Dict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dict",
        abstract: "Work with dictionaries.",
        subcommands: [Check.self, Import.self, Compile.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Compile EDICT and ENAMDICT into Hashi's fast index.",
            discussion: """
                Reads Debian's edict and enamdict files (apt-get install edict enamdict;
                EUC-JP, CC BY-SA, Electronic Dictionary Research and Development Group)
                and writes an index that loads in milliseconds. 'hashi annotate' then
                uses it for katakana words the curated dictionaries do not know.
                Default output: $HASHI_EDICT_INDEX, else $XDG_DATA_HOME/hashi/edict.idx,
                else ~/.local/share/hashi/edict.idx.
                """)

        @Option(name: .long, help: ArgumentHelp("EDICT file.", valueName: "file"))
        var edict = EdictImporter.defaultEdict

        @Option(name: .long, help: ArgumentHelp("ENAMDICT file ('-' to skip).", valueName: "file"))
        var enamdict = EdictImporter.defaultEnamdict

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the index.", valueName: "file"))
        var output: String?

        @Flag(name: .shortAndLong, help: "No progress on standard error (shown only when it is a terminal).")
        var quiet = false

        /// For scripts/generate-common-words.py: writes EDICT's common words
        /// (dictionaries/everyday/common-words.tsv) to this file instead of an index.
        @Option(name: .long, help: .hidden)
        var commonWords: String?

        func run() throws {
            try runReportingErrors {
                // About a minute on two cores: say what is happening, on a terminal.
                let show = Diagnostics.showsProgress(quiet: quiet)
                func stage(_ name: String) -> (@Sendable (Double) -> Void)? {
                    guard show else { return nil }
                    return { fraction in
                        let line = String(
                            format: "\rhashi dict import: %@: choosing the English of katakana words, %3.0f%%   ", name, fraction * 100)
                        Diagnostics.write(line)
                    }
                }
                var lineOpen = show
                func endLine() {
                    if lineOpen { Diagnostics.write("\n") }
                    lineOpen = false
                }
                defer { endLine() }
                var entries = try EdictImporter.read(edict, source: .edict, progress: stage((edict as NSString).lastPathComponent))
                let general = entries.count
                // A file with no entries (a wrong or binary file) must not replace a good index.
                if general == 0 {
                    throw InputError.unreadable(path: edict, reason: "no EDICT entries (HEADWORD [READING] /gloss/.../ lines)")
                }
                if enamdict != "-" {
                    let names = try EdictImporter.read(
                        enamdict, source: .enamdict, progress: stage((enamdict as NSString).lastPathComponent))
                    if names.isEmpty { throw InputError.unreadable(path: enamdict, reason: "no ENAMDICT entries") }
                    entries += names
                }
                endLine()
                if let commonWords {
                    let sink = try OutputSink(path: commonWords)
                    try sink.write(EdictImporter.commonWordsTSV(entries))
                    try sink.commit()
                    print("\(commonWords): EDICT's common words")
                    return true
                }
                let path = output ?? Environment.edictIndexPath
                try EdictIndex.write(entries, to: path)
                print("\(path): \(general) EDICT and \(entries.count - general) ENAMDICT entries")
                return true
            }
        }
    }

    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compile",
            abstract: "Compile dictionaries/ into the lexicon image built into hashi.",
            discussion: """
                Reads the top-level *.tsv files of the directory (the curated
                entities), segmentation/katakana-words.tsv and
                segmentation/hiragana-rules.tsv, and writes the binary image that
                hashi reads in place at start-up (default: <directory>/lexicon.bin,
                the one embedded at build time). The same files give the same bytes;
                rebuild hashi after regenerating it.
                """)

        @Argument(help: ArgumentHelp("The dictionaries directory.", valueName: "directory"))
        var directory = "dictionaries"

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the image.", valueName: "file"))
        var output: String?

        func run() throws {
            try runReportingErrors {
                let bytes = try LexiconCompiler.compile(directory: directory)
                let path = output ?? (directory.hasSuffix("/") ? directory : directory + "/") + "lexicon.bin"
                let sink = try OutputSink(path: path)
                try bytes.withUnsafeBufferPointer { try sink.write($0) }
                try sink.commit()
                print("\(path): \(bytes.count) bytes")
                return true
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate dictionaries.",
            discussion: """
                    Reports, one per line as FILE:LINE: error: MESSAGE, malformed rows,
                    duplicate ids, unknown types, relations pointing to no entity, and
                    two entities claiming the same match key when neither has context
                    cues to tell them apart. With no path, checks the dictionaries
                    built into hashi; with paths, checks those files (directories:
                    their *.tsv files) together with the built-in ones they may refer to.
                    Exit status 1 when there are errors.
                """)

        @Argument(help: ArgumentHelp("Dictionary files or directories.", valueName: "path"))
        var paths: [String] = []

        @Flag(name: .long, help: "Check the given files alone, without the built-in dictionaries.")
        var standalone = false

        func run() throws {
            try runReportingErrors {
                var entities: [Entity]
                var issues: [DictionaryIssue]
                var fileCount: Int
                if paths.isEmpty {
                    (entities, issues) = Dictionaries.builtin
                    fileCount = Set(entities.map { $0.location.split(separator: ":").first ?? "" }).count
                } else {
                    let files = try Dictionaries.files(in: paths)
                    (entities, issues) = try Dictionaries.parse(files: files, source: .user)
                    fileCount = files.count
                }
                // Relations may point into the built-in dictionaries; only report the checked files.
                let context =
                    paths.isEmpty || standalone ? [] : Dictionaries.builtin.entities.filter { b in !entities.contains { $0.id == b.id } }
                let checkedFiles = Set(entities.map { String($0.location.split(separator: ":").dropLast().joined(separator: ":")) })
                let found = Dictionaries.check(entities + context, parseIssues: issues)
                    .filter { paths.isEmpty || checkedFiles.contains($0.file) || issues.contains($0) }
                for issue in found { print(issue) }
                let errors = found.filter { $0.severity == .error }.count
                let warnings = found.count - errors
                var counts: [EntityType: Int] = [:]
                for entity in entities { counts[entity.type, default: 0] += 1 }
                let byType = EntityType.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                print("\(entities.count) entities (\(byType)) in \(fileCount) files: \(errors) errors, \(warnings) warnings")
                return errors == 0
            }
        }
    }
}
