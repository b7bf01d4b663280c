import Dispatch
import Foundation
import HashiICU

/// A segmented line of a document, as handed to writers: the buffer, its
/// segmentation, and where the line sits in the document.
public struct SegmentedLine {
    let buffer: TextBuffer
    let piece: SegmentedPiece
    /// Scalar and byte offsets of the line in its document.
    public let scalarBase: Int
    /// UTF-8 byte offset of the line in its document's decoded text (a byte order mark excluded).
    public let byteBase: Int
    /// Index of the line's first sentence in the document.
    public let sentenceBase: Int

    /// Number of sentences in this line.
    public var sentenceCount: Int { piece.sentenceEnds.count }

    /// Materializes the line's sentences (spaces and the line break included).
    public func sentences(romanizer: Romanizer? = nil) -> [Sentence] {
        var result: [Sentence] = []
        var start = 0
        for (k, end) in piece.sentenceEnds.enumerated() {
            let tokens = piece.spans[start..<end].map { token(for: $0, romanizer: romanizer) }
            if !tokens.isEmpty { result.append(Sentence(index: sentenceBase + k, tokens: tokens)) }
            start = end
        }
        return result
    }

    func token(for span: Span, romanizer: Romanizer?) -> Token {
        let s = Int(span.start), e = Int(span.end)
        let os = Int(buffer.normalizedToScalar[s]), oe = Int(buffer.normalizedToScalar[e])
        let bs = Int(buffer.scalarByteOffset[os]), be = Int(buffer.scalarByteOffset[oe])
        var parts: [Token] = []
        if span.partsCount > 0 {
            let p = Int(span.partsStart)
            parts = piece.parts[p..<(p + Int(span.partsCount))].map { token(for: $0, romanizer: romanizer) }
        }
        return Token(
            surface: String(decoding: buffer.bytes[bs..<be], as: UTF8.self),
            normalized: String(decoding: buffer.normalized[s..<e], as: UTF16.self),
            script: span.script,
            start: scalarBase + os, end: scalarBase + oe,
            byteStart: byteBase + bs, byteEnd: byteBase + be,
            parts: parts)
    }

    /// Calls `body` with the original UTF-8 bytes of each non-space token.
    func forEachWordBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        buffer.bytes.withUnsafeBufferPointer { bytes in
            for span in piece.spans where span.script != .space {
                let os = Int(buffer.normalizedToScalar[Int(span.start)])
                let oe = Int(buffer.normalizedToScalar[Int(span.end)])
                let bs = Int(buffer.scalarByteOffset[os]), be = Int(buffer.scalarByteOffset[oe])
                body(UnsafeBufferPointer(rebasing: bytes[bs..<be]))
            }
        }
    }
}

/// An ICU failure while tokenizing a document (input problems are ``InputError``s).
public enum TokenizeError: Error, CustomStringConvertible {
    /// ICU failed while segmenting the document named `document`.
    case icu(document: String, ICUError)

    /// One line: the document's name, then ICU's error.
    public var description: String {
        switch self {
        case .icu(let document, let error): "\(document): \(error)"
        }
    }
}

/// The library's entry point for segmentation: text or documents in, sentences
/// and tokens out, with offsets into the original input.
///
/// ```swift
/// let tokenizer = try Tokenizer()
/// for token in try tokenizer.tokens(in: "ファーウェイのAscend 910C") { print(token.surface) }
/// ```
/// Not thread-safe; create one per thread (they share ICU's loaded data).
public final class Tokenizer {
    /// The segmenter doing the work; its settings (unit, lexicon, rules, ``Segmenter/findsSentences``) apply to every call.
    public let segmenter: Segmenter
    private let buffer = TextBuffer()
    private var piece = SegmentedPiece()

    /// A tokenizer with an explicit lexicon and rules (none by default).
    public init(
        unit: SegmentationUnit = .long, lexicon: SegmentationLexicon = SegmentationLexicon(),
        rules: ResegmentationRules = ResegmentationRules()
    ) throws(ICUError) {
        segmenter = try Segmenter(unit: unit, lexicon: lexicon, rules: rules)
    }

