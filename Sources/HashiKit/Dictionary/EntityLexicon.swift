import Foundation

/// The run-time look-up structure over dictionaries: match keys in a trie for
/// longest-match mention detection, ids, and Latin spellings for typo-tolerant
/// matching. Built once; immutable and thread-safe afterwards.
public final class EntityLexicon: Sendable {
    /// Every entity of the lexicon, in precedence order with overridden ids removed; the trie and
    /// indexes refer to entities by position in this array. Built from rows in memory (user
    /// dictionaries) or read from the compiled image (the built-in ones): see ``Tables``.
    public let entities: [Entity]
    private let indexByID: [String: Int32]
    /// Trie edges: (node << 16 | unit) → child node. Node 0 is the root.
    private let edges: EdgeTable
    /// For each node, the range `valueStart[node]..<valueEnd[node]` of `values`
    /// holding the entities whose key ends there (empty for inner nodes).
    private let valueStart: [Int32]
    private let valueEnd: [Int32]
    /// The root's children by first unit (-1: none): the hottest step of matching.
    private let rootChildren: [Int32]
    private let values: [Int32]
    /// Latin keys (lowercased, separators dropped) by length, for fuzzy matching.
    private let latinByLength: [Int: [(key: [UInt8], entity: Int32, shape: LatinShape)]]
    /// Entities by relation target id (who points at whom), for context.
    private let referrers: [String: [Int32]]
    /// Per-entity facts read on hot paths, without copying ``Entity`` values.
    let ranks: [Int]
    let hasContext: [Bool]
    let types: [EntityType]
    /// Context cues (normalized text) in a trie of their own, found per line during
    /// detection so that resolution never scans the document: cue ids per entity.
    let cueIDs: [[Int32]]
    let cueCount: Int
    private let cueEdges: EdgeTable
    /// Cue id ending at each cue-trie node, or -1.
    private let cueAtNode: [Int32]
    /// The cue trie's root children by first unit (-1: no cue starts with it).
    private let cueRoot: [Int32]
    /// Hashes (FNV-1a over UTF-16) of every form exactly as written in the
    /// dictionaries (ja, aliases, en): hashing units avoids Swift's Unicode-aware
    /// String hashing on the hot path.
    private let formHashes: UInt64Set

    /// The lexicon of the built-in dictionaries, read from the compiled image.
    public static let builtin: EntityLexicon = BuiltinImage.read {
        EntityLexicon(tables: try LexiconCompiler.tables(in: $0, entities: Dictionaries.builtin.entities))
    }

    /// Builds from entities in precedence order; a later entity with the id of an
    /// earlier one of higher precedence is dropped (user rows replace built-in rows).
    public convenience init(_ input: [Entity]) {
        self.init(tables: Tables(input))
    }

    /// The lexicon over compiled tables (built in memory by ``Tables/init(_:)``
    /// or read from a compiled image by ``LexiconCompiler``).
    init(tables: Tables) {
        let entities = tables.entities
        var indexByID: [String: Int32] = [:]
        indexByID.reserveCapacity(entities.count)
        for (index, entity) in entities.enumerated() { indexByID[entity.id] = Int32(index) }
        var latin: [Int: [(key: [UInt8], entity: Int32, shape: LatinShape)]] = [:]
        for item in tables.latin { latin[item.key.count, default: []].append((item.key, item.entity, item.shape)) }
        var referrers: [String: [Int32]] = [:]
        for item in tables.referrers { referrers[item.target] = item.entities }
        self.entities = entities
        self.indexByID = indexByID
        self.edges = EdgeTable(keys: tables.edgeKeys, values: tables.edgeChildren)
        self.valueStart = tables.valueStart
        self.valueEnd = tables.valueEnd
        self.rootChildren = Self.rootChildren(keys: tables.edgeKeys, children: tables.edgeChildren)
        self.values = tables.values
        self.latinByLength = latin
        self.referrers = referrers
        self.ranks = entities.map { $0.source.rank }
        self.hasContext = entities.map { !$0.context.isEmpty }
        self.types = entities.map(\.type)
        self.formHashes = UInt64Set(tables.formHashes)
        self.cueIDs = tables.cueIDs
        self.cueCount = tables.cueCount
        self.cueEdges = EdgeTable(keys: tables.cueEdgeKeys, values: tables.cueEdgeChildren)
        self.cueAtNode = tables.cueAtNode
        self.cueRoot = Self.rootChildren(keys: tables.cueEdgeKeys, children: tables.cueEdgeChildren)
    }

