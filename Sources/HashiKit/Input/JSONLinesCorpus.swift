import Foundation

/// A corpus kept one document a line: JSON Lines of `{"id": ..., "text": ...}`
/// (`id` a string or a number; other members are ignored).
public enum JSONLinesCorpus {
    /// Whether a path names a JSON Lines corpus (by its extension).
    public static func isJSONLines(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "jsonl" || ext == "ndjson"
    }

    /// Calls `body` with each record's id and text, in file order. Blank lines are
    /// skipped; a line that is not such an object is an error naming file and line.
    public static func forEachRecord(path: String, _ body: (String, String) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError.unreadable(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        var carry = Data()
        var lineNumber = 0
        func handleLine(_ line: Data) throws {
            lineNumber += 1
            var line = line
            if line.last == 0x0D { line.removeLast() }
            if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                throw InputError.badJSONLine(path: path, line: lineNumber, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String else {
                throw InputError.badJSONLine(path: path, line: lineNumber, reason: "no \"text\" string")
            }
            let id: String
            switch object["id"] {
            case let s as String: id = s
            case let n as NSNumber: id = n.stringValue
            case nil: id = "\(path):\(lineNumber)"
            default: throw InputError.badJSONLine(path: path, line: lineNumber, reason: "\"id\" is neither a string nor a number")
            }
            try body(id, text)
        }
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            carry.append(chunk)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: 0x0A) {
                try handleLine(carry[start..<newline])
                start = newline + 1
            }
            carry = Data(carry[start...])
        }
        if !carry.isEmpty { try handleLine(carry) }
    }
}
