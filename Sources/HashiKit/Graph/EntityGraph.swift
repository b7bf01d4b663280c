import Foundation

/// The unit of text in which two entities count as occurring together.
public enum CooccurrenceWindow: String, CaseIterable, Sendable {
    /// One sentence, as the segmenter splits them.
    case sentence
    /// A block of non-blank lines between blank lines; when a document has no
    /// blank line at all, each line is a paragraph.
    case paragraph
    /// A whole input document.
    case document
}

/// A graph of linked entities: who is mentioned, and with whom.
///
/// Undirected and simple (at most one edge per pair of entities). An edge
/// carries the pair's co-occurrence statistics and, when the dictionaries
/// relate the two entities (`made_by`, `works_at`, ...), those relations, so
/// that a pair with both has one edge with both kinds of attributes.
public struct EntityGraph: Sendable, Equatable {
    /// One entity in the graph, with its counts in the corpus.
    public struct Node: Sendable, Hashable {
        /// The entity's id: a dictionary ``Entity/id``, or for a link outside the
        /// dictionaries a prefixed word (`edict:<headword>`, `enamdict:<headword>`, `compound:<word>`).
        public var id: String
        /// Canonical English name.
        public var en: String
        /// The Japanese form the corpus uses most (see ``EntityGraphBuilder``).
        public var ja: String
        /// The entity's type (``EntityType/term`` when neither the lexicon nor the mention says).
        public var type: EntityType
        /// Wikidata QID when the dictionary knows it.
        public var wikidata: String?
        /// Linked mentions in the corpus.
        public var mentions: Int
        /// Documents with at least one mention.
        public var documents: Int
        /// Windows with at least one mention (what p(x) counts).
        public var windows: Int

        /// Bilingual label: `Huawei / ファーウェイ`, or just `TSMC` when both are the same.
        public var label: String {
            ja.isEmpty || ja.lowercased() == en.lowercased() ? en : "\(en) / \(ja)"
        }
    }

    /// A dictionary relation stated on entity `from`: `from kind target`.
    public struct RelationLink: Sendable, Hashable, Comparable {
        /// Id of the entity whose dictionary row states the relation.
        public var from: String
        /// What the relation states.
        public var kind: Relation.Kind

        /// Orders by relation kind (raw value), then by `from`.
        public static func < (a: RelationLink, b: RelationLink) -> Bool {
            (a.kind.rawValue, a.from) < (b.kind.rawValue, b.from)
        }
    }

    /// A link between two entities: their co-occurrence statistics and any dictionary relations between them.
    public struct Edge: Sendable, Hashable {
        /// The two entity ids, `source < target`.
        public var source: String
        /// The greater of the two entity ids (see ``source``).
        public var target: String
        /// Windows containing both entities (0 for a relation that never co-occurs).
        public var count: Int
        /// Normalized pointwise mutual information over windows, in -1...1,
        /// rounded to 4 decimals (-1 when `count` is 0).
        public var weight: Double
        /// Dictionary relations between the two, sorted.
        public var relations: [RelationLink]

        /// `cooccurrence`, `relation` or `cooccurrence+relation`.
        public var kind: String {
            switch (count > 0, !relations.isEmpty) {
            case (true, false): "cooccurrence"
            case (false, _): "relation"
            case (true, true): "cooccurrence+relation"
            }
        }

        /// Relation kinds joined by `;` (`made_by`), empty when none.
        public var relation: String { relations.map(\.kind.rawValue).joined(separator: ";") }
        /// The entity each relation is stated on, in the order of ``relation``.
        public var relationFrom: String { relations.map(\.from).joined(separator: ";") }
    }

    /// The unit in which co-occurrence was counted.
    public var window: CooccurrenceWindow
    /// Windows in the corpus (the denominator of the probabilities).
    public var windowCount: Int
    /// Documents added to the builder, including those without linked mentions.
    public var documentCount: Int
    /// Sorted by id.
    public var nodes: [Node]
    /// Sorted by (source, target).
    public var edges: [Edge]
    /// Entities that passed the other filters but were left out by
    /// ``GraphFilter/maxNodes`` (0 when none was).
    public var omittedNodes = 0

    /// Normalized PMI of a pair seen in `xy` of `n` windows, `x` and `y` seen in `x` and `y` windows.
    ///
    /// pmi = log(p(x,y) / (p(x) p(y))), npmi = pmi / -log p(x,y), with p the
    /// fraction of windows. Edge cases: never together (xy = 0) is -1; together
    /// in every window (p(x,y) = 1, so both are everywhere) is 1. The result is
    /// clamped to -1...1 against rounding.
    public static func npmi(xy: Int, x: Int, y: Int, n: Int) -> Double {
        guard xy > 0, n > 0, x > 0, y > 0 else { return -1 }
        if xy >= n { return 1 }
        let pxy = Double(xy) / Double(n), px = Double(x) / Double(n), py = Double(y) / Double(n)
        let pmi = log(pxy / (px * py))
        return min(1, max(-1, pmi / -log(pxy)))
    }

