import Foundation

/// Finds mentions in documents and links them to entities.
///
/// Per line: longest match of dictionary keys over the text, crossing token
/// boundaries (アセンド910C, Ascend 910D, Mate 70 Pro+) but starting and ending
/// on them; typo-tolerant matching of unmatched Latin words; unknown katakana
/// words kept as unlinked mentions. Per document: ambiguous keys are decided by
/// context cues and by relations to entities linked elsewhere in the document
/// (キリン near ファーウェイ is the chip family), short ambiguous forms need such
/// evidence to link at all, and a bare surname after a full name (フアン, フアンCEO,
/// 任氏) links to that person.
///
/// Not thread-safe (owns a tokenizer); one per thread. The lexicon is shared.
public final class Linker {
    /// The entities mentions are matched against and linked to, shared with other linkers.
    public let lexicon: EntityLexicon
    /// The imported EDICT/ENAMDICT index, consulted (at lower priority than the
    /// dictionaries) for katakana words the dictionaries do not know.
    public let edict: EdictIndex?
    private let tokenizer: Tokenizer
    private let detector: MentionDetector
    private let resolver: MentionResolver
    typealias Candidate = MentionDetector.Candidate
    typealias Scratch = MentionDetector.Scratch
    typealias LineFindings = MentionDetector.LineFindings
    private var scratches: [Scratch] = [Scratch()]

    /// Whether ``Annotated/lines`` is filled (the inline text format needs the
    /// lines; the JSON format does not, and saves the copy).
    public var keepsLines = true

    /// Segmentation threads for documents (see ``Tokenizer/threads``); more threads also
    /// resolve a document's lines in parallel chunks.
    public var threads: Int {
        get { tokenizer.threads }
        set { tokenizer.threads = newValue }
    }

    /// A linker over `lexicon`, consulting `edict` (when given) for katakana words the dictionaries lack.
    /// - Throws: ``ICUError`` when the built-in long-unit tokenizer cannot open its ICU break iterators.
    public init(lexicon: EntityLexicon, edict: EdictIndex? = nil) throws {
        self.lexicon = lexicon
        self.edict = edict
        self.tokenizer = try Tokenizer.builtin(unit: .long)
        self.detector = MentionDetector(lexicon: lexicon, edict: edict)
        self.resolver = MentionResolver(detector: detector)
    }

    // MARK: Per-document state

    /// A document's text, lines and mentions (see ``AnnotatedDocument``).
    public typealias Annotated = AnnotatedDocument

    /// Annotates one document read through `reader`.
    public func annotate(_ document: InputDocument, reader: DocumentReader) throws -> Annotated {
        var whole: Annotated?
        try annotate(document, reader: reader, windowBytes: .max) { whole = $0 }
        return whole!
    }

    /// Annotates one document read through `reader`, handing it to `body` in parts
    /// of about `windowBytes` of text (whole lines), so that memory holds one part
    /// and a compact state, whatever the document's size. Each part is resolved
    /// with the evidence (anchored entities, context cues) of the document up to
    /// its end, and coreference runs on across parts: a document within one window
    /// gets exactly the whole-document annotation.
    public func annotate(
        _ document: InputDocument, reader: DocumentReader, windowBytes: Int,
        _ body: (Annotated) throws -> Void
    ) throws {
        var state = DocumentState()
        var carry = Carry()
        var part = 0
        var bytes = 0
        while scratches.count < max(1, threads) { scratches.append(Scratch()) }
        let scratches = self.scratches
        state.cuePresent = [Bool](repeating: false, count: lexicon.cueCount)
        func emit(last: Bool) throws {
            let mentions = resolver.resolve(state, carry: &carry, document: document.name, threads: threads)
            try body(
                Annotated(
                    document: document, lines: state.lines, lineStarts: state.lineStarts,
                    lineByteStarts: state.lineByteStarts, mentions: mentions, sentenceCount: state.sentenceCount,
                    part: part, isLastPart: last))
            part += 1
            bytes = 0
            // The cues seen stay: evidence for the parts to come.
            state = DocumentState(cuePresent: state.cuePresent)
        }
        try tokenizer.tokenize(
            document, reader: reader,
            work: { worker, line in
                self.detector.collect(line, scratch: scratches[worker])
            },
            ordered: { line, findings in
                self.append(line, findings, to: &state)
                bytes += line.buffer.bytes.count
                if bytes >= windowBytes { try emit(last: false) }
            })
        // (An empty last part when the text ended exactly at a window: it says so.)
        try emit(last: true)
    }

    /// What resolution carries from one part of a document to the next.
    struct Carry {
        var anchors = Set<Int32>()
        var coreference = Coreference()
    }

    /// Annotates a string as one document.
    public func annotate(text: String, name: String = "<string>") throws -> [Mention] {
        try annotated(text: text, name: name).mentions
    }

    /// Annotates a string as one document (on the calling thread), with its lines.
    public func annotated(text: String, name: String = "<string>") throws -> Annotated {
        var state = DocumentState()
        state.cuePresent = [Bool](repeating: false, count: lexicon.cueCount)
        try tokenizer.forEachLine(in: text, documentName: name) { line in
            let relative = SegmentedLine(buffer: line.buffer, piece: line.piece, scalarBase: 0, byteBase: 0, sentenceBase: 0)
            self.append(line, self.detector.collect(relative, scratch: scratches[0]), to: &state)
        }
        return Annotated(
            document: InputDocument(name: name, path: nil), lines: state.lines, lineStarts: state.lineStarts,
            lineByteStarts: state.lineByteStarts, mentions: resolver.resolve(state, document: name, threads: threads),
            sentenceCount: state.sentenceCount)
    }

    /// Adds a line's candidates (offsets relative to the line) to the document.
    private func append(_ line: SegmentedLine, _ findings: LineFindings, to state: inout DocumentState) {
        if keepsLines { state.lines.append(String(decoding: line.buffer.bytes, as: UTF8.self)) }
        state.lineStarts.append(line.scalarBase)
        state.lineByteStarts.append(line.byteBase)
        var sentenceStart = 0
        for end in line.piece.sentenceEnds {
            if line.piece.spans[sentenceStart..<end].contains(where: { $0.script != .space }) { state.sentenceCount += 1 }
            sentenceStart = end
        }
        for cue in findings.cues { state.cuePresent[Int(cue)] = true }
        // Offsets stay relative to the line (made absolute when mentions are made).
        state.lineCandidates.append(findings.candidates)
        state.lineSentenceBases.append(line.sentenceBase)
    }

    struct DocumentState {
        /// Each line's candidates, offsets relative to the line.
        var lineCandidates: [[Candidate]] = []
        var lineSentenceBases: [Int] = []
        /// Which context cues (``EntityLexicon/cueIDs``) occur in the document.
        var cuePresent: [Bool] = []
        var lines: [String] = []
        var lineStarts: [Int] = []
        var lineByteStarts: [Int] = []
        var sentenceCount = 0
    }
}
