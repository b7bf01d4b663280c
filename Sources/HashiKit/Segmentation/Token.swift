/// A word of the input with its positions in the **original** text.
///
/// Offsets are Unicode scalar offsets (`start..<end`) and UTF-8 byte offsets
/// (`byteStart..<byteEnd`) into the decoded input document, so that
/// `original.unicodeScalars[start..<end]` is `surface`. A byte order mark is not
/// part of the text; for UTF-8 input without one, byte offsets are file offsets.
/// Input decoded from another encoding (Shift_JIS, EUC-JP, UTF-16, ...) is counted
/// in its decoded (UTF-8) form. Error messages give offsets in the file as read.
public struct Token: Sendable, Hashable, Codable {
    /// The text exactly as it appears in the input.
    public var surface: String
    /// NFKC plus Hashi's katakana folding (see ``TextBuffer``).
    public var normalized: String
    /// The class of the token's characters (kanji, katakana, Latin, ...), from its normalized form.
    public var script: ScriptClass
    /// Start of the token in the original text, in Unicode scalars (inclusive).
    public var start: Int
    /// End of the token in the original text, in Unicode scalars (exclusive).
    public var end: Int
    /// Start of the token in the original text, in UTF-8 bytes (inclusive).
    public var byteStart: Int
    /// End of the token in the original text, in UTF-8 bytes (exclusive).
    public var byteEnd: Int
    /// For a ・-joined katakana compound (ジェンスン・フアン) or a dictionary term made
    /// of several short units: the short units it is made of, dots included. Empty otherwise.
    public var parts: [Token]

    /// Creates a token from its parts as given; the offsets are not checked against `surface`.
    public init(
        surface: String, normalized: String, script: ScriptClass, start: Int, end: Int,
        byteStart: Int, byteEnd: Int, parts: [Token] = []
    ) {
        self.surface = surface
        self.normalized = normalized
        self.script = script
        self.start = start
        self.end = end
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.parts = parts
    }

    /// Whether the token is whitespace or a line break (``ScriptClass/space``).
    public var isSpace: Bool { script == .space }
    /// Whether the token is made of smaller units listed in ``parts``.
    public var isCompound: Bool { !parts.isEmpty }
}

/// A sentence: its tokens (spaces and line breaks included, so sentences tile
/// the input too) and its position in the document.
public struct Sentence: Sendable, Hashable, Codable {
    /// 0-based index of the sentence in its document.
    public var index: Int
    /// The sentence's tokens in order, spaces and line breaks included.
    public var tokens: [Token]

    /// Creates a sentence from its index in the document and its tokens.
    public init(index: Int, tokens: [Token]) {
        self.index = index
        self.tokens = tokens
    }

    /// The original text of the sentence.
    public var text: String { tokens.map(\.surface).joined() }
    /// Unicode scalar offset where the sentence starts in the original text (0 when it has no tokens).
    public var start: Int { tokens.first?.start ?? 0 }
    /// Unicode scalar offset just past the sentence's last token (0 when it has no tokens).
    public var end: Int { tokens.last?.end ?? 0 }
}
