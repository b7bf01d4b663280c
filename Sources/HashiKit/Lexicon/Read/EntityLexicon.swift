import Foundation
import Synchronization

/// The run-time look-up structure over dictionaries: match keys in a trie for
/// longest-match mention detection, ids, and Latin spellings for typo-tolerant
/// matching. Immutable and thread-safe.
///
/// A lexicon is a view over a compiled ``LexiconImage``: the built-in one is read
/// in place from the binary (nothing is decoded at start-up; an entity is decoded
/// the first time it is asked for), and rows given in memory (user dictionaries,
/// tests) are compiled into an image first, so that there is one runtime.
public final class EntityLexicon: Sendable {
    /// The entities, in rank order (user before curated before EDICT), decoded on demand.
    public let entities: EntityTable
    /// Keeps an image compiled in memory alive (nil for the built-in one).
    private let storage: TableStorage?
    /// Per entity: type (bits 0–2), source (bits 3–4), has context cues (bit 6).
    private let meta: Table<UInt8>
    /// FNV-1a hashes of the ids, sorted, with the entity of each.
    private let idHashes: Table<UInt64>
    private let idEntities: Table<Int32>
    /// The match-key trie; the candidates of node `n` are list `n` of `values`.
    private let trie: StoredTrie
    private let values: StoredLists
    /// Latin keys (lowercased, separators dropped) sorted by length, for fuzzy
    /// matching: key `k` is `latinBytes[latinStarts[k]..<latinStarts[k + 1]]`;
    /// the keys of length `n` are `latinByLength[n]..<latinByLength[n + 1]`.
    private let latinStarts: Table<Int32>
    private let latinBytes: Table<UInt8>
    private let latinEntities: Table<Int32>
    private let latinShapes: Table<UInt8>
    private let latinByLength: Table<Int32>
    /// The entities whose relations point at a target id, by the id's hash (sorted).
    private let referrerHashes: Table<UInt64>
    private let referrers: StoredLists
    /// Per entity, the ids of its context cues.
    private let cueLists: StoredLists
    /// Number of distinct context cues, the base layer's included (this layer's
    /// cue ids follow the base's).
    let cueCount: Int
    /// The layer below (the built-in lexicon under a user's dictionaries) and the
    /// number of this layer's own entities: entity `ownCount + k` is the base's
    /// entity `k`. A base entity whose id this layer redefines is `shadowed`: it
    /// is never a candidate, as if the two had been compiled together.
    let base: EntityLexicon?
    private let ownCount: Int
    private let shadowed: Set<Int32>
    /// Hashes of the shadowed entities' forms that no other entity writes so:
    /// no longer forms (see ``isForm(_:)``).
    private let hiddenForms: Set<UInt64>
    /// Context cues (normalized text) in a trie of their own, found per line during
    /// detection so that resolution never scans the document.
    private let cueTrie: StoredTrie
    /// Cue id ending at each cue-trie node, or -1.
    private let cueAtNode: Table<Int32>
    /// Hashes (FNV-1a over UTF-16) of every form exactly as written in the
    /// dictionaries (ja, aliases, en): hashing units avoids Swift's Unicode-aware
    /// String hashing on the hot path.
    private let formHashes: StoredHashSet

    /// The lexicon of the dictionaries built into hashi (`dictionaries/lexicon.bin`).
    public static let builtin: EntityLexicon = BuiltinImage.read { try EntityLexicon(image: $0, storage: nil, checkEntities: false) }

