import CHashiICU

/// Charset detection (`ucsdet`) and conversion (`ucnv`).
public enum Charset {
    /// A guess at the charset of `bytes`: ICU's name and its confidence (0...100).
    public static func detect(_ bytes: UnsafeRawBufferPointer) throws(ICUError) -> (name: String, confidence: Int) {
        var status: Int32 = 0
        var name = [CChar](repeating: 0, count: 64)
        let confidence = hashi_charset_detect(
            bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
            &name, Int32(name.count), &status)
        try status.check("detecting the charset")
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (text, Int(confidence))
    }

    /// True when ICU has a converter by this name.
    public static func exists(_ name: String) -> Bool {
        hashi_charset_exists(name) != 0
    }

    /// Why a conversion failed.
    public enum ConversionError: Error, Equatable, Sendable {
        /// A byte sequence that is invalid or unmappable in the charset, at this byte offset.
        case invalidBytes(offset: Int, icuName: String)
        case icu(ICUError)
    }

    /// Converts `bytes` in `charset` to UTF-16; stops at the first invalid sequence.
    public static func toUTF16(_ bytes: UnsafeRawBufferPointer, from charset: String) throws(ConversionError) -> [UInt16] {
        let source = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        var capacity = bytes.count * 2 + 16
        while true {
            var status: Int32 = 0
            var errorOffset: Int64 = -1
            var length: Int32 = 0
            let result = [UInt16](unsafeUninitializedCapacity: capacity) { buffer, count in
                length = hashi_convert_to_utf16(
                    charset, source, Int32(bytes.count), buffer.baseAddress, Int32(capacity), &errorOffset, &status)
                count = Int(min(max(length, 0), Int32(capacity)))
            }
            if status == ICUError.bufferOverflow {
                capacity = max(Int(length), capacity * 2)
                continue
            }
            if !status.isICUSuccess {
                let name = String(cString: hashi_icu_error_name(status))
                if errorOffset >= 0 { throw .invalidBytes(offset: Int(errorOffset), icuName: name) }
                throw .icu(ICUError(code: status, operation: "converting from \(charset)"))
            }
            return result
        }
    }
}
