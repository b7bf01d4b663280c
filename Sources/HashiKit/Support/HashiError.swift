import HashiICU

/// An error Hashi reports to its user: its description is one line that names
/// the file (and the line or byte offset) when there is one.
///
/// The library throws these and never prints; the command line catches the
/// protocol once (`runReportingErrors` in `Sources/hashi`), prints
/// `hashi: error: DESCRIPTION` and exits with status 1.
public protocol HashiError: Error, CustomStringConvertible {}

extension ICUError: HashiError {}