    private static func rootChildren(keys: [UInt64], children: [Int32]) -> [Int32] {
        var root = [Int32](repeating: -1, count: 65536)
        for (edge, child) in zip(keys, children) where edge >> 16 == 0 { root[Int(edge & 0xFFFF)] = child }
        return root
    }

    /// Everything the lexicon is made of, as plain arrays in a canonical order
    /// (edges sorted by key, hashes sorted): what ``LexiconCompiler`` writes and
    /// reads, so that a lexicon read from an image is the one built in memory.
    struct Tables: Equatable {
        var entities: [Entity] = []
        /// Trie edges, (node << 16 | unit) → child, sorted by key. Node 0 is the root.
        var edgeKeys: [UInt64] = []
        var edgeChildren: [Int32] = []
        var valueStart: [Int32] = []
        var valueEnd: [Int32] = []
        var values: [Int32] = []
        struct Latin: Equatable {
            var key: [UInt8]
            var entity: Int32
            var shape: LatinShape
        }
        /// Latin keys in the order they were indexed.
        var latin: [Latin] = []
        struct Referrers: Equatable {
            var target: String
            var entities: [Int32]
        }
        /// Sorted by target id.
        var referrers: [Referrers] = []
        /// Sorted, without repeats.
        var formHashes: [UInt64] = []
        var cueIDs: [[Int32]] = []
        var cueCount = 0
        var cueEdgeKeys: [UInt64] = []
        var cueEdgeChildren: [Int32] = []
        var cueAtNode: [Int32] = []

        init() {}

        /// Follows `units` from the root of a trie of edges (node << 16 | unit → child),
        /// adding the missing edges with nodes from `newNode`; returns the last node.
        private static func insertPath(_ units: [UInt16], into edges: inout [UInt64: Int32], newNode: () -> Int32) -> Int32 {
            var node: Int32 = 0
            for unit in units {
                let edge = UInt64(node) << 16 | UInt64(unit)
                if let child = edges[edge] {
                    node = child
                } else {
                    let child = newNode()
                    edges[edge] = child
                    node = child
                }
            }
            return node
        }

        /// Builds the tables from entities in precedence order (see ``EntityLexicon/init(_:)``).
        init(_ input: [Entity]) {
            var entities: [Entity] = []
            var seenIDs = Set<String>()
            for entity in input.sorted(by: { $0.source.rank < $1.source.rank }) where seenIDs.insert(entity.id).inserted {
                entities.append(entity)
            }
            var edges: [UInt64: Int32] = [:]
            var nodeCount: Int32 = 1
            var terminals: [Int32: [Int32]] = [:]
            var latin: [Latin] = []
            var referrers: [String: [Int32]] = [:]
            let buffer = TextBuffer()
            var key: [UInt16] = [], map: [Int32] = []
            for (index, entity) in entities.enumerated() {
                var seen = Set<[UInt16]>()
                for form in entity.ja + entity.aliases + [entity.en] {
                    buffer.load(form)
                    buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &map) }
                    guard !key.isEmpty, EntityLexicon.isIndexable(form: form, key: key), seen.insert(key).inserted else { continue }
                    let node = Self.insertPath(key, into: &edges) {
                        defer { nodeCount += 1 }
                        return nodeCount
                    }
                    terminals[node, default: []].append(Int32(index))
                    if LatinTypoRule.limit(forLength: key.count) != nil, key.allSatisfy({ $0 < 0x80 }) {
                        latin.append(Latin(key: key.map { UInt8($0) }, entity: Int32(index), shape: LatinShape(form)))
                    }
                }
                for relation in entity.relations { referrers[relation.target, default: []].append(Int32(index)) }
            }
            var values: [Int32] = []
            var valueStart = [Int32](repeating: 0, count: Int(nodeCount))
            var valueEnd = [Int32](repeating: 0, count: Int(nodeCount))
            for node in terminals.keys.sorted() {
                valueStart[Int(node)] = Int32(values.count)
                values.append(contentsOf: terminals[node]!)
                valueEnd[Int(node)] = Int32(values.count)
            }
            self.entities = entities
            let sortedEdges = edges.sorted { $0.key < $1.key }
            self.edgeKeys = sortedEdges.map(\.key)
            self.edgeChildren = sortedEdges.map(\.value)
            self.valueStart = valueStart
            self.valueEnd = valueEnd
            self.values = values
            self.latin = latin
            self.referrers = referrers.keys.sorted().map { Referrers(target: $0, entities: referrers[$0]!) }
            self.formHashes = Set(
                entities.flatMap { $0.ja + $0.aliases + [$0.en] }.map { form in
                    Array(form.utf16).withUnsafeBufferPointer { EntityLexicon.formHash($0) }
                }
            ).sorted()

