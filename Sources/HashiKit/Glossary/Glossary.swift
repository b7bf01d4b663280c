import HashiICU

/// The bilingual glossary of a corpus: one entry per linked entity, and one per
/// unknown katakana term (grouped by its match key), with counts, the Japanese
/// surfaces seen, and the first context.
///
/// Aggregation is exact and order-aware, so that glossaries of parts of a corpus
/// merge into the glossary of the whole (``merge(_:)``): counts and document
/// counts add, variants keep their first-seen order, and the first context is the
/// one of the earliest part.
public struct Glossary: Sendable, Equatable {
    /// One spelling of an entry as the documents write it, with the number of mentions spelled so.
    public struct Variant: Sendable, Equatable, Codable {
        /// The mention's text exactly as in the input (not normalized: ﾌｧｰｳｪｲ and ファーウェイ are two variants).
        public var surface: String
        /// The number of mentions with this spelling.
        public var count: Int
        /// A short form standing for the entity: a bare surname after the full
        /// name (coreference), a one-character abbreviation (米, 中), or one part
        /// of a name written with ・. Never the glossary's `ja`.
        public var short = false

        /// A variant of `surface` seen `count` times, a full form unless `short` says otherwise.
        public init(surface: String, count: Int, short: Bool = false) {
            self.surface = surface
            self.count = count
            self.short = short
        }

        enum CodingKeys: String, CodingKey { case surface, count, short }

