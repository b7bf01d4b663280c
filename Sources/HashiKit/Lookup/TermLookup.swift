import Foundation
import HashiICU

/// How a look-up query met its answer.
public enum LookupMatch: String, Sendable, CaseIterable {
    /// The query is a form exactly as a dictionary writes it.
    case exact
    /// The query has the same match key as a form (ﾌｧｰｳｪｲ, ファーウエイ, nvidia, Harmony OS).
    case variant
    /// A Latin query within a small edit distance of a Latin name (Huaweii).
    case fuzzy
    /// A Latin query that spells the romaji of a kana form (fāuei, faauei).
    case romaji
    /// Nothing known: the transliteration model's guess for a katakana word.
    case guess
}

/// The language a look-up answers in.
public enum LookupLanguage: String, Sendable, CaseIterable {
    case en, ja
}

/// Where a look-up hit comes from.
public enum LookupSource: String, Sendable, CaseIterable {
    case user, curated, edict, enamdict, guess

    init(_ source: EntitySource) {
        switch source {
        case .user: self = .user
        case .curated: self = .curated
        case .edict: self = .edict
        case .enamdict: self = .enamdict
        }
    }
}

/// A relation of a hit, with the English name of its target when the dictionaries know it.
public struct LookupRelation: Sendable, Hashable {
    public var kind: Relation.Kind
    public var id: String
    public var en: String?
}

/// One answer to a query.
public struct LookupHit: Sendable {
    /// The dictionary id (nil for EDICT entries and guesses).
    public var id: String?
    public var en: String
    /// Nil for guesses.
    public var type: EntityType?
    /// Japanese forms, the usual one first.
    public var ja: [String]
    /// Other Latin spellings (dictionaries) and the other glosses (EDICT).
    public var aliases: [String]
    public var wikidata: String?
    public var relations: [LookupRelation]
    public var source: LookupSource
    public var match: LookupMatch
    /// What the query met: the dictionary form, the romaji, or the name within the edit distance.
    public var matched: String?
    /// Edit distance of a fuzzy match.
    public var distance: Int?
    /// The model's score of a guess.
    public var score: Double?
}

/// A "did you mean" candidate for a query nothing matched.
public struct LookupSuggestion: Sendable, Hashable {
    public var id: String
    public var en: String
    /// The entity's usual Japanese form.
    public var ja: String
    /// The dictionary spelling that is close to the query.
    public var form: String
    /// Edit distance between the match keys.
    public var distance: Int
}

/// The answer to one query.
public struct LookupResult: Sendable {
    public var query: String
    /// The language of the answer: English for a Japanese query, Japanese for a Latin one (or forced).
    public var target: LookupLanguage
    /// Best first.
    public var hits: [LookupHit]
    /// Close dictionary entries, when no dictionary or EDICT entry matched.
    public var suggestions: [LookupSuggestion]

    /// Whether a dictionary or EDICT entry answered (a guess does not count).
    public var isFound: Bool { hits.contains { $0.match != .guess } }
}

/// Looks terms up in both directions: Japanese → English and English → Japanese.
///
/// Order of the attempts, stopping at the first that answers:
/// 1. the dictionaries, by ``MatchKey`` (exact spelling or a variant: width,
///    small kana, ウエ/ウェ, a final ー, Latin case and separators);
/// 2. for a query with Japanese script, the imported EDICT/ENAMDICT index;
/// 3. for a Latin query, the romaji of the dictionaries' kana forms (built on
///    first need), then Latin names within a small edit distance;
/// 4. for a katakana query, ``guess`` when set.
///
/// When nothing but a guess answered, ``LookupResult/suggestions`` holds the
/// dictionary entries whose match keys are closest (both scripts).
///
/// English → Japanese uses the dictionaries only: the EDICT index is keyed by
/// Japanese headwords.
///
/// Not thread-safe (scratch buffers and lazily built indexes); one per thread.
public final class TermLookup {
    /// Guesses English for a katakana word nothing knows: candidates with scores, best first.
    public typealias Guesser = (String) -> [(en: String, score: Double)]

    private let catalog: LookupCatalog
    public let edict: EdictIndex?
    /// The transliteration fallback for unknown katakana words (none by default).
    public var guess: Guesser?
    /// At most this many "did you mean" entries.
    public var maxSuggestions = 5
    /// At most this many EDICT/ENAMDICT entries per query (names have many homographs).
    public var maxEdictHits = 8

    private let buffer = TextBuffer()
    private var key: [UInt16] = []
    private var keyMap: [Int32] = []
    private var romaji: RomajiIndex?
    private var romajiFailed = false
    private var nearby: SuggestionIndex?

