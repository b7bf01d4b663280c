extension EntityLexicon {
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
}