            var cueIndex: [[UInt16]: Int32] = [:]
            var cueEdges: [UInt64: Int32] = [:]
            var cueAtNode: [Int32] = [-1]
            var cueIDs: [[Int32]] = []
            for entity in entities {
                var ids: [Int32] = []
                for cue in entity.context {
                    buffer.load(cue)
                    let units = buffer.normalized
                    guard !units.isEmpty else { continue }
                    if let id = cueIndex[units] { ids.append(id); continue }
                    let id = Int32(cueIndex.count)
                    cueIndex[units] = id
                    ids.append(id)
                    let node = Self.insertPath(units, into: &cueEdges) {
                        cueAtNode.append(-1)
                        return Int32(cueAtNode.count - 1)
                    }
                    cueAtNode[Int(node)] = id
                }
                cueIDs.append(ids)
            }
            self.cueIDs = cueIDs
            self.cueCount = cueIndex.count
            let sortedCueEdges = cueEdges.sorted { $0.key < $1.key }
            self.cueEdgeKeys = sortedCueEdges.map(\.key)
            self.cueEdgeChildren = sortedCueEdges.map(\.value)
            self.cueAtNode = cueAtNode
        }
    }

    /// Calls `found` with the id of every context cue occurring in `text` (normalized).
    func forEachCue(in text: UnsafeBufferPointer<UInt16>, _ found: (Int32) -> Void) {
        guard cueCount > 0 else { return }
        cueRoot.withUnsafeBufferPointer { root in
            for i in 0..<text.count {
                var node = root[Int(text[i])]
                guard node >= 0 else { continue }
                var k = i + 1
                while true {
                    let id = cueAtNode[Int(node)]
                    if id >= 0 { found(id) }
                    guard k < text.count, let next = cueEdges.lookup(UInt64(node) << 16 | UInt64(text[k])) else { break }
                    node = next
                    k += 1
                }
            }
        }
    }

    /// One-letter Latin keys (X) are never indexed, two-letter ones only as
    /// capitals or digits (AI, EU, 5G): lower-case bits of English are not names.
    static func isIndexable(form: String, key: [UInt16]) -> Bool {
        guard key.allSatisfy({ $0 < 0x80 }) else { return true }
        if key.count == 1 { return false }
        if key.count == 2 { return form.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) } }
        return true
    }

    /// Whether `units` are a form exactly as some dictionary row writes it.
    func isForm(_ units: UnsafeBufferPointer<UInt16>) -> Bool { formHashes.contains(Self.formHash(units)) }

    @inline(__always)
    static func formHash(_ units: UnsafeBufferPointer<UInt16>) -> UInt64 { FNV1a.hash(units) }

    /// The entity with the dictionary id `id` (`huawei`), or nil when no dictionary of this lexicon defines it.
    public func entity(id: String) -> Entity? { indexByID[id].map { entities[Int($0)] } }
    func index(of id: String) -> Int32? { indexByID[id] }
    func entitiesReferring(to id: String) -> [Int32] { referrers[id] ?? [] }

    /// Entities whose key is exactly `key` (a ``MatchKey``).
    public func lookup(key: String) -> [Entity] {
        let units = Array(key.utf16)
        var node: Int32 = 0
        for unit in units {
            guard let child = edges.lookup(UInt64(node) << 16 | UInt64(unit)) else { return [] }
            node = child
        }
        return candidates(at: node).map { entities[Int($0)] }
    }

    @inline(__always)
    func child(of node: Int32, _ unit: UInt16) -> Int32? {
        if node == 0 {
            let child = rootChildren[Int(unit)]
            return child >= 0 ? child : nil
        }
        return edges.lookup(UInt64(node) << 16 | UInt64(unit))
    }

    @inline(__always)
    func candidates(at node: Int32) -> ArraySlice<Int32> {
        values[Int(valueStart[Int(node)])..<Int(valueEnd[Int(node)])]
    }

    @inline(__always)
    func hasCandidates(at node: Int32) -> Bool { valueEnd[Int(node)] > valueStart[Int(node)] }

    /// Entities with a Latin spelling within a small edit distance of `key`
    /// (1 for 5–9 letters, 2 for 10+), best first. Keys under 5 letters never match.
    /// Only forms of a compatible shape (``LatinShape/accepts(_:)``) when `shape` is given.
    func fuzzyLatin(_ key: [UInt8], shape: LatinShape? = nil) -> [(entity: Int32, distance: Int)] {
        guard let limit = LatinTypoRule.limit(forLength: key.count) else { return [] }
        var found: [(Int32, Int)] = []
        var rows: [Int] = []
        for length in (key.count - limit)...(key.count + limit) {
            for candidate in latinByLength[length] ?? [] where shape?.accepts(candidate.shape) ?? true {
                guard LatinTypoRule.keepsHead(key[0], key[1], candidate.key[0], candidate.key[1]) else { continue }
                let d = key.withUnsafeBufferPointer { a in
                    candidate.key.withUnsafeBufferPointer { b in boundedDamerau(a, b, limit: limit, rows: &rows) }
                }
                if d <= limit { found.append((candidate.entity, d)) }
            }
        }
        return found.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map { (entity: $0.0, distance: $0.1) }
    }
}

