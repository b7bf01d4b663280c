import HashiICU

@_exported import struct HashiICU.ICUError

/// The version of the system ICU that Hashi is linked against.
public var icuVersion: String { ICU.version }
