import CHashiICU

/// ICU's NFKC normalizer. The underlying instance is a process-wide singleton
/// owned by ICU, so this is a namespace of functions; all are thread-safe.
public enum NFKC {
    /// NFKC of `text`.
    public static func normalize(_ text: String) throws(ICUError) -> String {
        let units = Array(text.utf16)
        let result = try units.withUnsafeBufferPointer { src throws(ICUError) in
            try normalize(src)
        }
        return String(decoding: result, as: UTF16.self)
    }

    /// NFKC of a UTF-16 buffer.
    public static func normalize(_ src: UnsafeBufferPointer<UInt16>) throws(ICUError) -> [UInt16] {
        if src.isEmpty { return [] }
        return try withResizingUTF16Buffer(initialCapacity: src.count * 2 + 8, operation: "normalizing to NFKC") {
            dest, capacity, status in
            hashi_nfkc(src.baseAddress, Int32(src.count), dest, capacity, &status)
        }
    }

    /// True when NFKC leaves `scalar` unchanged and never combines it with a neighbour.
    @inline(__always)
    public static func isInert(_ scalar: UInt32) -> Bool {
        hashi_nfkc_is_inert(Int32(bitPattern: scalar)) != 0
    }

    /// True when text can be normalized separately before and after `scalar`.
    @inline(__always)
    public static func hasBoundaryBefore(_ scalar: UInt32) -> Bool {
        hashi_nfkc_has_boundary_before(Int32(bitPattern: scalar)) != 0
    }
}
