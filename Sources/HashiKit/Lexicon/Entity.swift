/// What kind of thing an entity is.
public enum EntityType: String, Sendable, CaseIterable, Codable, Comparable {
    /// Organizations, products (chips, models, services, named laws), people, places,
    /// and terms (generic vocabulary); the raw value is the dictionary TSV spelling.
    case org = "ORG"
    case product = "PRODUCT"
    case person = "PERSON"
    case place = "PLACE"
    case term = "TERM"

    /// Orders types in declaration order (ORG, PRODUCT, PERSON, PLACE, TERM), not by name.
    public static func < (a: EntityType, b: EntityType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Which dictionary an entity (or an EDICT entry) comes from, in decreasing precedence.
///
/// A link's origin is a ``LinkSource``, whose first four cases are these; this
/// type stays apart because an entity always has a dictionary behind it — never
/// `latin`, `compound` or `guess` — so that code reading `Entity/source` needs no
/// impossible cases, ``rank`` (precedence) is defined only for dictionaries, and
/// the lexicon image stores it in two bits per entity (its index in `allCases`).
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
    /// What a relation states; the raw value is the dictionary TSV spelling (`made_by`, `works_at`, ...).
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// `made_by`: product → maker; `works_at`: person → organization; `country`:
        /// → country (of activity or nationality); `based_in`: → city or region.
        case madeBy = "made_by"
        case worksAt = "works_at"
        case country
        case basedIn = "based_in"
        /// `subsidiary_of`: → parent organization; `part_of`: → the larger whole (a region's continent).
        case subsidiaryOf = "subsidiary_of"
        case partOf = "part_of"
    }

    /// What the relation states about its entity.
    public var kind: Kind
    /// The ``Entity/id`` of the entity the relation points to.
    public var target: String

    /// Creates a relation; `target` is not checked to name an existing entity (``DictionaryValidator`` does that).
    public init(kind: Kind, target: String) {
        self.kind = kind
        self.target = target
    }
}

/// One dictionary entry: a canonical English entity and its Japanese forms.
public struct Entity: Sendable, Hashable, Codable {
    /// Stable identifier: lowercase ASCII letters, digits and single hyphens (`jensen-huang`;
    /// generic terms start with `t-`, as in `t-foundry`).
    public var id: String
    /// Canonical English name, the form Hashi outputs.
    public var en: String
    /// What kind of thing the entity is.
    public var type: EntityType
    /// Japanese forms, the usual one first.
    public var ja: [String]
    /// English and Latin spellings besides `en`.
    public var aliases: [String]
    /// Wikidata item id (`Q182477`), or nil when the dictionary gives none.
    public var wikidata: String?
    /// Typed links to other entities by id (maker, employer, country, ...).
    public var relations: [Relation]
    /// Cue words whose presence in a document favours this entity.
    public var context: [String]
    /// Which dictionary the entity comes from, which decides precedence.
    public var source: EntitySource
    /// Where the row is (`semiconductors.tsv:12`), for messages.
    public var location: String

    /// Creates an entity; values are taken as given, without the checks ``DictionaryParser`` makes.
    public init(
        id: String, en: String, type: EntityType, ja: [String], aliases: [String] = [], wikidata: String? = nil,
        relations: [Relation] = [], context: [String] = [], source: EntitySource = .curated, location: String = ""
    ) {
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
