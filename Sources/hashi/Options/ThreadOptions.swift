import ArgumentParser
import Foundation

/// `--threads`, shared by the commands that work on several cores.
struct ThreadOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Worker threads (the output is the same for any number). Default: the number of cores.", valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The number to use: --threads, else the cores available.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}
