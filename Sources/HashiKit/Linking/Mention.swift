/// A term or name found in a document, linked to an entity or not.
public struct Mention: Sendable, Hashable, Codable {
    /// How the mention was matched.
    public enum Match: String, Sendable, Codable {
        /// The normalized surface is a dictionary form.
        case exact
        /// The match key (spelling variants folded) is a dictionary form's key.
        case variant
        /// A Latin spelling within a small edit distance (Huaweii → Huawei).
        case fuzzy
        /// A surname after the person's full name in the same document.
        case coreference
        /// An unknown katakana word: not linked.
        case unknown
    }

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
    /// `curated`, `user`, `edict`, `enamdict`, `latin` (fuzzy Latin match), `compound` (an unknown
    /// compound told by its known words) or `guess` (unlinked).
    public var source: String
    /// How the surface was matched to the entity (``Match/unknown`` when unlinked).
    public var match: Match
    /// 0...1: how sure Hashi is of the link.
    public var confidence: Double

    /// Whether the mention is linked to an entity (``id`` is not nil).
    public var isLinked: Bool { id != nil }

    /// Whether writers add the transliteration model's guess: for unknown terms,
    /// and beside an EDICT English that the katakana word was not plausibly
    /// borrowed from (low confidence: マンション → apartment, or mansion?).
    public var wantsGuess: Bool { id == nil || (source == EntitySource.edict.rawValue && confidence < 0.5) }
}
