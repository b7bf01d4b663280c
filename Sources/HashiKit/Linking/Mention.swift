/// A term or name found in a document, linked to an entity or not.
public struct Mention: Sendable, Hashable, Codable {
    /// The input path as given, or `-` for standard input.
    public var document: String
    /// 0-based sentence index in the document.
    public var sentence: Int
    /// Unicode scalar offsets in the original document.
    public var start: Int
    /// End of the mention in the original document, in Unicode scalars (exclusive).
    public var end: Int
    /// UTF-8 byte offsets in the original document.
    public var byteStart: Int
    /// End of the mention in the original document, in UTF-8 bytes (exclusive).
    public var byteEnd: Int
    /// The text exactly as in the input.
    public var surface: String
    /// The normalized surface (NFKC and Hashi's folding).
    public var normalized: String
    /// The linked entity, or nil for an unknown term.
    public var id: String?
    /// English for the link: the entity's canonical name, or an EDICT/ENAMDICT gloss; nil when unlinked.
    public var en: String?
    /// The linked entity's type, or nil when unlinked.
    public var type: EntityType?
    /// Where the link comes from: a dictionary, ``LinkSource/latin`` (a fuzzy Latin match),
    /// ``LinkSource/compound`` (an unknown compound told by its known words) or ``LinkSource/guess`` (unlinked).
    public var source: LinkSource
    /// How the surface was matched to the entity (``MatchKind/unknown`` when unlinked).
    public var match: MatchKind
    /// 0...1: how sure Hashi is of the link.
    public var confidence: Double

    /// Whether the mention is linked to an entity (``id`` is not nil).
    public var isLinked: Bool { id != nil }

    /// Whether writers add the transliteration model's guess: for unknown terms,
    /// and beside an EDICT English that the katakana word was not plausibly
    /// borrowed from (low confidence: マンション → apartment, or mansion?).
    public var wantsGuess: Bool { id == nil || (source == .edict && confidence < 0.5) }
}