    /// Rounds to 4 decimals (no negative zero), the precision written out.
    static func rounded(_ value: Double) -> Double {
        let r = (value * 10_000).rounded() / 10_000
        return r == 0 ? 0 : r
    }
}

/// What to keep of a graph, to make a big corpus's graph readable.
public struct GraphFilter: Sendable, Equatable {
    /// Co-occurrence edges seen in fewer windows are dropped.
    public var minCount: Int = 1
    /// Co-occurrence edges with a lower weight (NPMI) are dropped.
    public var minWeight: Double? = nil
    /// Keep only the entities of these types (nil: all).
    public var types: Set<EntityType>? = nil
    /// Keep only the N strongest co-occurrence edges (highest weight, then count).
    public var top: Int? = nil
    /// Include dictionary relations between the graph's entities.
    public var relations: Bool = true
    /// Keep at most this many entities, the most mentioned (then in most
    /// documents, then by id); edges to the others go with them. nil: all.
    public var maxNodes: Int? = nil

    /// Creates a filter; the defaults keep everything (every edge, type and entity, relations included).
    public init(
        minCount: Int = 1, minWeight: Double? = nil, types: Set<EntityType>? = nil, top: Int? = nil, relations: Bool = true,
        maxNodes: Int? = nil
    ) {
        self.minCount = minCount
        self.minWeight = minWeight
        self.types = types
        self.top = top
        self.relations = relations
        self.maxNodes = maxNodes
    }

    /// Whether co-occurrence edges are filtered (then entities left without one are dropped).
    public var filtersEdges: Bool { minCount > 1 || minWeight != nil || top != nil }
}

/// Aggregates the linked mentions of documents into an ``EntityGraph``.
///
/// Feed it documents (``add(_:)`` for a linker's output, or
/// ``add(document:mentions:windowCount:windowOf:)`` for mentions grouped any
/// other way), then ``build(filter:)``. Unlinked mentions are ignored.
///
/// An entity's Japanese label follows the glossary's rule for its term
/// (``Glossary/Entry/ja``) but always prefers kana or kanji, so that labels are
/// bilingual (TSMC / 台湾積体電路製造): the full form in Japanese script its
/// mentions use most (normalized, so ﾌｧｰｳｪｲ counts as ファーウェイ), never a
/// one-character abbreviation (米, 中), a bare surname standing for a person or
/// a bracketed phrase; without such a mention, the dictionary's usual (first)
/// form, for an EDICT/ENAMDICT link the headword.
public struct EntityGraphBuilder {
    /// The unit in which co-occurrence is counted.
    public let window: CooccurrenceWindow
    /// Consulted for Japanese labels, QIDs and relations.
    public let lexicon: EntityLexicon?

    struct Seen {
        var en: String
        var type: EntityType
        /// The dictionary's usual form; the label when the corpus offers none.
        var ja: String
        /// Spellings seen in the corpus, in first-seen order, with short forms marked.
        var variants: [Glossary.Variant] = []
        var variantIndex: [String: Int] = [:]
        var mentions = 0
        var documents = 0
        var lastDocument = -1
        /// Windows containing the entity.
        var windows = 0
    }

    struct Pair: Hashable {
        var a: Int32, b: Int32
    }

    private var ids: [String] = []
    private var index: [String: Int32] = [:]
    private var seen: [Seen] = []
    private var pairs: [Pair: Int] = [:]
    /// Windows added so far, over all documents (the denominator of the probabilities).
    public private(set) var windowCount = 0
    /// Documents added so far.
    public private(set) var documentCount = 0

    /// Creates an empty builder counting co-occurrence per `window` (default: sentence).
    ///
    /// Pass the lexicon the mentions were linked with for Japanese labels, Wikidata ids and
    /// relation edges; without one, nodes carry what the mentions say and there are no relation edges.
    public init(window: CooccurrenceWindow = .sentence, lexicon: EntityLexicon? = nil) {
        self.window = window
        self.lexicon = lexicon
    }

    /// Adds a document annotated by a ``Linker``, split into windows of ``window``.
    /// A document in parts (``Linker/Annotated/part``, from windowed annotation)
    /// counts as one document; its sentences and paragraphs are windows as in a
    /// whole document (parts end at line ends). With ``CooccurrenceWindow/document``
    /// give whole documents.
    public mutating func add(_ annotated: AnnotatedDocument) {
        let windows = Self.windows(of: annotated, window)
        add(
            document: annotated.document.name, mentions: annotated.mentions, windowCount: windows.count, windowOf: windows.of,
            continuesDocument: annotated.part > 0)
    }

