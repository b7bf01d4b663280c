import ArgumentParser
import HashiKit

/// Options shared by every command that reads documents.
struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Files, directories or - (standard input). Default: standard input when it is not a terminal.",
            valueName: "input"))
    var inputs: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File name pattern for files inside directories (repeatable). Default: *.txt, *.md, *.jsonl and *.ndjson, leaving out README, LICENSE, CHANGELOG and similar files.",
            valueName: "pattern"))
    var glob: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Input encoding: auto, utf-8, shift_jis (cp932), euc-jp, iso-2022-jp, utf-16, or any ICU converter name.",
            valueName: "name"))
    var encoding: String = "auto"

    @Flag(name: .long, help: "Report bad inputs and go on with the others (exit status 1 at the end).")
    var keepGoing = false

    @Flag(name: .shortAndLong, help: "No progress on standard error (shown only when it is a terminal).")
    var quiet = false

    func validate() throws {
        do {
            _ = try TextEncoding.named(encoding)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The effective list of arguments (standard input when none is given).
    func effectiveInputs() throws -> [String] {
        if !inputs.isEmpty { return inputs }
        if isatty(0) != 0 {
            throw ValidationError("no input: give files, directories or - for standard input")
        }
        return ["-"]
    }
}

#if canImport(Glibc)
    import Glibc
#endif