    /// A lexicon over the entity sections of `image`. Tables are read in place and
    /// their indices checked where used; `checkEntities` decodes every entity
    /// record once, so that an image from outside (not compiled by this process or
    /// into this binary) with a damaged record is refused here.
    init(image: LexiconImage, storage: TableStorage?, checkEntities: Bool, base: EntityLexicon? = nil) throws(LexiconImage.Error) {
        typealias Tag = LexiconTag
        self.storage = storage
        self.base = base
        let offsets = try image.table(Tag.entityOffsets, of: UInt32.self)
        let records = Table(try image.section(Tag.entities).bindMemory(to: UInt8.self))
        guard offsets.count >= 1 else { throw LexiconImage.Error("section EOFF is empty") }
        let count = offsets.count - 1
        meta = try image.table(Tag.entityMeta, of: UInt8.self)
        guard meta.count == count else { throw LexiconImage.Error("EMET has not one byte per entity") }
        for m in meta where Int(m & 7) >= EntityType.allCases.count || Int(m >> 3 & 3) >= EntitySource.allCases.count {
            throw LexiconImage.Error("EMET names an unknown type or source")
        }
        let own = EntityTable(records: records, offsets: offsets, below: nil)
        if checkEntities {
            for k in 0..<count { _ = try own.decode(k) }
        }
        ownCount = count
        entities = base.map { EntityTable(records: records, offsets: offsets, below: $0.entities) } ?? own
        idHashes = try image.table(Tag.idHashes, of: UInt64.self)
        idEntities = try image.table(Tag.idEntities, of: Int32.self)
        guard idHashes.count == count, idEntities.count == count else {
            throw LexiconImage.Error("the id index has not one row per entity")
        }
        trie = try StoredTrie(
            first: try image.table(Tag.edgeFirst, of: Int32.self), units: try image.table(Tag.edgeUnits, of: UInt16.self),
            children: try image.table(Tag.edgeChildren, of: Int32.self), root: try image.table(Tag.rootChildren, of: Int32.self))
        values = try StoredLists(
            starts: try image.table(Tag.valueStarts, of: Int32.self), values: try image.table(Tag.values, of: Int32.self))
        guard values.count == trie.nodeCount else { throw LexiconImage.Error("VSTR has not one list per trie node") }
        latinStarts = try image.table(Tag.latinStarts, of: Int32.self)
        latinBytes = try image.table(Tag.latinBytes, of: UInt8.self)
        latinEntities = try image.table(Tag.latinEntities, of: Int32.self)
        latinShapes = try image.table(Tag.latinShapes, of: UInt8.self)
        latinByLength = try image.table(Tag.latinByLength, of: Int32.self)
        guard latinStarts.count == latinEntities.count + 1, latinShapes.count == latinEntities.count, !latinByLength.isEmpty else {
            throw LexiconImage.Error("the Latin key tables disagree in size")
        }
        referrerHashes = try image.table(Tag.referrerHashes, of: UInt64.self)
        referrers = try StoredLists(
            starts: try image.table(Tag.referrerStarts, of: Int32.self), values: try image.table(Tag.referrers, of: Int32.self))
        cueLists = try StoredLists(
            starts: try image.table(Tag.cueStarts, of: Int32.self), values: try image.table(Tag.cues, of: Int32.self))
        guard referrers.count == referrerHashes.count, cueLists.count == count else {
            throw LexiconImage.Error("REFS or CUES has not one list per target or entity")
        }
        let cueCountTable = try image.table(Tag.cueCount, of: UInt64.self)
        guard cueCountTable.count == 1, cueCountTable[0] < UInt64(Int32.max) else { throw LexiconImage.Error("bad cue count") }
        cueCount = Int(cueCountTable[0]) + (base?.cueCount ?? 0)
        cueTrie = try StoredTrie(
            first: try image.table(Tag.cueEdgeFirst, of: Int32.self), units: try image.table(Tag.cueEdgeUnits, of: UInt16.self),
            children: try image.table(Tag.cueEdgeChildren, of: Int32.self), root: Table())
        cueAtNode = try image.table(Tag.cueAtNode, of: Int32.self)
        guard cueAtNode.count == cueTrie.nodeCount else { throw LexiconImage.Error("CNOD has not one cue per cue-trie node") }
        let hasMax = try image.table(Tag.formHashMax, of: UInt8.self)
        formHashes = try StoredHashSet(slots: try image.table(Tag.formHashes, of: UInt64.self), hasMax: hasMax.first == 1)
        var shadowed = Set<Int32>()
        if let base {
            for k in 0..<count {
                if let id = own.id(at: k), let hidden = base.index(of: id) { shadowed.insert(hidden) }
            }
        }
        self.shadowed = shadowed
        var hiddenForms = Set<UInt64>()
        if let base {
            for k in shadowed {
                let entity = base.entities[Int(k)]
                for form in entity.ja + entity.aliases + [entity.en] {
                    let hash = Array(form.utf16).withUnsafeBufferPointer { Self.formHash($0) }
                    guard !formHashes.contains(hash) else { continue }
                    // Another base entity with this very form has it under the same key.
                    var node = base.root
                    var others: ArraySlice<Int32> = []
                    var walked = true
                    for unit in MatchKey.of(form).utf16 {
                        guard let next = base.child(of: node, unit) else {
                            walked = false
                            break
                        }
                        node = next
                    }
                    if walked { others = base.candidates(at: node) }
                    let kept = others.contains { other in
                        guard !shadowed.contains(other) else { return false }
                        let e = base.entities[Int(other)]
                        return (e.ja + e.aliases + [e.en]).contains { $0.utf16.elementsEqual(form.utf16) }
                    }
                    if !kept { hiddenForms.insert(hash) }
                }
            }
        }
        self.hiddenForms = hiddenForms
    }

