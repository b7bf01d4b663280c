/// XML escaping for the writers (GraphML, TBX).
enum XML {
    /// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if !isAllowed(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a character may appear in XML 1.0 text that renderers and parsers
    /// accept: not a control character (C0 but tab and line breaks, DEL, C1) and not a
    /// noncharacter (U+FDD0…U+FDEF, U+FFFE and U+FFFF of every plane).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v == 0x09 || v == 0x0A || v == 0x0D }
        if v >= 0x7F && v <= 0x9F { return false }
        if v >= 0xFDD0 && v <= 0xFDEF { return false }
        return v & 0xFFFE != 0xFFFE
    }
}