    /// A tokenizer with Hashi's built-in lexicon and rules for `unit`.
    public static func builtin(unit: SegmentationUnit = .long) throws(ICUError) -> Tokenizer {
        try Tokenizer(
            unit: unit, lexicon: BuiltinLexicon.lexicon(for: unit),
            rules: unit == .short ? BuiltinLexicon.hiraganaRules : ResegmentationRules())
    }

    /// All sentences of `text`, offsets counted from its start.
    public func sentences(in text: String, romanizer: Romanizer? = nil) throws -> [Sentence] {
        var result: [Sentence] = []
        try forEachLine(in: text) { line in result.append(contentsOf: line.sentences(romanizer: romanizer)) }
        return result
    }

    /// Segments `text` line by line; offsets count from its start. `documentName`
    /// names the text in errors.
    public func forEachLine(
        in text: String, documentName: String = "<string>",
        _ body: (SegmentedLine) throws -> Void
    ) throws {
        var utf8 = Array(text.utf8)
        var scalarBase = 0, sentenceBase = 0
        try utf8.withUnsafeMutableBufferPointer { all in
            var start = 0
            while start < all.count {
                var stop = start
                while stop < all.count && all[stop] != 0x0A { stop += 1 }
                if stop < all.count { stop += 1 }
                try segmentLine(
                    UnsafeBufferPointer(rebasing: all[start..<stop]), documentName: documentName,
                    byteBase: start, fileOffset: start, scalarBase: scalarBase,
                    sentenceBase: sentenceBase
                ) { line in
                    try body(line)
                    scalarBase += line.buffer.scalars.count
                    sentenceBase += line.sentenceCount
                }
                start = stop
            }
        }
    }

    /// All tokens of `text` (spaces and line breaks included: they tile the text).
    public func tokens(in text: String) throws -> [Token] {
        try sentences(in: text).flatMap(\.tokens)
    }

    /// Segmentation threads for ``tokenize(_:reader:_:)``: 1 segments on the
    /// calling thread; more segment batches of lines in parallel (each thread with
    /// its own ICU iterators) while `body` still sees the lines in order.
    public var threads = 1

    /// Streams a document line by line; `body` sees each segmented line in order,
    /// with offsets counted from the start of the document.
    ///
    /// A line is valid only during its call (its storage is reused for the next line):
    /// keep what you need, e.g. from ``SegmentedLine/sentences(romanizer:)``. With
    /// ``threads`` above 1, lines are segmented in parallel, but `body` is still called
    /// on one thread at a time, in document order.
    ///
    /// Throws ``InputError`` for input that cannot be read or decoded, ``TokenizeError``
    /// when ICU fails, and whatever `body` throws.
    public func tokenize(
        _ document: InputDocument, reader: DocumentReader,
        _ body: (SegmentedLine) throws -> Void
    ) throws {
        if threads > 1 {
            try tokenizeInParallel(document, reader: reader, work: { _, _ in () }, ordered: { line, _ in try body(line) })
            return
        }
        var scalarBase = 0, sentenceBase = 0
        try reader.readLines(of: document) { bytes, origin in
            try segmentLine(
                bytes, documentName: document.name, byteBase: origin.textOffset,
                fileOffset: origin.fileOffset ?? origin.textOffset,
                scalarBase: scalarBase, sentenceBase: sentenceBase
            ) { line in
                try body(line)
                scalarBase += line.buffer.scalars.count
                sentenceBase += line.sentenceCount
            }
        }
    }

    private func segmentLine(
        _ bytes: UnsafeBufferPointer<UInt8>, documentName: String, byteBase: Int, fileOffset: Int,
        scalarBase: Int, sentenceBase: Int,
        _ body: (SegmentedLine) throws -> Void
    ) throws {
        do {
            try buffer.load(bytes)
        } catch {
            switch error {
            case .invalidUTF8(let offset):
                throw InputError.invalidBytes(path: documentName, encoding: "UTF-8", offset: fileOffset + offset)
            case .nulByte(let offset):
                throw InputError.binary(path: documentName, offset: fileOffset + offset)
            }
        }
        do {
            try segmenter.segment(buffer, into: &piece)
        } catch {
            throw TokenizeError.icu(document: documentName, error)
        }
        try body(
            SegmentedLine(
                buffer: buffer, piece: piece, scalarBase: scalarBase, byteBase: byteBase,
                sentenceBase: sentenceBase))
    }