        /// Reads a variant of the glossary JSON, where a missing `short` means a full form.
        /// - Throws: `DecodingError` when `surface` or `count` is missing or of the wrong type.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            surface = try c.decode(String.self, forKey: .surface)
            count = try c.decode(Int.self, forKey: .count)
            short = try c.decodeIfPresent(Bool.self, forKey: .short) ?? false
        }
    }

    /// One row of the glossary: a linked entity, or an unknown katakana term, with its counts, spellings
    /// and first context across the documents added.
    public struct Entry: Sendable, Equatable {
        /// `id` for linked entities; `guess:` + match key for unknown terms.
        public var key: String
        /// The linked entity's id: a dictionary id, or `edict:`/`enamdict:`/`compound:` plus the word for a link
        /// outside the dictionaries; nil for an unknown term.
        public var id: String?
        /// The English of the link: the entity's canonical name, the EDICT gloss or a compound's composed
        /// English; nil for an unknown term (``GlossaryWriter/guess`` may supply one when writing).
        public var en: String?
        /// The linked entity's type, or nil for an unknown term.
        public var type: EntityType?
        /// Where the link comes from: the entity's dictionary, ``LinkSource/compound``, or ``LinkSource/guess``
        /// for an unknown term (a fuzzy Latin match counts as its entity's dictionary, never ``LinkSource/latin``).
        public var source: LinkSource
        /// The entity's Wikidata QID when its dictionary row has one; nil otherwise.
        public var wikidata: String?
        /// The number of mentions in all documents added.
        public var count = 0
        /// The number of documents with at least one mention (a document added in parts counts once).
        public var documents = 0
        /// Surfaces in first-seen order, with their counts.
        public var variants: [Variant] = []
        /// The first sentence the entry occurs in, shortened around the mention.
        public var context = ""
        /// Sum of the mentions' confidences in hundredths (exact under merge).
        public var confidenceTotal = 0
        /// The dictionary's usual Japanese form (for an EDICT/ENAMDICT link, its
        /// headword); nil for unknown terms.
        public var preferred: String?

        /// The term in Japanese: the full form the mentions use most (normalized:
        /// ﾌｧｰｳｪｲ counts as ファーウェイ, イーロン·マスク as イーロン・マスク, ＧＰＵ as
        /// GPU), in kana or kanji unless the dictionary's usual form is Latin (GPU,
        /// TSMC), ties going to the dictionary's usual form, then to the first
        /// seen; short forms (``Variant/short``) never. Without such a mention,
        /// the dictionary's usual form; for unknown terms, the most frequent spelling.
        public var ja: String { Glossary.canonicalTerm(variants, preferred: preferred) }

        /// Mean confidence of the mentions.
        public var confidence: Double {
            count == 0 ? 0 : (Double(confidenceTotal) / Double(count)).rounded() / 100
        }

        /// Variants, most frequent first (first-seen order among equals).
        public var variantsByCount: [Variant] {
            variants.enumerated().sorted { a, b in
                a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
            }.map(\.element)
        }

        /// Whether the entry is an unknown term, linked to no entity.
        public var isGuess: Bool { id == nil }

        /// Adds `other`'s counts and variants; nil (and nothing changed) when a count
        /// would overflow.
        mutating func absorb(_ other: Entry) -> String? {
            let (sum, o1) = count.addingReportingOverflow(other.count)
            let (docs, o2) = documents.addingReportingOverflow(other.documents)
            let (total, o3) = confidenceTotal.addingReportingOverflow(other.confidenceTotal)
            if o1 { return "count" }
            if o2 { return "documents" }
            if o3 { return "confidence_total" }
            // Variant counts add up to `count`, so they cannot overflow when it does not.
            if other.variants.count <= 8 {
                for variant in other.variants {
                    if let k = variants.firstIndex(where: { $0.surface == variant.surface }) {
                        variants[k].count += variant.count
                        variants[k].short = variants[k].short && variant.short
                    } else {
                        variants.append(variant)
                    }
                }
            } else {
                // Many spellings: a map of this entry's, so that the merge stays linear.
                var position: [String: Int] = [:]
                position.reserveCapacity(variants.count + other.variants.count)
                for (k, variant) in variants.enumerated() where position[variant.surface] == nil { position[variant.surface] = k }
                for variant in other.variants {
                    if let k = position[variant.surface] {
                        variants[k].count += variant.count
                        variants[k].short = variants[k].short && variant.short
                    } else {
                        position[variant.surface] = variants.count
                        variants.append(variant)
                    }
                }
            }
            count = sum
            documents = docs
            confidenceTotal = total
            if context.isEmpty { context = other.context }
            if en == nil || en == "" { en = other.en }
            if preferred == nil { preferred = other.preferred }
            return nil
        }
    }

    /// Entries in first-seen order.
    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    /// Documents aggregated.
    public var documentCount = 0
    /// False when the entries were filtered (such a glossary does not merge exactly).
    public var isComplete = true
    /// Keys already counted in the document being added in parts (empty between documents).
    private var openDocumentKeys = Set<String>()

    /// An empty glossary, of no documents.
    public init() {}

    /// Adds one annotated document. `lexicon` supplies Wikidata ids and sources
    /// for linked entities; `includeUnlinked` keeps unknown katakana terms.
    public mutating func add(_ annotated: AnnotatedDocument, lexicon: EntityLexicon?, includeUnlinked: Bool = true) {
        var document: [String: Int] = [:]  // key → position in `perDocument`
        var perDocument: [Entry] = []
        var entities: [Entity?] = []  // the dictionary entity of each entry in perDocument
        var lineCache = LineCache()
        for mention in annotated.mentions {
            guard mention.isLinked || includeUnlinked else { continue }
            let key: String
            if let id = mention.id {
                key = id
            } else {
                key = "guess:" + MatchKey.of(mention.normalized)
            }
            let confidence = Int((mention.confidence * 100).rounded())
            if let k = document[key] {
                perDocument[k].count += 1
                perDocument[k].confidenceTotal += confidence
                // Whether a spelling is short is worked out once per spelling (and
                // again only while it still looks short).
                if let v = perDocument[k].variants.firstIndex(where: { $0.surface == mention.surface }) {
                    perDocument[k].variants[v].count += 1
                    if perDocument[k].variants[v].short {
                        perDocument[k].variants[v].short = Self.isShortForm(mention, entity: entities[k])
                    }
                } else {
                    perDocument[k].variants.append(
                        Variant(
                            surface: mention.surface, count: 1,
                            short: Self.isShortForm(mention, entity: entities[k])))
                }
                continue
            }
            let entity = mention.id.flatMap { lexicon?.entity(id: $0) }
            let short = Self.isShortForm(mention, entity: entity)
            var entry = Entry(key: key, id: mention.id, en: mention.en, type: mention.type, source: mention.source)
            if let entity {
                entry.source = LinkSource(entity.source)
                entry.wikidata = entity.wikidata
                entry.preferred = entity.ja.first
            } else if mention.source == .latin {
                entry.source = .curated
            }
            if entry.preferred == nil, let id = mention.id, let colon = id.firstIndex(of: ":") {
                entry.preferred = String(id[id.index(after: colon)...])  // edict:ヘッドワード
            }
            entry.count = 1
            entry.documents = 1
            entry.confidenceTotal = confidence
            entry.variants = [Variant(surface: mention.surface, count: 1, short: short)]
            if index[key] == nil { entry.context = Self.context(of: mention, in: annotated, cache: &lineCache) }
            document[key] = perDocument.count
            perDocument.append(entry)
            entities.append(entity)
        }
        // A document in parts (AnnotatedDocument.part) counts once, and so does each
        // entry in it.
        if annotated.part == 0 { openDocumentKeys.removeAll() }
        let inParts = annotated.part > 0 || !annotated.isLastPart
        for var entry in perDocument {
            if inParts && !openDocumentKeys.insert(entry.key).inserted { entry.documents = 0 }
            // Counts of one document's mentions cannot overflow.
            try! absorb(entry)
        }
        if annotated.part == 0 { documentCount += 1 }
        if annotated.isLastPart { openDocumentKeys.removeAll() }
    }

    /// A merge whose sums do not fit in a 64-bit count.
    public struct MergeError: Error, CustomStringConvertible, Sendable {
        /// The entry's key and the field that overflowed.
        public let key: String
        /// The field whose sum overflowed, as the JSON spells it (`count`, `documents`, `confidence_total`).
        public let field: String
        /// The error as one line, naming the entry's key and the field.
        public var description: String { "entry \"\(key)\": \(field) overflows when merged" }
    }

    /// Adds `other`'s entries after this glossary's (as if its documents came after).
    /// Throws, having merged only part of `other`, when a sum overflows.
    public mutating func merge(_ other: Glossary) throws(MergeError) {
        let (documents, overflow) = documentCount.addingReportingOverflow(other.documentCount)
        if overflow { throw MergeError(key: "(glossary)", field: "documents") }
        for entry in other.entries { try absorb(entry) }
        documentCount = documents
        isComplete = isComplete && other.isComplete
    }

    mutating func absorb(_ entry: Entry) throws(MergeError) {
        if let k = index[entry.key] {
            if let field = entries[k].absorb(entry) { throw MergeError(key: entry.key, field: field) }
        } else {
            index[entry.key] = entries.count
            entries.append(entry)
        }
    }

    /// Builds a glossary from entries (read back from JSON).
    init(entries: [Entry], documentCount: Int, isComplete: Bool) throws(MergeError) {
        for entry in entries { try absorb(entry) }
        self.documentCount = documentCount
        self.isComplete = isComplete
    }

    // MARK: Forms

    /// The term in Japanese for an entity seen with these spellings (see
    /// ``Entry/ja``). `japaneseScript` wants kana or kanji whenever the corpus
    /// offers them, whatever script the dictionary writes first: the entity
    /// graph's bilingual labels (TSMC / 台湾積体電路製造).
    static func canonicalTerm(_ variants: [Variant], preferred: String?, japaneseScript: Bool = false) -> String {
        // A dictionary that writes the name in kana or kanji first (ファーウェイ
        // before Huawei) wants a Japanese term; one that writes it in Latin first
        // (GPU, TSMC) takes the spelling the corpus uses most, Latin or not.
        let preferred = preferred.map(Glossary.display)
        let japaneseOnly = japaneseScript || (preferred.map { $0.unicodeScalars.contains(where: CharClass.isJapaneseScript) } ?? true)
        var counts: [String: Int] = [:]
        var order: [String] = []
        for variant in variants where !variant.short {
            // A spelling with brackets is a phrase; its term drops a bracketed gloss
            // and keeps a bracketed number: 麒麟（Kirin）9000S and 麒麟(9000S) are 麒麟9000S.
            guard let form = Glossary.unbracketed(Glossary.display(variant.surface)) else { continue }
            if japaneseOnly && !form.unicodeScalars.contains(where: CharClass.isJapaneseScript) { continue }
            if counts[form] == nil { order.append(form) }
            counts[form, default: 0] += variant.count
        }
        var best: String? = nil
        for form in order {
            guard let current = best else { best = form; continue }
            if counts[form]! > counts[current]! || (counts[form]! == counts[current]! && form == preferred) { best = form }
        }
        if let best { return best }
        if let preferred { return preferred }
        var most = variants[0]
        for variant in variants.dropFirst() where variant.count > most.count { most = variant }
        return Glossary.display(most.surface)
    }

    /// Whether a mention is a short form of its entity: a bare surname standing
    /// for a person (coreference), one character (米 for the United States), or
    /// one part of the entity's ・-joined name (フアン of ジェンスン・フアン).
    static func isShortForm(_ mention: Mention, entity: Entity?) -> Bool {
        guard mention.id != nil else { return false }
        if mention.match == .coreference { return true }
        if mention.normalized.unicodeScalars.count == 1 { return true }
        guard let entity, !mention.normalized.unicodeScalars.contains("・") else { return false }
        return entity.ja.contains { form in
            form.unicodeScalars.contains("・") && form.split(separator: "・").contains { $0 == mention.normalized }
        }
    }

    /// A spelling as a term is written: NFKC with Hashi's folding (full-width
    /// kana, ASCII for full-width Latin, ・ for middle-dot variants, ー for
    /// long-vowel variants after katakana); see ``TextBuffer``.
    public static func display(_ surface: String) -> String {
        let buffer = TextBuffer()
        buffer.load(surface)
        return buffer.normalizedString(0..<buffer.normalized.count)
    }

    /// `text` without brackets: a bracketed part with a digit keeps its content
    /// (a model number), one without loses it (a gloss); nil when unbalanced or empty.
    static func unbracketed(_ text: String) -> String? {
        guard text.utf8.contains(0x28) || text.utf8.contains(0x29) else { return text }
        var out = "", inner = "", depth = 0
        var droppedGloss = false
        for c in text {
            switch c {
            case "(":
                if depth > 0 { return nil }
                depth = 1
                inner = ""
            case ")":
                if depth == 0 { return nil }
                depth = 0
                droppedGloss = !inner.contains(where: \.isNumber)
                if !droppedGloss { out += inner }
            case " " where depth == 0 && droppedGloss:
                continue  // キリン（Kirin） 9000S: no space where the gloss was
            default:
                droppedGloss = false
                if depth > 0 { inner.append(c) } else { out.append(c) }
            }
        }
        let trimmed = out.trimmingCharacters(in: .whitespaces)
        return depth == 0 && !trimmed.isEmpty ? trimmed : nil
    }

    // MARK: Context

    /// A line's scalars and where its sentences end, kept while the mentions of
    /// one line are looked at: each line is converted once, and each mention finds
    /// its sentence by binary search (a line of a megabyte with thousands of
    /// mentions stays linear).
    struct LineCache {
        var index = -1
        var scalars: [Unicode.Scalar] = []
        /// Positions of 。！？!?． in `scalars`, ascending.
        var terminals: [Int] = []

        static func isTerminal(_ c: Unicode.Scalar) -> Bool { "。！？!?．".unicodeScalars.contains(c) }

        mutating func load(_ k: Int, _ line: String) {
            guard k != index else { return }
            index = k
            scalars = Array(line.unicodeScalars)
            terminals = scalars.indices.filter { Self.isTerminal(scalars[$0]) }
        }

        /// How many terminals lie before `p`.
        private func terminalsBefore(_ p: Int) -> Int {
            var lo = 0, hi = terminals.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if terminals[mid] < p { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        /// The first terminal at or after `p` (`scalars.count` when none).
        func terminal(atOrAfter p: Int) -> Int {
            let k = terminalsBefore(p)
            return k < terminals.count ? terminals[k] : scalars.count
        }

        /// One past the last terminal before `p` (0 when none).
        func sentenceStart(before p: Int) -> Int {
            let k = terminalsBefore(p)
            return k == 0 ? 0 : terminals[k - 1] + 1
        }
    }

    /// The sentence around the mention, at most about `limit` characters, with
    /// `…` where it was cut; line breaks and tabs become spaces.
    static func context(of mention: Mention, in annotated: AnnotatedDocument, limit: Int = 60) -> String {
        var cache = LineCache()
        return context(of: mention, in: annotated, cache: &cache, limit: limit)
    }

    static func context(of mention: Mention, in annotated: AnnotatedDocument, cache: inout LineCache, limit: Int = 60) -> String {
        guard !annotated.lines.isEmpty else { return "" }
        // The line holding the mention (lineStarts are ascending scalar offsets).
        var low = 0, high = annotated.lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if annotated.lineStarts[mid] <= mention.start { low = mid } else { high = mid - 1 }
        }
        cache.load(low, annotated.lines[low])
        let line = cache.scalars
        let start = min(line.count, max(0, mention.start - annotated.lineStarts[low]))
        let end = min(line.count, max(start, mention.end - annotated.lineStarts[low]))
        var s = cache.sentenceStart(before: start)
        var e = cache.terminal(atOrAfter: end)
        if e < line.count { e += 1 }
        while s < start && line[s].properties.isWhitespace { s += 1 }
        while e > end && line[e - 1].properties.isWhitespace { e -= 1 }
        var prefix = "", suffix = ""
        if e - s > limit {
            let room = max(0, limit - (end - start))
            let before = min(start - s, max(room / 2, room - (e - end)))
            let after = min(e - end, room - before)
            if start - before > s { s = start - before; prefix = "…" }
            if end + after < e { e = end + after; suffix = "…" }
        }
        var text = prefix
        for c in line[s..<e] {
            text.unicodeScalars.append(c.properties.isWhitespace ? " " : c)
        }
        return text + suffix
    }
}

