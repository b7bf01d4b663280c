/// Where a link or a look-up hit comes from: one of the dictionaries, or what
/// Hashi made up when none had the word. ``Mention/source``, ``LookupHit/source``
/// and ``Glossary/Entry/source`` all use it; the raw value is the spelling every
/// output writes (text, JSON, CSV, TBX, XLSX and the server's JSON).
///
/// The first four cases are the dictionary origins of ``EntitySource``, in the
/// same order.
public enum LinkSource: String, Sendable, Codable, CaseIterable {
    /// A user dictionary (`--dict`, `HASHI_DICT`).
    case user
    /// Hashi's curated dictionaries (`dictionaries/*.tsv`, built in).
    case curated
    /// The imported EDICT index.
    case edict
    /// The imported ENAMDICT index.
    case enamdict
    /// A mention linked by a Latin spelling within a small edit distance of a
    /// dictionary name (Huaweii → Huawei, ``MatchKind/fuzzy``). Mentions only: a
    /// glossary entry and a look-up hit name the entity's dictionary instead.
    case latin
    /// An unknown compound whose English is told by its known words (mentions and glossary entries).
    case compound
    /// Nothing known: an unlinked mention, or the transliteration model's guess for a look-up.
    case guess

    /// The source of a link to an entity from `source`.
    public init(_ source: EntitySource) {
        switch source {
        case .user: self = .user
        case .curated: self = .curated
        case .edict: self = .edict
        case .enamdict: self = .enamdict
        }
    }

    /// Whether the link comes from an imported EDICT or ENAMDICT entry (whose other English are glosses, not aliases).
    public var isEdict: Bool { self == .edict || self == .enamdict }
}

/// How a mention or a look-up query met what it is linked to. ``Mention/match``
/// and ``LookupHit/match`` both use it; the raw value is the spelling every output writes.
///
/// Two cases name "nothing known" because the two outputs have always spelled it
/// differently: a mention is ``unknown``, a look-up answer ``guess``.
public enum MatchKind: String, Sendable, Codable, CaseIterable {
    /// The normalized surface (or the query) is a form exactly as a dictionary writes it.
    case exact
    /// The match key (spelling variants folded) is a dictionary form's key
    /// (ﾌｧｰｳｪｲ, ファーウエイ, nvidia, Harmony OS).
    case variant
    /// A Latin spelling within a small edit distance of a Latin name (Huaweii → Huawei).
    case fuzzy
    /// A Latin query that spells the romaji of a kana form (fāuei, faauei); look-ups only.
    case romaji
    /// A surname after the person's full name in the same document; mentions only.
    case coreference
    /// Nothing known: the transliteration model's guess for a katakana word; look-ups only.
    case guess
    /// An unknown katakana word: not linked; mentions only.
    case unknown
}