    /// Adds one document's mentions; `windowOf` gives each mention's window
    /// (0..<windowCount), windows without mentions count in the denominator.
    public mutating func add(
        document: String, mentions: [Mention], windowCount: Int, windowOf: (Mention) -> Int,
        continuesDocument: Bool = false
    ) {
        if !continuesDocument || documentCount == 0 { documentCount += 1 }
        let documentIndex = documentCount - 1
        var members: [Int: Set<Int32>] = [:]
        var highest = -1
        for mention in mentions {
            guard let id = mention.id else { continue }
            let k = intern(id, mention)
            seen[Int(k)].mentions += 1
            // Whether a spelling is short: once per spelling (again only while it looks short).
            if let v = seen[Int(k)].variantIndex[mention.surface] {
                seen[Int(k)].variants[v].count += 1
                if seen[Int(k)].variants[v].short {
                    seen[Int(k)].variants[v].short = Glossary.isShortForm(mention, entity: lexicon?.entity(id: id))
                }
            } else {
                seen[Int(k)].variantIndex[mention.surface] = seen[Int(k)].variants.count
                seen[Int(k)].variants.append(
                    Glossary.Variant(
                        surface: mention.surface, count: 1,
                        short: Glossary.isShortForm(mention, entity: lexicon?.entity(id: id))))
            }
            if seen[Int(k)].lastDocument != documentIndex {
                seen[Int(k)].lastDocument = documentIndex
                seen[Int(k)].documents += 1
            }
            let w = windowOf(mention)
            highest = max(highest, w)
            members[w, default: []].insert(k)
        }
        self.windowCount += max(windowCount, highest + 1)
        for w in members.keys.sorted() {
            let set = members[w]!.sorted()
            for k in set { seen[Int(k)].windows += 1 }
            for i in set.indices {
                for j in set.index(after: i)..<set.endIndex {
                    pairs[Pair(a: set[i], b: set[j]), default: 0] += 1
                }
            }
        }
    }

    private mutating func intern(_ id: String, _ mention: Mention) -> Int32 {
        if let k = index[id] { return k }
        let k = Int32(ids.count)
        ids.append(id)
        index[id] = k
        let entity = lexicon?.entity(id: id)
        let headword = id.firstIndex(of: ":").map { String(id[id.index(after: $0)...]) } ?? mention.normalized
        seen.append(
            Seen(
                en: entity?.en ?? mention.en ?? id, type: entity?.type ?? mention.type ?? .term,
                ja: entity?.ja.first ?? headword))
        return k
    }

    /// The Japanese label of entity `k`.
    private func label(_ k: Int) -> String {
        Glossary.canonicalTerm(seen[k].variants, preferred: seen[k].ja, japaneseScript: true)
    }

    /// The windows of an annotated document: how many, and each mention's.
    public static func windows(of annotated: AnnotatedDocument, _ window: CooccurrenceWindow) -> (count: Int, of: (Mention) -> Int) {
        switch window {
        case .document:
            return (1, { _ in 0 })
        case .sentence:
            // Sentences with text; only which mentions share one matters, so the
            // indices (which also count empty sentences) are renumbered densely.
            let used = Set(annotated.mentions.map(\.sentence)).sorted()
            var dense: [Int: Int] = [:]
            for (k, s) in used.enumerated() { dense[s] = k }
            return (max(annotated.sentenceCount, used.count), { dense[$0.sentence] ?? 0 })
        case .paragraph:
            let starts = annotated.lineStarts
            var paragraphOfLine: [Int] = []
            // Without the lines' text (a linker that does not keep them), each line is a paragraph.
            let blank =
                annotated.lines.count == starts.count
                ? annotated.lines.map { $0.allSatisfy(\.isWhitespace) }
                : [Bool](repeating: false, count: starts.count)
            var count = 0
            if blank.contains(true) {
                var inParagraph = false
                for b in blank {
                    if b {
                        inParagraph = false
                        paragraphOfLine.append(max(0, count - 1))
                    } else {
                        if !inParagraph { count += 1; inParagraph = true }
                        paragraphOfLine.append(count - 1)
                    }
                }
            } else {
                paragraphOfLine = Array(0..<blank.count)
                count = blank.count
            }
            return (
                count,
                { mention in
                    // Last line starting at or before the mention.
                    var lo = 0, hi = starts.count - 1
                    guard hi >= 0 else { return 0 }
                    while lo < hi {
                        let mid = (lo + hi + 1) / 2
                        if starts[mid] <= mention.start { lo = mid } else { hi = mid - 1 }
                    }
                    return paragraphOfLine[lo]
                }
            )
        }
    }

