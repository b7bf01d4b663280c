import Foundation
import HashiICU

/// The language a look-up answers in.
public enum LookupLanguage: String, Sendable, CaseIterable {
    case en, ja
}

/// A relation of a hit, with the English name of its target when the dictionaries know it.
public struct LookupRelation: Sendable, Hashable {
    /// What the relation states (`made_by`, `works_at`, ...).
    public var kind: Relation.Kind
    /// The dictionary id of the relation's target.
    public var id: String
    /// The target's canonical English name, or nil when no loaded dictionary defines the target id.
    public var en: String?
}

/// One answer to a query.
public struct LookupHit: Sendable {
    /// The dictionary id (nil for EDICT entries and guesses).
    public var id: String?
    /// The English answer: the entity's canonical name, EDICT's chosen gloss, or the model's guess.
    public var en: String
    /// Nil for guesses.
    public var type: EntityType?
    /// Japanese forms, the usual one first.
    public var ja: [String]
    /// Other Latin spellings (dictionaries) and the other glosses (EDICT).
    public var aliases: [String]
    /// The entity's Wikidata QID (`Q160120` for Huawei), or nil when the row has none or the hit is not a dictionary entity.
    public var wikidata: String?
    /// The entity's relations with their targets' names; empty for EDICT entries, guesses and ``TermLookup/Detail/best`` look-ups.
    public var relations: [LookupRelation]
    /// The dictionary the hit comes from (curated, user, EDICT, ENAMDICT) or `guess`.
    public var source: LinkSource
    /// How the query met this hit.
    public var match: MatchKind
    /// What the query met: the dictionary form, the romaji, or the name within the edit distance.
    public var matched: String?
    /// Edit distance of a fuzzy match.
    public var distance: Int?
    /// The model's score of a guess.
    public var score: Double?
}

/// A "did you mean" candidate for a query nothing matched.
public struct LookupSuggestion: Sendable, Hashable {
    /// The entity's dictionary id.
    public var id: String
    /// The entity's canonical English name.
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
    /// The query exactly as given, outer spaces included (they are trimmed only for the look-up).
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
/// 3. for a Latin query, the romaji of the dictionaries' kana forms, then Latin
///    names within a small edit distance (the linker's rule: 1 for 5–9
///    letters, 2 for 10 or more);
/// 4. for a katakana query, ``guess`` when set.
///
/// When nothing but a guess answered, ``LookupResult/suggestions`` holds the
/// dictionary entries whose match keys are closest (both scripts).
/// The indexes behind steps 3 and 4 are built on first need.
///
/// English → Japanese uses the dictionaries only: the EDICT index is keyed by
/// Japanese headwords.
///
/// Not thread-safe (scratch buffers and lazily built indexes); one per thread.
public final class TermLookup {
    /// Guesses English for a katakana word nothing knows: candidates with scores, best first.
    public typealias Guesser = (String) -> [(en: String, score: Double)]

    /// How much of an answer to work out.
    public enum Detail: Sendable {
        /// Every hit with its relations' names, and suggestions for misses.
        case full
        /// The best hit only, without relations, no suggestions: what a batch line shows.
        case best
    }

    /// The dictionaries' lexicon (the one runtime the linker reads too).
    let lexicon: EntityLexicon
    /// The imported EDICT/ENAMDICT index, consulted for Japanese queries the dictionaries miss; nil when none is imported.
    public let edict: EdictIndex?
    /// The transliteration fallback for unknown katakana words (none by default).
    public var guess: Guesser?
    /// At most this many "did you mean" entries.
    public var maxSuggestions = 5
    /// At most this many EDICT/ENAMDICT entries per query (names have many homographs).
    public var maxEdictHits = 8

    private let keys = KeyMaker()
    private var romaji: RomajiIndex?
    private var romajiFailed = false
    private var nearby: SuggestionIndex?
    /// Answers of `.best` look-ups by query and forced language (batches repeat
    /// terms); emptied when it reaches ``bestCacheLimit`` entries.
    private var bestCache: [String: LookupResult] = [:]
    private var bestCacheForced: LookupLanguage?? = .none
    /// Capacity of the cache of ``Detail/best`` answers, in queries: the cache is emptied when it is full; 0 turns it off.
    public var bestCacheLimit = 1 << 16

    /// Look-ups over a lexicon that is already built.
    public init(lexicon: EntityLexicon, edict: EdictIndex? = nil, guess: Guesser? = nil) {
        self.lexicon = lexicon
        self.edict = edict
        self.guess = guess
    }

