import Foundation
import HashiKit

#if canImport(Glibc)
    import Glibc
#endif

/// Everything hashi writes to standard error besides a command's output: error
/// lines (with the hints that name hashi's own commands), warnings, notes,
/// "not found" lines, status lines and the progress line. Commands call it
/// instead of writing to standard error themselves.
///
/// Each message goes out in one `write(2)`, so that lines written from the
/// annotation threads (the line-cut warning) do not interleave.
enum Diagnostics {
    /// Prints `hashi: error: …`.
    static func error(_ message: String) { line("hashi: error: \(message)") }

    /// Prints a library error as `hashi: error: …`, with the hint of ``message(for:)``.
    static func report(_ error: any HashiError) { self.error(message(for: error)) }

    /// Prints `hashi: warning: …`.
    static func warning(_ message: String) { line("hashi: warning: \(message)") }

    /// Prints `hashi: note: …`.
    static func note(_ message: String) { line("hashi: note: \(message)") }

    /// Prints `hashi: not found: …` (terms a look-up did not find).
    static func notFound(_ message: String) { line("hashi: not found: \(message)") }

    /// Prints a status line as it is (`hashi serve: http://…`).
    static func status(_ message: String) { line(message) }

    /// A library error's line: its description (the problem, naming the file), and
    /// for the failures one of hashi's commands fixes, how. The one place the
    /// command line adds hints to what the library reports.
    static func message(for error: any HashiError) -> String {
        switch error {
        case let error as Dictionaries.LoadError where error.issues.count > 1:
            "\(error.issues[0]) (and \(error.issues.count - 1) more problems; run hashi dict check)"
        case let error as EdictIndex.FormatError:
            "\(error); rebuild it with hashi dict import"
        case let error as LexiconCompiler.CompileError where error.inDictionaryRows:
            "\(error) (run hashi dict check)"
        default:
            error.description
        }
    }

    /// Whether progress is shown: on a terminal, unless --quiet.
    static func showsProgress(quiet: Bool) -> Bool { !quiet && isatty(2) != 0 }

    /// Writes `text` as it is: the progress line, which rewrites itself with `\r`.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    private static func line(_ text: String) { write(text + "\n") }
}
