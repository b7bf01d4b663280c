/// The one reader of Hashi's tab-separated files (dictionaries, common words,
/// segmentation words and rules): rows are lines split on LF (a CR before the LF
/// is dropped, so CRLF files read like LF ones), fields are split on TAB, and
/// empty lines and lines starting with `#` are comments. Line numbers count
/// every line from 1, comments included, for messages.
enum TSV {
    /// A row of a text: its 1-based line number, the line (without its end), and its fields.
    struct Row {
        var line: Int
        var text: Substring
        var fields: [Substring] { Self.split(text) }

        /// The fields of one line of text.
        static func split(_ text: Substring) -> [Substring] { text.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    /// The rows of `text`.
    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var line = 0
        // "\r\n" is one Character: split on both, so that CRLF files read like LF ones.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            line += 1
            var text = raw
            if text.hasSuffix("\r") { text = text.dropLast() }
            if text.isEmpty || text.hasPrefix("#") { continue }
            rows.append(Row(line: line, text: text))
        }
        return rows
    }

    /// Calls `body` with the byte range of every row of `bytes` (the line without
    /// its LF or CRLF; comments and empty lines skipped), in order.
    static func forEachRow(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (_ row: Range<Int>) throws -> Void) rethrows {
        var i = 0
        while i < bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > i && bytes[end - 1] == 0x0D { end -= 1 }
            if end > i && bytes[i] != 0x23 { try body(i..<end) }
            i = next
        }
    }

    /// The end of the row that starts at `start` (its LF or CRLF, or the end of `bytes`).
    static func rowEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// The byte ranges of the fields of a row.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>, _ row: Range<Int>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var start = row.lowerBound
        for k in row where bytes[k] == 0x09 {
            fields.append(start..<k)
            start = k + 1
        }
        fields.append(start..<row.upperBound)
        return fields
    }
}