/// An immutable open-addressing hash table from trie edge keys to child nodes,
/// with a cheap multiplicative hash: the linker walks it once per character.
struct EdgeTable: Sendable {
    private let keys: [UInt64]
    private let values: [Int32]
    private let mask: Int

    init(keys input: [UInt64], values inputValues: [Int32]) {
        var size = 16
        while size < input.count * 2 { size <<= 1 }
        var keys = [UInt64](repeating: UInt64.max, count: size)
        var values = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (key, value) in zip(input, inputValues) {
            var slot = Self.slot(key, mask)
            while keys[slot] != UInt64.max { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    @inline(__always)
    func lookup(_ key: UInt64) -> Int32? {
        keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(key, mask)
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == UInt64.max { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// How a Latin word is capitalized, for typo correction: a word in capitals is
/// corrected only into a form in capitals (NVIDA → NVIDIA, never ERANGE →
/// Orange), a lower-case word only into a lower-case form (iphne → iPhone), a
/// capitalized word into either of the others' capitalized forms.
enum LatinShape: UInt8, Sendable {
    case lower, capitalized, capitals

    init<S: StringProtocol>(_ word: S) {
        let letters = word.unicodeScalars.filter { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
        if letters.count >= 2 && letters.allSatisfy({ ("A"..."Z").contains($0) }) {
            self = .capitals
        } else if let first = letters.first, ("A"..."Z").contains(first) {
            self = .capitalized
        } else {
            self = .lower
        }
    }

    /// Whether a word of this shape may be a typo of a form of `form`'s shape.
    func accepts(_ form: LatinShape) -> Bool {
        switch self {
        case .capitals: return form == .capitals
        case .lower: return form == .lower
        case .capitalized: return form != .lower
        }
    }
}
