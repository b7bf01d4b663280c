import HashiICU

/// An error Hashi reports to its user: its description is one line that names
/// the file (and the line or byte offset) when there is one.
///
/// The library throws these and never prints; the command line catches the
/// protocol once (`runReportingErrors` in `Sources/hashi`), prints
/// `hashi: error: DESCRIPTION` and exits with status 1.
///
/// A description states the problem only (the file, the line, what is wrong),
/// never a command to run: hints such as `run hashi dict check` belong to the
/// front end (the command line's `Diagnostics`), which knows its commands.
public protocol HashiError: Error, CustomStringConvertible {}

extension ICUError: HashiError {}
