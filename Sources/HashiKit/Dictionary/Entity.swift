/// What kind of thing an entity is.
public enum EntityType: String, Sendable, CaseIterable, Codable, Comparable {
    case org = "ORG", product = "PRODUCT", person = "PERSON", place = "PLACE", term = "TERM"

    public static func < (a: EntityType, b: EntityType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where an entity (or a mention's link) comes from, in decreasing precedence.
public enum EntitySource: String, Sendable, Codable, CaseIterable {
    /// A user dictionary (`--dict`, `HASHI_DICT`).
    case user
    /// Hashi's curated dictionaries (`dictionaries/*.tsv`, built in).
    case curated
    /// The imported EDICT index.
    case edict
    /// The imported ENAMDICT index.
    case enamdict

    var rank: Int {
        switch self {
        case .user: 0
        case .curated: 1
        case .edict: 2
        case .enamdict: 3
        }
    }
}

/// A typed link from one entity to another (a product's maker, a person's employer).
public struct Relation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case madeBy = "made_by", worksAt = "works_at", country, basedIn = "based_in"
        case subsidiaryOf = "subsidiary_of", partOf = "part_of"
    }

    public var kind: Kind
    public var target: String

    public init(kind: Kind, target: String) {
        self.kind = kind
        self.target = target
    }
}

/// One dictionary entry: a canonical English entity and its Japanese forms.
public struct Entity: Sendable, Hashable, Codable {
    public var id: String
    public var en: String
    public var type: EntityType
    /// Japanese forms, the usual one first.
    public var ja: [String]
    /// English and Latin spellings besides `en`.
    public var aliases: [String]
    public var wikidata: String?
    public var relations: [Relation]
    /// Cue words whose presence in a document favours this entity.
    public var context: [String]
    public var source: EntitySource
    /// Where the row is (`semiconductors.tsv:12`), for messages.
    public var location: String

    public init(id: String, en: String, type: EntityType, ja: [String], aliases: [String] = [], wikidata: String? = nil,
                relations: [Relation] = [], context: [String] = [], source: EntitySource = .curated, location: String = "") {
        self.id = id
        self.en = en
        self.type = type
        self.ja = ja
        self.aliases = aliases
        self.wikidata = wikidata
        self.relations = relations
        self.context = context
        self.source = source
        self.location = location
    }
}