    /// Look-ups over a lexicon that is already built.
    public convenience init(lexicon: EntityLexicon, edict: EdictIndex? = nil, guess: Guesser? = nil) {
        self.init(catalog: LexiconCatalog(lexicon), edict: edict, guess: guess)
    }

    /// Look-ups over the built-in dictionaries and the user's (files or directories,
    /// taking precedence), with a fast start: rows are indexed as bytes and parsed
    /// when a query meets them (see ``FormIndex``). Throws when a user dictionary
    /// has errors, like ``Dictionaries/lexicon(userPaths:)``.
    public convenience init(dictionaries userPaths: [String], edict: EdictIndex? = nil, guess: Guesser? = nil) throws {
        self.init(catalog: try FormIndex.dictionaries(userPaths: userPaths), edict: edict, guess: guess)
    }

    init(catalog: LookupCatalog, edict: EdictIndex?, guess: Guesser?) {
        self.catalog = catalog
        self.edict = edict
        self.guess = guess
    }

    /// Whether the romaji index has been built (it is built on the first Latin query the names miss).
    public var hasBuiltRomajiIndex: Bool { romaji != nil }

    /// The language to answer in when not forced: English when the query has kana or kanji, else Japanese.
    public static func target(of query: String) -> LookupLanguage {
        for scalar in query.unicodeScalars {
            let c = scalar.value
            if (c >= 0x3040 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x31F0 && c <= 0x31FF)
                || CharClass.isKanji(c) {
                return .en
            }
        }
        return .ja
    }