/// Which entries to write, and in which order.
public struct GlossaryOptions: Sendable {
    /// The sort orders of ``Glossary/rows(_:)``.
    public enum Order: String, Sendable, CaseIterable {
        /// Most mentions first (then Japanese order).
        case count
        /// Japanese collation (ICU) of the `ja` column.
        case ja
        /// English, case-insensitive.
        case en
    }
    /// Entries with fewer mentions than this are left out (1 keeps all).
    public var minCount = 1
    /// Types to keep; `nil` keeps all. Unknown terms are kept when `includeGuesses`.
    public var types: Set<EntityType>?
    /// Whether unknown terms (``Glossary/Entry/isGuess``) are kept.
    public var includeGuesses = true
    /// The order of the rows; most mentions first by default.
    public var order: Order = .count

    /// Options that keep every entry, most mentions first.
    public init() {}

    /// Whether these options may leave entries out: glossary JSON written with them says `"complete": false`, as it no longer merges exactly.
    public var filters: Bool { minCount > 1 || types != nil || !includeGuesses }
}

extension Glossary {
    /// The entries to write, filtered and sorted (deterministic).
    public func rows(_ options: GlossaryOptions) -> [Entry] {
        var rows = entries.filter { entry in
            guard entry.count >= options.minCount else { return false }
            if entry.isGuess { return options.includeGuesses }
            if let types = options.types { return entry.type.map { types.contains($0) } ?? false }
            return true
        }
        let collator = Collator.japanese
        let keys = rows.map { collator?.sortKey($0.ja) ?? Array($0.ja.utf8) }
        var order = Array(rows.indices)
        func jaThenKey(_ a: Int, _ b: Int) -> Bool {
            if keys[a] != keys[b] { return keys[a].lexicographicallyPrecedes(keys[b]) }
            return rows[a].key < rows[b].key
        }
        switch options.order {
        case .count:
            order.sort { a, b in rows[a].count != rows[b].count ? rows[a].count > rows[b].count : jaThenKey(a, b) }
        case .ja:
            order.sort(by: jaThenKey)
        case .en:
            let en = rows.map { ($0.en ?? "").lowercased() }
            order.sort { a, b in en[a] != en[b] ? en[a] < en[b] : jaThenKey(a, b) }
        }
        rows = order.map { rows[$0] }
        return rows
    }
}

extension Glossary.MergeError: HashiError {}