    // MARK: Parallel segmentation

    /// Segmenters of the worker threads (worker k uses element k).
    private var workers: [Segmenter] = []

    /// Like ``tokenize(_:reader:_:)``, with per-line work that may run on worker
    /// threads: `work(worker, line)` sees each line with offsets relative to the
    /// line itself (bases 0) on worker `worker` (0..<threads), and `ordered(line,
    /// result)` then sees the lines in document order with their real offsets.
    func tokenize<T>(
        _ document: InputDocument, reader: DocumentReader,
        work: (Int, SegmentedLine) throws -> T, ordered: (SegmentedLine, T) throws -> Void
    ) throws {
        if threads > 1 {
            try tokenizeInParallel(document, reader: reader, work: work, ordered: ordered)
            return
        }
        try tokenize(document, reader: reader) { line in
            let relative = SegmentedLine(buffer: line.buffer, piece: line.piece, scalarBase: 0, byteBase: 0, sentenceBase: 0)
            try ordered(line, try work(0, relative))
        }
    }

    /// A line segmented on a worker, with the result of the caller's work.
    private struct Segmented<T> {
        let buffer: TextBuffer
        let piece: SegmentedPiece
        let origin: DocumentReader.LineOrigin
        let result: T
    }

    /// Lines are read on a thread of their own, segmented (and `work` done) on the
    /// workers in chunks of up to 64 lines or 64 KiB, and handed to `ordered` on the
    /// calling thread in document order; a few chunks per worker are in flight.
    private func tokenizeInParallel<T>(
        _ document: InputDocument, reader: DocumentReader,
        work: (Int, SegmentedLine) throws -> T, ordered: (SegmentedLine, T) throws -> Void
    ) throws {
        while workers.count < threads {
            let segmenter = try Segmenter(unit: segmenter.unit, lexicon: segmenter.lexicon, rules: segmenter.rules)
            segmenter.findsSentences = self.segmenter.findsSentences
            workers.append(segmenter)
        }
        let segmenters = workers
        let name = document.name
        var scalarBase = 0, sentenceBase = 0
        let map = OrderedParallelMap(workers: threads, chunkCount: 64, chunkCost: 1 << 16)
        try map.run(
            cost: { (line: ([UInt8], DocumentReader.LineOrigin)) in line.0.count },
            produce: { submit in
                try reader.readLines(of: document) { bytes, origin in try submit(([UInt8](bytes), origin)) }
            },
            transform: { (worker, line) throws -> Segmented<T> in
                let (bytes, origin) = line
                let buffer = TextBuffer()
                do throws(TextBuffer.DecodingError) {
                    try bytes.withUnsafeBufferPointer { (bytes) throws(TextBuffer.DecodingError) in try buffer.load(bytes) }
                } catch {
                    let fileOffset = origin.fileOffset ?? origin.textOffset
                    switch error {
                    case .invalidUTF8(let offset):
                        throw InputError.invalidBytes(path: name, encoding: "UTF-8", offset: fileOffset + offset)
                    case .nulByte(let offset):
                        throw InputError.binary(path: name, offset: fileOffset + offset)
                    }
                }
                var piece = SegmentedPiece()
                do throws(ICUError) {
                    try segmenters[worker].segment(buffer, into: &piece)
                } catch {
                    throw TokenizeError.icu(document: name, error)
                }
                let relative = SegmentedLine(buffer: buffer, piece: piece, scalarBase: 0, byteBase: 0, sentenceBase: 0)
                return Segmented(buffer: buffer, piece: piece, origin: origin, result: try work(worker, relative))
            },
            consume: { (segmented: Segmented<T>) in
                let line = SegmentedLine(
                    buffer: segmented.buffer, piece: segmented.piece, scalarBase: scalarBase,
                    byteBase: segmented.origin.textOffset, sentenceBase: sentenceBase)
                try ordered(line, segmented.result)
                scalarBase += line.buffer.scalars.count
                sentenceBase += line.sentenceCount
            })
    }
}

extension TokenizeError: HashiError {}