    /// Looks up one query. `suggest: false` skips the "did you mean" search (batch mode).
    public func lookup(_ query: String, to forced: LookupLanguage? = nil, suggest: Bool = true) -> LookupResult {
        let q = query.trimmingSpaces
        let target = forced ?? Self.target(of: q)
        var result = LookupResult(query: query, target: target, hits: [], suggestions: [])
        buffer.load(q)
        buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &keyMap) }
        guard !key.isEmpty else { return result }
        let japanese = Self.target(of: q) == .en

        // 1. The dictionaries.
        var exact: [LookupHit] = [], variant: [LookupHit] = []
        for entity in catalog.entities(forKey: key) {
            if let form = Self.exactForm(of: entity, q) {
                exact.append(hit(entity, match: .exact, matched: form))
            } else {
                variant.append(hit(entity, match: .variant, matched: Self.variantForm(of: entity, key: key, buffer: buffer)))
            }
        }
        result.hits = exact + variant
        if !result.hits.isEmpty { return result }

        // 2. EDICT and ENAMDICT, for Japanese script.
        if japanese, let edict {
            let keyString = String(decoding: key, as: UTF16.self)
            for entry in edict.lookup(key: keyString).prefix(maxEdictHits) {
                var ja = [entry.headword]
                if let reading = entry.reading, reading != entry.headword { ja.append(reading) }
                result.hits.append(LookupHit(
                    id: nil, en: entry.english, type: entry.type, ja: ja,
                    aliases: entry.glosses.filter { $0 != entry.english }, wikidata: nil, relations: [],
                    source: LookupSource(entry.source), match: entry.headword == q ? .exact : .variant,
                    matched: entry.headword))
            }
            if !result.hits.isEmpty { return result }
        }

        // 3. Latin: romaji of kana forms, then names within a small edit distance.
        if !japanese, let lexicon = catalog.fullLexicon() {
            if let index = romajiIndex(lexicon) {
                let folded = RomajiIndex.fold(q)
                for (entity, form) in index.lookup(folded) {
                    result.hits.append(hit(lexicon.entities[Int(entity)], match: .romaji, matched: form))
                }
            }
            if result.hits.isEmpty, key.allSatisfy({ $0 < 0x80 }) {
                let near = lexicon.fuzzyLatin(key.map { UInt8($0) })
                if let best = near.first?.distance {
                    for candidate in near where candidate.distance == best {
                        let entity = lexicon.entities[Int(candidate.entity)]
                        var h = hit(entity, match: .fuzzy, matched: Self.latinForm(of: entity, near: key))
                        h.distance = best
                        result.hits.append(h)
                    }
                }
            }
            if !result.hits.isEmpty { return result }
        }

        // 4. The transliteration guess for katakana.
        if let guess, Self.isKatakanaWord(buffer.normalized) {
            for candidate in guess(q) {
                result.hits.append(LookupHit(
                    id: nil, en: candidate.en, type: nil, ja: [q], aliases: [], wikidata: nil, relations: [],
                    source: .guess, match: .guess, matched: nil, distance: nil, score: candidate.score))
            }
        }
        if suggest { result.suggestions = suggestions(for: key) }
        return result
    }

    // MARK: Hits

    private func hit(_ entity: Entity, match: LookupMatch, matched: String?) -> LookupHit {
        LookupHit(
            id: entity.id, en: entity.en, type: entity.type, ja: entity.ja, aliases: entity.aliases,
            wikidata: entity.wikidata,
            relations: entity.relations.map { LookupRelation(kind: $0.kind, id: $0.target, en: catalog.entity(id: $0.target)?.en) },
            source: LookupSource(entity.source), match: match, matched: matched)
    }

    private static func exactForm(of entity: Entity, _ q: String) -> String? {
        if entity.en == q || entity.ja.contains(q) || entity.aliases.contains(q) { return q }
        return nil
    }

    /// The dictionary form whose key is `key` (for showing what a variant met).
    private static func variantForm(of entity: Entity, key: [UInt16], buffer: TextBuffer) -> String? {
        var formKey: [UInt16] = [], map: [Int32] = []
        for form in entity.ja + entity.aliases + [entity.en] {
            buffer.load(form)
            buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &formKey, map: &map) }
            if formKey == key { return form }
        }
        return nil
    }

    /// The Latin spelling of `entity` closest to `key`.
    private static func latinForm(of entity: Entity, near key: [UInt16]) -> String? {
        let target = key.map { UInt8($0) }
        var best: (String, Int)? = nil
        for form in [entity.en] + entity.aliases {
            let k = Array(MatchKey.of(form).utf16)
            guard !k.isEmpty, k.allSatisfy({ $0 < 0x80 }) else { continue }
            let d = boundedDamerau(target, k.map { UInt8($0) }, limit: 3)
            if best == nil || d < best!.1 { best = (form, d) }
        }
        return best?.0
    }

    static func isKatakanaWord(_ units: [UInt16]) -> Bool {
        var letter = false
        for u in units {
            let c = UInt32(u)
            if CharClass.isKatakanaLetter(c) { letter = true; continue }
            if c == 0x30FC || c == 0x30FB { continue }
            return false
        }
        return letter
    }

    // MARK: Romaji

    private func romajiIndex(_ lexicon: EntityLexicon) -> RomajiIndex? {
        if let romaji { return romaji }
        if romajiFailed { return nil }
        do {
            romaji = try RomajiIndex(lexicon: lexicon)
        } catch {
            romajiFailed = true
        }
        return romaji
    }

    // MARK: Suggestions

    /// Dictionary entries whose match key is within a small edit distance of `key`:
    /// 1 for keys of 3–4 units, 2 for 5–8, 3 for longer; none for shorter keys.
    /// Best first: distance, then precedence.
    func suggestions(for key: [UInt16]) -> [LookupSuggestion] {
        let limit = key.count <= 2 ? 0 : key.count <= 4 ? 1 : key.count <= 8 ? 2 : 3
        guard limit > 0, maxSuggestions > 0, let lexicon = catalog.fullLexicon() else { return [] }
        if nearby == nil { nearby = SuggestionIndex(lexicon: lexicon) }
        var best: [Int32: (distance: Int, form: String)] = [:]
        nearby!.search(key, limit: limit) { entity, distance, form in
            if let current = best[entity], current.distance <= distance { return }
            best[entity] = (distance, form)
        }
        return best.sorted { a, b in
            (a.value.distance, lexicon.ranks[Int(a.key)], a.key) < (b.value.distance, lexicon.ranks[Int(b.key)], b.key)
        }.prefix(maxSuggestions).map { item in
            let entity = lexicon.entities[Int(item.key)]
            return LookupSuggestion(id: entity.id, en: entity.en, ja: entity.ja.first ?? "", form: item.value.form,
                                    distance: item.value.distance)
        }
    }
}

/// Romaji of the dictionaries' kana forms, for Latin queries that spell Japanese
/// (fāuei, faauei → ファーウェイ). ICU's Hepburn writes long vowels with macrons;
/// both sides are folded the same way: macron and circumflex vowels become
/// doubled vowels (ā → aa, ō → oo), `ou` becomes `oo`, everything but letters
/// and digits is dropped. A looser key also collapses doubled vowels, so that
/// fauei meets fāuei too (tried second).
final class RomajiIndex {
    private var strict: [String: [(Int32, String)]] = [:]
    private var loose: [String: [(Int32, String)]] = [:]

    init(lexicon: EntityLexicon) throws(ICUError) {
        let romanizer = try Romanizer()
        for (index, entity) in lexicon.entities.enumerated() {
            var seen = Set<String>()
            for form in entity.ja where Self.isKana(form) {
                let folded = Self.fold(romanizer.romaji(form))
                guard !folded.isEmpty, seen.insert(folded).inserted else { continue }
                strict[folded, default: []].append((Int32(index), form))
                loose[Self.collapse(folded), default: []].append((Int32(index), form))
            }
        }
    }