    /// Look-ups over the built-in dictionaries and the user's (files or directories,
    /// taking precedence): ``Dictionaries/lexicon(userPaths:)``, whose built-in part
    /// is read in place (entities decoded when a query meets them). Throws when a
    /// user dictionary has errors.
    public convenience init(dictionaries userPaths: [String], edict: EdictIndex? = nil, guess: Guesser? = nil) throws {
        self.init(lexicon: try Dictionaries.lexicon(userPaths: userPaths), edict: edict, guess: guess)
    }

    /// Whether the romaji index has been built (it is built on the first Latin query the names miss).
    public var hasBuiltRomajiIndex: Bool { romaji != nil }

    /// The language to answer in when not forced: English when the query has kana or kanji, else Japanese.
    public static func target(of query: String) -> LookupLanguage {
        for scalar in query.unicodeScalars {
            let c = scalar.value
            if (c >= 0x3040 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x31F0 && c <= 0x31FF)
                || CharClass.isKanji(c)
            {
                return .en
            }
        }
        return .ja
    }

    /// Looks up one query.
    public func lookup(_ query: String, to forced: LookupLanguage? = nil, detail: Detail = .full) -> LookupResult {
        guard detail == .best, bestCacheLimit > 0 else { return answer(query, to: forced, detail: detail) }
        if bestCacheForced != .some(forced) {
            bestCache.removeAll(keepingCapacity: true)
            bestCacheForced = .some(forced)
        }
        if let cached = bestCache[query] { return cached }
        let result = answer(query, to: forced, detail: detail)
        if bestCache.count >= bestCacheLimit { bestCache.removeAll(keepingCapacity: true) }
        bestCache[query] = result
        return result
    }

    private func answer(_ query: String, to forced: LookupLanguage?, detail: Detail) -> LookupResult {
        let q = Self.hasOuterSpace(query) ? query.trimmingSpaces : query
        let script = Self.target(of: q)
        let target = forced ?? script
        let all = detail == .full
        var result = LookupResult(query: query, target: target, hits: [], suggestions: [])
        let key = keys.key(of: q)
        guard !key.isEmpty else { return result }
        let japanese = script == .en

        // 1. The dictionaries: exact spellings first.
        let found = lexicon.entities(forKey: key, forms: all)
        if !found.isEmpty {
            var variants: [LookupHit] = []
            for item in found {
                let entity = item.entity, form = item.form
                if Self.isForm(of: entity, q) {
                    result.hits.append(hit(entity, match: .exact, matched: form, detail: detail))
                    if !all { return result }
                } else if all || variants.isEmpty {
                    variants.append(hit(entity, match: .variant, matched: form, detail: detail))
                }
            }
            result.hits += variants.prefix(all ? .max : 1)
            return result
        }

        // 2. EDICT and ENAMDICT, for Japanese script.
        if japanese, let edict {
            let keyString = String(decoding: key, as: UTF16.self)
            for entry in edict.lookup(key: keyString).prefix(all ? maxEdictHits : 1) {
                var ja = [entry.headword]
                if let reading = entry.reading, reading != entry.headword { ja.append(reading) }
                result.hits.append(
                    LookupHit(
                        id: nil, en: entry.english, type: entry.type, ja: ja,
                        aliases: entry.glosses.filter { $0 != entry.english }, wikidata: nil, relations: [],
                        source: LinkSource(entry.source), match: entry.headword == q ? .exact : .variant,
                        matched: entry.headword))
            }
            if !result.hits.isEmpty { return result }
        }

        // 3. Latin: romaji of kana forms, then names within a small edit distance.
        if !japanese {
            if let index = romajiIndex() {
                for (ref, form) in index.lookup(RomajiIndex.fold(q)) {
                    let entity = lexicon.entities[Int(ref)]
                    result.hits.append(hit(entity, match: .romaji, matched: form, detail: detail))
                    if !all { break }
                }
            }
            if result.hits.isEmpty {
                let near = suggestionIndex().fuzzyLatin(key)
                for candidate in near where candidate.distance == near[0].distance {
                    let entity = lexicon.entities[Int(candidate.ref)]
                    var h = hit(entity, match: .fuzzy, matched: candidate.form, detail: detail)
                    h.distance = candidate.distance
                    result.hits.append(h)
                    if !all { break }
                }
            }
            if !result.hits.isEmpty { return result }
        }

        // 4. The transliteration guess for katakana.
        if let guess, Self.isKatakanaWord(key) {
            for candidate in guess(q).prefix(all ? .max : 1) {
                result.hits.append(
                    LookupHit(
                        id: nil, en: candidate.en, type: nil, ja: [q], aliases: [], wikidata: nil, relations: [],
                        source: .guess, match: .guess, matched: nil, distance: nil, score: candidate.score))
            }
        }
        if all { result.suggestions = suggestions(for: key) }
        return result
    }