    /// Number of entities, the base layer's included (shadowed ones too).
    var count: Int { ownCount + (base?.count ?? 0) }

    /// Number of entities that can be found (the shadowed ones left out).
    public var visibleCount: Int { count - shadowed.count }

    /// Whether entity `index` is a base entity hidden by this layer.
    @inline(__always)
    func isShadowed(_ index: Int32) -> Bool { Int(index) >= ownCount && shadowed.contains(index - Int32(ownCount)) }

    /// The source rank of entity `index` (user 0, curated 1, EDICT 2, ENAMDICT 3).
    @inline(__always)
    func rank(_ index: Int32) -> Int {
        if let base, Int(index) >= ownCount { return base.rank(index - Int32(ownCount)) }
        return Int(meta[Int(index)] >> 3 & 3)
    }

    /// The type of entity `index`.
    @inline(__always)
    func type(_ index: Int32) -> EntityType {
        if let base, Int(index) >= ownCount { return base.type(index - Int32(ownCount)) }
        return EntityType.allCases[Int(meta[Int(index)] & 7)]
    }

    /// Whether entity `index` has context cues.
    @inline(__always)
    func hasContext(_ index: Int32) -> Bool {
        if let base, Int(index) >= ownCount { return base.hasContext(index - Int32(ownCount)) }
        return meta[Int(index)] & 0x40 != 0
    }

    /// The context cue ids of entity `index`.
    @inline(__always)
    func cues(of index: Int32) -> CueIDs {
        if let base, Int(index) >= ownCount { return base.cues(of: index - Int32(ownCount)) }
        return CueIDs(ids: cueLists[Int(index)], shift: Int32(base?.cueCount ?? 0))
    }

    /// Cue ids of one entity: stored ids shifted past the cues of the layer below.
    struct CueIDs: Sequence {
        let ids: UnsafeBufferPointer<Int32>
        let shift: Int32
        func makeIterator() -> some IteratorProtocol<Int32> { ids.lazy.map { $0 + shift }.makeIterator() }
    }

    /// The byte that ``meta`` stores for `entity`.
    static func metaByte(_ entity: Entity) -> UInt8 {
        UInt8(EntityType.allCases.firstIndex(of: entity.type)!) | UInt8(entity.source.rank) << 3 | (entity.context.isEmpty ? 0 : 0x40)
    }

}