    /// Entities (and the kana form) whose romaji matches the folded query, strict key first.
    func lookup(_ folded: String) -> [(Int32, String)] {
        guard !folded.isEmpty else { return [] }
        if let hits = strict[folded] { return hits }
        return loose[Self.collapse(folded)] ?? []
    }

    /// A form worth romanizing: some kana, no kanji (ハーモニーOS yes, 華為 no).
    static func isKana(_ form: String) -> Bool {
        var kana = false
        for scalar in form.unicodeScalars {
            let c = scalar.value
            if CharClass.isKanji(c) { return false }
            if CharClass.isKatakanaLetter(c) || CharClass.isHiragana(c) { kana = true }
        }
        return kana
    }

    /// Lower-case letters and digits; long vowels doubled; ou → oo.
    static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x61...0x7A, 0x30...0x39: out.append(UInt8(v))
            case 0x41...0x5A: out.append(UInt8(v + 0x20))
            case 0x101, 0x100, 0xE2, 0xC2: out += [0x61, 0x61]  // ā Ā â Â
            case 0x12B, 0x12A, 0xEE, 0xCE: out += [0x69, 0x69]  // ī Ī î Î
            case 0x16B, 0x16A, 0xFB, 0xDB: out += [0x75, 0x75]  // ū Ū û Û
            case 0x113, 0x112, 0xEA, 0xCA: out += [0x65, 0x65]  // ē Ē ê Ê
            case 0x14D, 0x14C, 0xF4, 0xD4: out += [0x6F, 0x6F]  // ō Ō ô Ô
            case 0xFF21...0xFF3A: out.append(UInt8(v - 0xFF21 + 0x61))  // full-width Latin
            case 0xFF41...0xFF5A: out.append(UInt8(v - 0xFF41 + 0x61))
            default: continue
            }
            // ō is also written ou: fold it into oo on both sides.
            let n = out.count
            if n >= 2, out[n - 1] == 0x75, out[n - 2] == 0x6F { out[n - 1] = 0x6F }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Doubled vowels collapsed (faauei → fauei).
    static func collapse(_ folded: String) -> String {
        var out: [UInt8] = []
        for b in folded.utf8 {
            if let last = out.last, last == b, b == 0x61 || b == 0x69 || b == 0x75 || b == 0x65 || b == 0x6F { continue }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Match keys of every dictionary form, by length, for "did you mean":
/// bounded edit distance, with a 64-bit character-set signature that skips
/// most candidates without aligning them (one edit flips at most two bits).
final class SuggestionIndex {
    struct Entry {
        var key: [UInt16]
        var signature: UInt64
        var entity: Int32
        var form: String
    }
    private var byLength: [[Entry]] = []

    init(lexicon: EntityLexicon) {
        let buffer = TextBuffer()
        var key: [UInt16] = [], map: [Int32] = []
        for (index, entity) in lexicon.entities.enumerated() {
            var seen = Set<[UInt16]>()
            for form in entity.ja + entity.aliases + [entity.en] {
                buffer.load(form)
                buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &map) }
                guard key.count >= 2, seen.insert(key).inserted else { continue }
                while byLength.count <= key.count { byLength.append([]) }
                byLength[key.count].append(Entry(key: key, signature: Self.signature(key), entity: Int32(index), form: form))
            }
        }
    }

    static func signature(_ key: [UInt16]) -> UInt64 {
        var s: UInt64 = 0
        for u in key { s |= 1 << (UInt64(u) & 63) }
        return s
    }

    func search(_ key: [UInt16], limit: Int, _ found: (Int32, Int, String) -> Void) {
        let signature = Self.signature(key)
        let lower = max(2, key.count - limit), upper = min(byLength.count - 1, key.count + limit)
        guard lower <= upper else { return }
        for length in lower...upper {
            for entry in byLength[length] {
                guard (entry.signature ^ signature).nonzeroBitCount <= 2 * limit else { continue }
                let d = boundedDamerau(key, entry.key, limit: limit)
                if d <= limit { found(entry.entity, d, entry.form) }
            }
        }
    }
}

/// Optimal-string-alignment distance over UTF-16 units, giving up above `limit`.
func boundedDamerau(_ a: [UInt16], _ b: [UInt16], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    let n = a.count, m = b.count
    if n == 0 || m == 0 { return max(n, m) }
    var prev2 = [Int](repeating: 0, count: m + 1)
    var prev = Array(0...m)
    var current = [Int](repeating: 0, count: m + 1)
    for i in 1...n {
        current[0] = i
        var rowMin = current[0]
        for j in 1...m {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            current[j] = v
            rowMin = min(rowMin, v)
        }
        if rowMin > limit { return limit + 1 }
        (prev2, prev, current) = (prev, current, prev2)
    }
    return prev[m]
}
