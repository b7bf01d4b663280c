import Foundation

/// Output formats of `hashi annotate`.
public enum MentionFormat: String, CaseIterable, Sendable {
    /// The text with each mention marked inline: `ファーウェイ[Huawei]は`; unknown terms `[?]`.
    case text
    /// One JSON object per mention.
    case jsonl
}

/// Writes annotated documents.
public final class MentionWriter {
    /// The output format, fixed for the writer's lifetime.
    public let format: MentionFormat
    private let sink: OutputSink
    /// Whether unlinked (unknown katakana) mentions are written.
    public var includeUnlinked: Bool
    /// Threads formatting JSON Lines (output is the same for any number).
    public var threads = 1
    /// English guesses for unlinked katakana terms (the back-transliteration
    /// model), written as `guess`; nil writes none. Called once per distinct
    /// word, on up to ``threads`` threads at once.
    public var guess: (@Sendable (String) -> String?)?
    private var guesses: [String: String] = [:]
    /// Whether the text written so far ends without a line break.
    private var unterminated = false

    private func guessFor(_ mention: Mention) -> String? {
        guard mention.wantsGuess, let guess else { return nil }
        if let known = guesses[mention.normalized] { return known.isEmpty ? nil : known }
        let found = guess(mention.normalized) ?? ""
        if guesses.count < 100_000 { guesses[mention.normalized] = found }
        return found.isEmpty ? nil : found
    }

    /// Creates a writer to `sink`; nothing is written until ``write(_:)``. Not thread-safe:
    /// call it from one thread.
    public init(format: MentionFormat, sink: OutputSink, includeUnlinked: Bool = true) {
        self.format = format
        self.sink = sink
        self.includeUnlinked = includeUnlinked
    }

    /// Writes one annotated document's mentions (without unlinked ones unless ``includeUnlinked``).
    ///
    /// The text format reproduces the document's lines with each mention marked, so the
    /// annotation must carry its lines (``Linker/keepsLines``); JSON Lines writes one
    /// object per mention, offsets in Unicode scalars and UTF-8 bytes. Throws
    /// ``OutputSink/WriteError`` if writing fails (output is buffered, so a failure may
    /// surface on a later call or in ``finish()``).
    public func write(_ annotated: AnnotatedDocument) throws {
        let mentions = includeUnlinked ? annotated.mentions : annotated.mentions.filter(\.isLinked)
        // Guesses first (the words not guessed yet in parallel, then cached), so
        // formatting can run in parallel too.
        var guessed: [Int: String] = [:]
        if let guess {
            var missing: [String] = []
            var seen = Set<String>()
            for mention in mentions where mention.wantsGuess && guesses[mention.normalized] == nil {
                if seen.insert(mention.normalized).inserted { missing.append(mention.normalized) }
            }
            if missing.count > 1 && threads > 1 {
                let found = OrderedParallelMap(workers: min(threads, missing.count)).map(missing) { _, word in guess(word) ?? "" }
                for (word, english) in zip(missing, found) where guesses.count < 100_000 { guesses[word] = english }
            }
            for (k, mention) in mentions.enumerated() where mention.wantsGuess {
                if let g = guessFor(mention), g != mention.en?.lowercased() { guessed[k] = g }
            }
        }
        switch format {
        case .jsonl:
            // Chunks of mentions are formatted in parallel, a few per thread at a time
            // (bounded memory), and written in order.
            let chunk = 4096
            let chunks = (mentions.count + chunk - 1) / chunk
            let guessed = guessed
            try OrderedParallelMap(workers: min(threads, chunks)).run(
                over: 0..<chunks,
                transform: { _, k in
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(chunk * 200)
                    let from = k * chunk, to = min(mentions.count, from + chunk)
                    for index in from..<to {
                        Self.appendJSON(mentions[index], guess: guessed[index], to: &bytes)
                        bytes.append(0x0A)
                    }
                    return bytes
                },
                consume: { bytes in try bytes.withUnsafeBufferPointer { try sink.write($0) } })
        case .text:
            var next = 0
            var out: [UInt8] = []
            for (k, line) in annotated.lines.enumerated() {
                let base = annotated.lineByteStarts[k]
                var utf8 = line
                utf8.withUTF8 { bytes in
                    var cursor = 0
                    while next < mentions.count, mentions[next].byteEnd <= base + bytes.count {
                        let end = mentions[next].byteEnd - base
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<end]))
                        out.append(0x5B)  // [
                        if let en = mentions[next].en {
                            out.append(contentsOf: en.utf8)
                            // A doubtful EDICT sense: the model's guess beside it (マンション[apartment|mansion?]).
                            if let g = guessed[next] { out.append(0x7C); out.append(contentsOf: g.utf8); out.append(0x3F) }
                        } else {
                            // Unknown term: the transliteration guess, marked with ?.
                            if let g = guessed[next] { out.append(contentsOf: g.utf8) }
                            out.append(0x3F)
                        }
                        out.append(0x5D)  // ]
                        cursor = end
                        next += 1
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
                }
                if out.count >= 1 << 16 {
                    try out.withUnsafeBufferPointer { try sink.write($0) }
                    out.removeAll(keepingCapacity: true)
                }
            }
            try out.withUnsafeBufferPointer { try sink.write($0) }
            // The text ends with a line break (after the last part of a document in parts).
            if let last = annotated.lines.last { unterminated = !last.hasSuffix("\n") }
            if annotated.isLastPart && unterminated {
                try sink.write(byte: 0x0A)
                unterminated = false
            }
        }
    }

    /// Flushes the output and commits it (a file output appears only now); call once, after the last document.
    public func finish() throws { try sink.commit() }

    /// Appends a non-negative integer in decimal (or, with `hundredths`, v/100 as 0.95).
    static func appendDecimal(_ value: Int, to out: inout [UInt8], hundredths: Bool = false) {
        var v = value
        if v < 0 { out.append(0x2D); v = -v }
        if hundredths {
            appendDecimal(v / 100, to: &out)
            let r = v % 100
            if r != 0 {
                out.append(0x2E)
                out.append(UInt8(0x30 + r / 10))
                if r % 10 != 0 { out.append(UInt8(0x30 + r % 10)) }
            }
            return
        }
        if v < 10 { out.append(UInt8(0x30 + v)); return }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[count] = UInt8(0x30 + v % 10)
                v /= 10
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[k]) }
        }
    }

    static func appendJSON(_ m: Mention, guess: String? = nil, to out: inout [UInt8]) {
        func raw(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        func int(_ v: Int) { appendDecimal(v, to: &out) }
        func quoted(_ s: String?) {
            if let s { JSON.appendQuoted(s, to: &out) } else { raw("null") }
        }
        raw("{\"document\":"); quoted(m.document)
        raw(",\"sentence\":"); int(m.sentence)
        raw(",\"start\":"); int(m.start)
        raw(",\"end\":"); int(m.end)
        raw(",\"byte_start\":"); int(m.byteStart)
        raw(",\"byte_end\":"); int(m.byteEnd)
        raw(",\"surface\":"); quoted(m.surface)
        raw(",\"id\":"); quoted(m.id)
        raw(",\"en\":"); quoted(m.en)
        raw(",\"type\":"); quoted(m.type?.rawValue)
        raw(",\"source\":"); quoted(m.source.rawValue)
        raw(",\"match\":"); quoted(m.match.rawValue)
        raw(",\"confidence\":"); appendDecimal(Int((m.confidence * 100).rounded()), to: &out, hundredths: true)
        if let guess { raw(",\"guess\":"); quoted(guess) }
        raw("}")
    }

}