extension EntityLexicon {
    /// Calls `found` with the id of every context cue occurring in `text` (normalized).
    func forEachCue(in text: UnsafeBufferPointer<UInt16>, _ found: (Int32) -> Void) {
        guard cueCount > 0 else { return }
        let ownCues = cueCount - (base?.cueCount ?? 0), shift = Int32(base?.cueCount ?? 0)
        base?.forEachCue(in: text, found)
        for i in 0..<text.count {
            guard var node = cueTrie.child(of: 0, text[i]) else { continue }
            var k = i + 1
            while true {
                let id = cueAtNode[Int(node)]
                if id >= 0 && Int(id) < ownCues { found(id + shift) }
                guard k < text.count, let next = cueTrie.child(of: node, text[k]) else { break }
                node = next
                k += 1
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
    func isForm(_ units: UnsafeBufferPointer<UInt16>) -> Bool {
        let hash = Self.formHash(units)
        if formHashes.contains(hash) { return true }
        guard let base, base.formHashes.contains(hash) else { return false }
        return hiddenForms.isEmpty || !hiddenForms.contains(hash)
    }

    @inline(__always)
    static func formHash(_ units: UnsafeBufferPointer<UInt16>) -> UInt64 { FNV1a.hash(units) }

    /// The entity with this id, or nil.
    public func entity(id: String) -> Entity? { index(of: id).map { entities[Int($0)] } }

    /// The index of the entity with this id, or nil: binary search over the
    /// sorted id hashes, each hit confirmed against the record's id.
    func index(of id: String) -> Int32? {
        if let own = ownIndex(of: id) { return own }
        return base?.index(of: id).map { $0 + Int32(ownCount) }
    }

    /// The index of this layer's entity with this id.
    private func ownIndex(of id: String) -> Int32? {
        var id = id
        let hash = id.withUTF8 { FNV1a.hash($0) }
        var lo = 0, hi = idHashes.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if idHashes[mid] < hash { lo = mid + 1 } else { hi = mid }
        }
        while lo < idHashes.count && idHashes[lo] == hash {
            let k = idEntities[lo]
            if k >= 0, Int(k) < ownCount, entities.id(at: Int(k)) == id { return k }
            lo += 1
        }
        return nil
    }

    /// The entities whose relations point at the entity with this id.
    func entitiesReferring(to id: String) -> [Int32] {
        var id = id
        let hash = id.withUTF8 { FNV1a.hash($0) }
        var out: [Int32] = []
        var lo = 0, hi = referrerHashes.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if referrerHashes[mid] < hash { lo = mid + 1 } else { hi = mid }
        }
        if lo < referrerHashes.count && referrerHashes[lo] == hash {
            for k in referrers[lo] where k >= 0 && Int(k) < ownCount { out.append(k) }
        }
        if let base {
            for k in base.entitiesReferring(to: id) where !shadowed.contains(k) { out.append(k + Int32(ownCount)) }
        }
        return out
    }

    /// Entities whose key is exactly `key` (a ``MatchKey``).
    public func lookup(key: String) -> [Entity] {
        var node = root
        for unit in key.utf16 {
            guard let child = child(of: node, unit) else { return [] }
            node = child
        }
        return candidates(at: node).map { entities[Int($0)] }
    }

    /// A position in the match-key tries of both layers (-1: the key left that layer's trie).
    struct Node: Equatable {
        var own: Int32
        var below: Int32
    }

    /// The empty key.
    var root: Node { Node(own: 0, below: base == nil ? -1 : 0) }

    /// The node after `unit`, or nil when no key goes on so.
    @inline(__always)
    func child(of node: Node, _ unit: UInt16) -> Node? {
        let own = node.own >= 0 ? (trie.child(of: node.own, unit) ?? -1) : -1
        guard let base else { return own >= 0 ? Node(own: own, below: -1) : nil }
        let below = node.below >= 0 ? (base.trie.child(of: node.below, unit) ?? -1) : -1
        return own < 0 && below < 0 ? nil : Node(own: own, below: below)
    }

    /// The entities whose key ends at `node`, this layer's first (indices checked:
    /// a damaged value is left out; shadowed base entities too).
    @inline(__always)
    func candidates(at node: Node) -> ArraySlice<Int32> {
        var out: [Int32] = []
        if node.own >= 0 {
            for v in values[Int(node.own)] where v >= 0 && Int(v) < ownCount { out.append(v) }
        }
        if let base, node.below >= 0 {
            for v in base.values[Int(node.below)] where v >= 0 && Int(v) < base.ownCount && !shadowed.contains(v) {
                out.append(v + Int32(ownCount))
            }
        }
        return out[...]
    }

    /// Whether some key ends at `node`.
    @inline(__always)
    func hasCandidates(at node: Node) -> Bool {
        if node.own >= 0 && !values[Int(node.own)].isEmpty { return true }
        guard let base, node.below >= 0 else { return false }
        let list = base.values[Int(node.below)]
        return shadowed.isEmpty ? !list.isEmpty : list.contains { !shadowed.contains($0) }
    }

    /// Entities with a Latin spelling within a small edit distance of `key`
    /// (1 for 5–9 letters, 2 for 10+), best first. Keys under 5 letters never match.
    /// Only forms of a compatible shape (``LatinShape/accepts(_:)``) when `shape` is given.
    func fuzzyLatin(_ key: [UInt8], shape: LatinShape? = nil) -> [(entity: Int32, distance: Int)] {
        guard let limit = LatinTypoRule.limit(forLength: key.count) else { return [] }
        var found: [(Int32, Int)] = []
        var rows: [Int] = []
        let lengths = latinByLength.count - 1
        for length in (key.count - limit)...(key.count + limit) where length >= 0 && length < lengths {
            let lo = Int(latinByLength[length]), hi = Int(latinByLength[length + 1])
            guard lo >= 0, lo <= hi, hi <= latinEntities.count else { continue }
            for k in lo..<hi {
                guard let candidateShape = LatinShape(rawValue: latinShapes[k]), shape?.accepts(candidateShape) ?? true else { continue }
                let start = Int(latinStarts[k]), end = Int(latinStarts[k + 1])
                guard start >= 0, end - start == length, end <= latinBytes.count, length >= 2 else { continue }
                let candidate = latinBytes.rows(start..<end)
                guard LatinTypoRule.keepsHead(key[0], key[1], candidate[0], candidate[1]) else { continue }
                let d = key.withUnsafeBufferPointer { a in boundedDamerau(a, candidate, limit: limit, rows: &rows) }
                let entity = latinEntities[k]
                if d <= limit, entity >= 0, Int(entity) < ownCount { found.append((entity, d)) }
            }
        }
        if let base {
            for hit in base.fuzzyLatin(key, shape: shape) where !shadowed.contains(hit.entity) {
                found.append((hit.entity + Int32(ownCount), hit.distance))
            }
        }
        return found.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map { (entity: $0.0, distance: $0.1) }
    }
}

/// The entities of a lexicon, decoded from the image's records the first time
/// each is asked for and kept (a lock guards the cache; entities are few).
public struct EntityTable: RandomAccessCollection, Sendable {
    private let records: Table<UInt8>
    private let offsets: Table<UInt32>
    private let cache: Cache
    /// The base layer's entities, numbered after these.
    private let below: [EntityTable]
    private let ownCount: Int

