/// A document's text, lines and mentions.
public struct AnnotatedDocument: Sendable {
    /// The document the text was read from (its ``InputDocument/name`` is the `document` of each mention).
    public var document: InputDocument
    /// The original lines (terminators included).
    public var lines: [String]
    /// Scalar offset of each line in the document.
    public var lineStarts: [Int]
    /// UTF-8 byte offset of each line in the document.
    public var lineByteStarts: [Int]
    /// The mentions of this text in document order, with scalar and UTF-8 byte offsets into the whole
    /// original document (not into this part).
    public var mentions: [Mention]
    /// Number of sentences with a token other than spaces (the ones `hashi tokenize`
    /// writes; sentence indices also count the others, so they may skip).
    public var sentenceCount: Int = 0
    /// A document larger than the window comes in parts (see
    /// ``Linker/annotate(_:reader:windowBytes:_:)``): the part's number (0 first) and
    /// whether it is the last. A whole document is part 0 and the last.
    public var part = 0
    /// Whether this part ends the document: true for a whole document and for the last part.
    public var isLastPart = true
}