    // MARK: Hits

    private func hit(_ entity: Entity, match: MatchKind, matched: String?, detail: Detail) -> LookupHit {
        LookupHit(
            id: entity.id, en: entity.en, type: entity.type, ja: entity.ja, aliases: entity.aliases,
            wikidata: entity.wikidata,
            relations: detail == .best
                ? []
                : entity.relations.map {
                    LookupRelation(kind: $0.kind, id: $0.target, en: lexicon.entity(id: $0.target)?.en)
                },
            source: LinkSource(entity.source), match: match, matched: matched)
    }

    /// Whether the query starts or ends with a space (ASCII or U+3000), cheaply.
    private static func hasOuterSpace(_ s: String) -> Bool {
        let u = s.utf8
        guard let first = u.first, let last = u.last else { return false }
        if first == 0x20 || last == 0x20 { return true }
        return (first == 0xE3 && u.starts(with: [0xE3, 0x80, 0x80])) || (last == 0x80 && u.reversed().starts(with: [0x80, 0x80, 0xE3]))
    }

    /// Whether `q` is a form of the entity exactly as written.
    private static func isForm(of entity: Entity, _ q: String) -> Bool {
        entity.en == q || entity.ja.contains(q) || entity.aliases.contains(q)
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

    // MARK: Fallback indexes

    private func romajiIndex() -> RomajiIndex? {
        if let romaji { return romaji }
        if romajiFailed { return nil }
        do {
            romaji = try RomajiIndex(lexicon)
        } catch {
            romajiFailed = true
        }
        return romaji
    }

    private func suggestionIndex() -> SuggestionIndex {
        if let nearby { return nearby }
        let index = SuggestionIndex(lexicon)
        nearby = index
        return index
    }

    /// Dictionary entries whose match key is within a small edit distance of `key`:
    /// 1 for keys of 3–4 units, 2 for 5–8, 3 for longer; none for shorter keys.
    /// Best first: distance, then precedence.
    func suggestions(for key: [UInt16]) -> [LookupSuggestion] {
        let limit = key.count <= 2 ? 0 : key.count <= 4 ? 1 : key.count <= 8 ? 2 : 3
        guard limit > 0, maxSuggestions > 0 else { return [] }
        var best: [Int32: (distance: Int, form: String)] = [:]
        suggestionIndex().search(key, limit: limit) { ref, distance, form in
            if let current = best[ref], current.distance <= distance { return }
            best[ref] = (distance, form)
        }
        var result: [LookupSuggestion] = []
        for (ref, near) in best.sorted(by: { ($0.value.distance, $0.key) < ($1.value.distance, $1.key) }) {
            let entity = lexicon.entities[Int(ref)]
            result.append(
                LookupSuggestion(
                    id: entity.id, en: entity.en, ja: entity.ja.first ?? "", form: near.form,
                    distance: near.distance))
            if result.count == maxSuggestions { break }
        }
        return result
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

    init(_ lexicon: EntityLexicon) throws(ICUError) {
        let romanizer = try Romanizer()
        var seen = Set<String>()
        var lastRef: Int32 = -1
        lexicon.forEachForm(japaneseOnly: true) { ref, form, _, _ in
            guard Self.isKana(form) else { return }
            if ref != lastRef { seen.removeAll(keepingCapacity: true); lastRef = ref }
            let folded = Self.fold(romanizer.romaji(form))
            guard !folded.isEmpty, seen.insert(folded).inserted else { return }
            strict[folded, default: []].append((ref, form))
            loose[Self.collapse(folded), default: []].append((ref, form))
        }
    }

    /// References (and the kana form) whose romaji matches the folded query, strict key first.
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

/// Match keys of every dictionary form, by length, for "did you mean" and for
/// typos of Latin names: bounded edit distance, after a 64-bit character-set
/// signature has skipped most candidates without aligning them (one edit
/// flips at most two bits, so keys whose signatures differ in more than
/// 2 × limit bits are farther than the limit).
final class SuggestionIndex {
    /// The entries of one key length, as parallel arrays (the scans touch only the signatures).
    struct Bucket {
        var signatures: [UInt64] = []
        /// The first two key units, for the fuzzy rule.
        var heads: [UInt32] = []
        var ascii: [Bool] = []
        var refs: [Int32] = []
        var forms: [Int32] = []
        var keyStart: [Int32] = []
    }
    private var buckets: [Bucket] = []
    /// The Latin entries of 5 letters or more again, for the fuzzy rule.
    private var latinBuckets: [Bucket] = []
    private var keyPool: [UInt16] = []
    private var forms: [String] = []
    private var rows: [Int] = []

    init(_ lexicon: EntityLexicon) {
        var seen = Set<[UInt16]>()
        var lastRef: Int32 = -1
        lexicon.forEachForm(japaneseOnly: false) { ref, form, key, _ in
            if ref != lastRef { seen.removeAll(keepingCapacity: true); lastRef = ref }
            guard key.count >= 2, seen.insert(key).inserted else { return }
            while buckets.count <= key.count { buckets.append(Bucket()) }
            buckets[key.count].signatures.append(Self.signature(key))
            buckets[key.count].heads.append(UInt32(key[0]) << 16 | UInt32(key[1]))
            buckets[key.count].ascii.append(key.allSatisfy { $0 < 0x80 })
            buckets[key.count].refs.append(ref)
            buckets[key.count].forms.append(Int32(forms.count))
            buckets[key.count].keyStart.append(Int32(keyPool.count))
            if key.count >= 5 && key.allSatisfy({ $0 < 0x80 }) {
                while latinBuckets.count <= key.count { latinBuckets.append(Bucket()) }
                latinBuckets[key.count].signatures.append(Self.signature(key))
                latinBuckets[key.count].heads.append(UInt32(key[0]) << 16 | UInt32(key[1]))
                latinBuckets[key.count].ascii.append(true)
                latinBuckets[key.count].refs.append(ref)
                latinBuckets[key.count].forms.append(Int32(forms.count))
                latinBuckets[key.count].keyStart.append(Int32(keyPool.count))
            }
            forms.append(form)
            keyPool.append(contentsOf: key)
        }
    }

    static func signature(_ key: [UInt16]) -> UInt64 {
        var s: UInt64 = 0
        for u in key { s |= 1 << (UInt64(u) & 63) }
        return s
    }

    /// Calls `found` with every entry within `limit` of `key`.
    func search(_ key: [UInt16], limit: Int, _ found: (Int32, Int, String) -> Void) {
        let signature = Self.signature(key)
        let lower = max(2, key.count - limit), upper = min(buckets.count - 1, key.count + limit)
        guard lower <= upper else { return }
        for length in lower...upper {
            let bucket = buckets[length]
            for k in 0..<bucket.signatures.count where (bucket.signatures[k] ^ signature).nonzeroBitCount <= 2 * limit {
                let d = distance(key, Int(bucket.keyStart[k]), length, limit: limit)
                if d <= limit { found(bucket.refs[k], d, forms[Int(bucket.forms[k])]) }
            }
        }
    }

    /// The linker's typo rule (``EntityLexicon``'s fuzzy Latin matching): Latin keys
    /// of 5 letters or more, within 1 edit (5–9 letters) or 2 (10 or more), one of
    /// the first two letters kept. Best first (distance, then precedence), one per entity.
    func fuzzyLatin(_ key: [UInt16]) -> [(ref: Int32, distance: Int, form: String)] {
        guard key.allSatisfy({ $0 < 0x80 }), let limit = LatinTypoRule.limit(forLength: key.count) else { return [] }
        let signature = Self.signature(key)
        let first = UInt32(key[0]), second = UInt32(key[1])
        var found: [(ref: Int32, distance: Int, form: String)] = []
        for length in max(5, key.count - limit)...(key.count + limit) where length < latinBuckets.count {
            let bucket = latinBuckets[length]
            for k in 0..<bucket.heads.count {
                let head = bucket.heads[k]
                guard LatinTypoRule.keepsHead(first, second, head >> 16, head & 0xFFFF),
                    (bucket.signatures[k] ^ signature).nonzeroBitCount <= 2 * limit
                else { continue }
                let d = distance(key, Int(bucket.keyStart[k]), length, limit: limit)
                guard d <= limit else { continue }
                let ref = bucket.refs[k]
                if let i = found.firstIndex(where: { $0.ref == ref }) {
                    if d < found[i].distance { found[i] = (ref, d, forms[Int(bucket.forms[k])]) }
                } else {
                    found.append((ref, d, forms[Int(bucket.forms[k])]))
                }
            }
        }
        return found.sorted { ($0.distance, $0.ref) < ($1.distance, $1.ref) }
    }

    private func distance(_ key: [UInt16], _ start: Int, _ length: Int, limit: Int) -> Int {
        keyPool.withUnsafeBufferPointer { pool in
            key.withUnsafeBufferPointer { a in
                boundedDamerau(a, UnsafeBufferPointer(rebasing: pool[start..<(start + length)]), limit: limit, rows: &rows)
            }
        }
    }
}