    private final class Cache: Sendable {
        let slots: Mutex<[Entity?]>
        init(count: Int) { slots = Mutex([Entity?](repeating: nil, count: count)) }
    }

    init(records: Table<UInt8>, offsets: Table<UInt32>, below: EntityTable?) {
        self.records = records
        self.offsets = offsets
        self.below = below.map { [$0] } ?? []
        self.ownCount = Swift.max(0, offsets.count - 1)
        self.cache = Cache(count: Swift.max(0, offsets.count - 1))
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of entities.
    public var endIndex: Int { ownCount + (below.first?.count ?? 0) }

    /// Entity `index`, decoded on first use.
    public subscript(index: Int) -> Entity {
        if index >= ownCount, let below = below.first { return below[index - ownCount] }
        if let cached = cache.slots.withLock({ $0[index] }) { return cached }
        let entity: Entity
        do {
            entity = try decode(index)
        } catch {
            fatalError("the lexicon built into hashi is damaged (\(error)); rebuild hashi")
        }
        cache.slots.withLock { $0[index] = entity }
        return entity
    }

    /// The record of entity `index`.
    private func cursor(_ index: Int) throws(LexiconImage.Error) -> LexiconImage.Cursor {
        let start = Int(offsets[index]), end = Int(offsets[index + 1])
        guard start <= end, end <= records.count else { throw LexiconImage.Error("an entity record lies outside ENTS") }
        return LexiconImage.Cursor(UnsafeRawBufferPointer(records.rows(start..<end)), name: "ENTS")
    }

    /// Whether entity `index`'s id is `id`, without decoding the rest of it.
    func id(at index: Int) -> String? {
        if index >= ownCount { return below.first?.id(at: index - ownCount) }
        guard var c = try? cursor(index) else { return nil }
        return try? c.string()
    }

    /// Decodes entity `index` from its record.
    func decode(_ index: Int) throws(LexiconImage.Error) -> Entity {
        var c = try cursor(index)
        let entity = try LexiconReader.readEntity(&c)
        guard c.isAtEnd else { throw LexiconImage.Error("an entity record has bytes after its fields") }
        return entity
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
