import ArgumentParser
import HashiKit
#if canImport(Glibc)
import Glibc
#endif

enum ICUVersion {
    static var string: String { HashiKit.icuVersion }
}

/// Prints `hashi: error: …` to standard error.
func reportError(_ message: String) {
    var line = "hashi: error: \(message)\n"
    line.withUTF8 { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

/// Prints `hashi: warning: …` to standard error.
func reportWarning(_ message: String) {
    var line = "hashi: warning: \(message)\n"
    line.withUTF8 { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

/// Runs `body` for every document of the inputs, stopping at the first error
/// unless `keepGoing`; returns true when every input succeeded.
func forEachDocument(
    _ options: InputOptions, _ body: (InputDocument, DocumentReader) throws -> Void
) throws -> Bool {
    let encoding = try TextEncoding.named(options.encoding)
    let reader = DocumentReader(encoding: encoding)
    let resolver = InputResolver(globs: options.glob)
    var ok = true
    for resolved in resolver.resolve(try options.effectiveInputs()) {
        switch resolved {
        case .failure(let error):
            if !options.keepGoing { throw error }
            reportError(error.description)
            ok = false
        case .success(let documents):
            for document in documents {
                do {
                    try body(document, reader)
                } catch let error as InputError {
                    if !options.keepGoing { throw error }
                    reportError(error.description)
                    ok = false
                } catch let error as TokenizeError {
                    if !options.keepGoing { throw error }
                    reportError(error.description)
                    ok = false
                }
            }
        }
    }
    return ok
}

/// Maps library errors to a one-line message and exit status 1.
func runReportingErrors(_ body: () throws -> Bool) throws {
    do {
        if try !body() { throw ExitCode(1) }
    } catch let error as InputError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as TokenizeError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as OutputSink.WriteError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as Dictionaries.LoadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as EdictIndex.FormatError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as Glossary.ReadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as TransliterationModel.LoadError {
        reportError(error.description)
        throw ExitCode(1)
    } catch let error as ICUError {
        reportError(error.description)
        throw ExitCode(1)
    }
}