    /// The graph of everything added, filtered.
    public func build(filter: GraphFilter = GraphFilter()) -> EntityGraph {
        let n = windowCount
        func keepType(_ k: Int) -> Bool { filter.types.map { $0.contains(seen[k].type) } ?? true }

        // Co-occurrence edges among entities of the kept types.
        var cooccurrence: [(pair: Pair, count: Int, weight: Double)] = []
        for (pair, count) in pairs where keepType(Int(pair.a)) && keepType(Int(pair.b)) && count >= filter.minCount {
            let weight = EntityGraph.rounded(EntityGraph.npmi(xy: count, x: seen[Int(pair.a)].windows, y: seen[Int(pair.b)].windows, n: n))
            if let minWeight = filter.minWeight, weight < minWeight { continue }
            cooccurrence.append((pair, count, weight))
        }
        if let top = filter.top, cooccurrence.count > top {
            cooccurrence.sort { x, y in
                if x.weight != y.weight { return x.weight > y.weight }
                if x.count != y.count { return x.count > y.count }
                return (ids[Int(x.pair.a)], ids[Int(x.pair.b)]) < (ids[Int(y.pair.a)], ids[Int(y.pair.b)])
            }
            cooccurrence.removeLast(cooccurrence.count - max(0, top))
        }

        // Nodes: the kept types; when edges were filtered, only entities with an edge left.
        var keep = [Bool](repeating: false, count: ids.count)
        if filter.filtersEdges {
            for edge in cooccurrence { keep[Int(edge.pair.a)] = true; keep[Int(edge.pair.b)] = true }
        } else {
            for k in ids.indices where keepType(k) { keep[k] = true }
        }
        var omitted = 0
        if let maxNodes = filter.maxNodes {
            var kept = ids.indices.filter { keep[$0] }
            if kept.count > maxNodes {
                kept.sort { a, b in
                    if seen[a].mentions != seen[b].mentions { return seen[a].mentions > seen[b].mentions }
                    if seen[a].documents != seen[b].documents { return seen[a].documents > seen[b].documents }
                    return ids[a] < ids[b]
                }
                for k in kept[max(0, maxNodes)...] { keep[k] = false }
                omitted = kept.count - max(0, maxNodes)
                cooccurrence.removeAll { !keep[Int($0.pair.a)] || !keep[Int($0.pair.b)] }
            }
        }

        var edges: [String: [String: EntityGraph.Edge]] = [:]
        func ends(_ a: Int32, _ b: Int32) -> (String, String) {
            ids[Int(a)] < ids[Int(b)] ? (ids[Int(a)], ids[Int(b)]) : (ids[Int(b)], ids[Int(a)])
        }
        for edge in cooccurrence {
            let (s, t) = ends(edge.pair.a, edge.pair.b)
            edges[s, default: [:]][t] = EntityGraph.Edge(source: s, target: t, count: edge.count, weight: edge.weight, relations: [])
        }
        if filter.relations, let lexicon {
            for k in ids.indices where keep[k] {
                guard let entity = lexicon.entity(id: ids[k]) else { continue }
                for relation in entity.relations {
                    guard let other = index[relation.target], keep[Int(other)], Int(other) != k else { continue }
                    let (s, t) = ends(Int32(k), other)
                    let link = EntityGraph.RelationLink(from: ids[k], kind: relation.kind)
                    if edges[s]?[t] == nil {
                        // Not a kept co-occurrence edge: the pair's statistics all the same.
                        let count = pairs[Pair(a: min(Int32(k), other), b: max(Int32(k), other))] ?? 0
                        let weight = EntityGraph.npmi(xy: count, x: seen[k].windows, y: seen[Int(other)].windows, n: n)
                        edges[s, default: [:]][t] = EntityGraph.Edge(
                            source: s, target: t, count: count,
                            weight: EntityGraph.rounded(weight), relations: [])
                    }
                    if !edges[s]![t]!.relations.contains(link) { edges[s]![t]!.relations.append(link) }
                }
            }
        }

        var nodes: [EntityGraph.Node] = []
        for k in ids.indices where keep[k] {
            let s = seen[k]
            nodes.append(
                EntityGraph.Node(
                    id: ids[k], en: s.en, ja: label(k), type: s.type, wikidata: lexicon?.entity(id: ids[k])?.wikidata,
                    mentions: s.mentions, documents: s.documents, windows: s.windows))
        }
        nodes.sort { $0.id < $1.id }
        var edgeList: [EntityGraph.Edge] = []
        for s in edges.keys.sorted() {
            for t in edges[s]!.keys.sorted() {
                var edge = edges[s]![t]!
                edge.relations.sort()
                edgeList.append(edge)
            }
        }
        var graph = EntityGraph(window: window, windowCount: n, documentCount: documentCount, nodes: nodes, edges: edgeList)
        graph.omittedNodes = omitted
        return graph
    }
}
