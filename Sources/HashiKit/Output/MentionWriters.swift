/// Output formats of `hashi annotate`.
public enum MentionFormat: String, CaseIterable, Sendable {
    /// The text with each mention marked inline: `ファーウェイ[Huawei]は`; unknown terms `[?]`.
    case text
    /// One JSON object per mention.
    case jsonl
}

/// Writes annotated documents.
public final class MentionWriter {
    public let format: MentionFormat
    private let sink: OutputSink
    /// Whether unlinked (unknown katakana) mentions are written.
    public var includeUnlinked: Bool

    public init(format: MentionFormat, sink: OutputSink, includeUnlinked: Bool = true) {
        self.format = format
        self.sink = sink
        self.includeUnlinked = includeUnlinked
    }

    public func write(_ annotated: Linker.Annotated) throws {
        let mentions = annotated.mentions.filter { includeUnlinked || $0.isLinked }
        switch format {
        case .jsonl:
            for mention in mentions { try sink.write(Self.json(mention) + "\n") }
        case .text:
            var next = 0
            for (k, line) in annotated.lines.enumerated() {
                let base = annotated.lineStarts[k]
                var out = ""
                var cursor = line.unicodeScalars.startIndex
                var offset = base
                while next < mentions.count, mentions[next].end <= base + line.unicodeScalars.count {
                    let mention = mentions[next]
                    let end = line.unicodeScalars.index(cursor, offsetBy: mention.end - offset)
                    out.unicodeScalars.append(contentsOf: line.unicodeScalars[cursor..<end])
                    out += "[\(mention.en ?? "?")]"
                    cursor = end
                    offset = mention.end
                    next += 1
                }
                out.unicodeScalars.append(contentsOf: line.unicodeScalars[cursor...])
                try sink.write(out)
            }
            if let last = annotated.lines.last, !last.hasSuffix("\n") { try sink.write(byte: 0x0A) }
        }
    }

    public func finish() throws { try sink.commit() }

    static func json(_ m: Mention) -> String {
        var out = "{\"document\":\(JSON.quoted(m.document)),\"sentence\":\(m.sentence),\"start\":\(m.start),\"end\":\(m.end),"
        out += "\"byte_start\":\(m.byteStart),\"byte_end\":\(m.byteEnd),\"surface\":\(JSON.quoted(m.surface)),"
        out += "\"id\":\(m.id.map(JSON.quoted) ?? "null"),\"en\":\(m.en.map(JSON.quoted) ?? "null"),"
        out += "\"type\":\(m.type.map { JSON.quoted($0.rawValue) } ?? "null"),\"source\":\(JSON.quoted(m.source)),"
        out += "\"match\":\"\(m.match.rawValue)\",\"confidence\":\(m.confidence)}"
        return out
    }
}
