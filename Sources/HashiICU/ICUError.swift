import CHashiICU

/// An error reported by ICU, carrying ICU's own name for it.
public struct ICUError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The raw `UErrorCode` value.
    public let code: Int32
    /// What Hashi was doing when ICU failed ("opening the word break iterator").
    public let operation: String

    /// Creates an error from a raw `UErrorCode` and a description of the operation that failed.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// ICU's name for the code, e.g. `U_ILLEGAL_ARGUMENT_ERROR`.
    public var name: String { String(cString: hashi_icu_error_name(code)) }

    /// One line with ICU's name for the code and the operation, e.g.
    /// `ICU error U_ILLEGAL_ARGUMENT_ERROR while opening transliterator Foo`.
    public var description: String { "ICU error \(name) while \(operation)" }

    /// ICU's `U_BUFFER_OVERFLOW_ERROR`.
    static let bufferOverflow: Int32 = 15
}

extension Int32 {
    /// ICU treats values <= 0 as success (negative values are warnings).
    @inline(__always) var isICUSuccess: Bool { self <= 0 }

    @inline(__always) func check(_ operation: @autoclosure () -> String) throws(ICUError) {
        if self > 0 { throw ICUError(code: self, operation: operation()) }
    }
}

/// Facts about the linked ICU.
public enum ICU {
    /// The version of the system ICU that Hashi is linked against, e.g. "72.1".
    public static var version: String {
        var buffer = [CChar](repeating: 0, count: 32)
        hashi_icu_version(&buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Calls an ICU "preflight" style function that returns the needed length and
/// reports `U_BUFFER_OVERFLOW_ERROR` when the buffer is too small; retries once
/// with the exact size.
@inline(__always)
func withResizingUTF16Buffer(
    initialCapacity: Int,
    operation: @autoclosure () -> String,
    _ body: (UnsafeMutablePointer<UInt16>, Int32, inout Int32) -> Int32
) throws(ICUError) -> [UInt16] {
    var capacity = max(initialCapacity, 1)
    for _ in 0..<3 {
        var status: Int32 = 0
        var length: Int32 = 0
        let result = [UInt16](unsafeUninitializedCapacity: capacity) { buffer, count in
            length = body(buffer.baseAddress!, Int32(capacity), &status)
            count = status.isICUSuccess ? Int(min(length, Int32(capacity))) : 0
        }
        if status == ICUError.bufferOverflow {
            capacity = max(Int(length), capacity * 2)
            continue
        }
        try status.check(operation())
        return result
    }
    throw ICUError(code: ICUError.bufferOverflow, operation: operation())
}
