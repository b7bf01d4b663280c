/// Reads the sections of a compiled lexicon (``LexiconCompiler`` writes them):
/// every count and offset is checked against the size of what it points into.
enum LexiconReader {
    /// One entity record (the fields ``write(_:to:)`` writes, in order).
    static func readEntity(_ c: inout LexiconImage.Cursor) throws(LexiconImage.Error) -> Entity {
        let types = EntityType.allCases, kinds = Relation.Kind.allCases, sources = EntitySource.allCases
        let id = try c.string(), en = try c.string()
        let type = types[try c.int(below: types.count)]
        let ja = try c.strings(), aliases = try c.strings(), context = try c.strings()
        let wikidata = try c.string()
        let relationCount = try c.int(below: c.remaining + 1)
        var relations: [Relation] = []
        if relationCount > 0 { relations.reserveCapacity(relationCount) }
        for _ in 0..<relationCount {
            let kind = kinds[try c.int(below: kinds.count)]
            relations.append(Relation(kind: kind, target: try c.string()))
        }
        let source = sources[try c.int(below: sources.count)]
        return Entity(
            id: id, en: en, type: type, ja: ja, aliases: aliases, wikidata: wikidata.isEmpty ? nil : wikidata,
            relations: relations, context: context, source: source, location: try c.string())
    }
    /// The entities (all decoded and checked) and parse problems of an image.
    static func entities(in image: LexiconImage) throws(LexiconImage.Error) -> (entities: [Entity], issues: [DictionaryIssue]) {
        let lexicon = try EntityLexicon(image: image, storage: nil, checkEntities: true)
        let entities = Array(lexicon.entities)
        var d = try image.cursor(LexiconTag.issues)
        let issueCount = try d.int(below: image.bytes.count + 1)
        var issues: [DictionaryIssue] = []
        for _ in 0..<issueCount {
            let file = try d.string(), line = try d.int(below: Int.max), message = try d.string()
            let severity: DictionaryIssue.Severity = try d.int(below: 2) == 0 ? .error : .warning
            issues.append(DictionaryIssue(file: file, line: line, message: message, severity: severity))
        }
        return (entities, issues)
    }
    static func segmentation(in image: LexiconImage, long: Bool) throws(LexiconImage.Error) -> SegmentationLexicon {
        let tags = long ? LexiconTag.long : LexiconTag.short
        var prefixes: StoredHashSet? = nil
        if long {
            let hasMax = try image.table(LexiconTag.longPrefixMax, of: UInt8.self)
            prefixes = try StoredHashSet(slots: try image.table(LexiconTag.longPrefixes, of: UInt64.self), hasMax: hasMax.first == 1)
        }
        return try SegmentationLexicon(
            pool: try image.table(tags.pool, of: UInt16.self), lengths: try image.table(tags.lengths, of: UInt16.self),
            costs: try image.table(tags.costs, of: Int32.self), offsets: try image.table(tags.offsets, of: Int32.self),
            slots: try image.table(tags.slots, of: Int32.self), prefixes: prefixes)
    }
    /// The common-words index of an image, for a file of `fileSize` bytes: the
    /// index must have been made from a file of that size, and every offset must
    /// lie inside it.
    static func commonWordsIndex(in image: LexiconImage, fileSize: Int) throws(LexiconImage.Error) -> (hashes: [UInt64], offsets: [Int32]) {
        let size = try image.array(LexiconTag.commonWords.size, of: UInt64.self)
        guard size.count == 1, size[0] == UInt64(fileSize) else {
            throw LexiconImage.Error("the common-words index was made from another file")
        }
        let hashes = Array(try image.array(LexiconTag.commonWords.hashes, of: UInt64.self))
        let offsets = Array(try image.array(LexiconTag.commonWords.offsets, of: Int32.self))
        guard hashes.count == offsets.count else { throw LexiconImage.Error("the common-words index's tables disagree in size") }
        for k in offsets.indices {
            guard offsets[k] >= 0, Int(offsets[k]) < fileSize else {
                throw LexiconImage.Error("a common-words offset lies outside the file")
            }
            if k > 0, (hashes[k - 1], offsets[k - 1]) >= (hashes[k], offsets[k]) {
                throw LexiconImage.Error("the common-words index is not sorted")
            }
        }
        return (hashes, offsets)
    }
    static func hiraganaRules(in image: LexiconImage) throws(LexiconImage.Error) -> ResegmentationRules {
        var c = try image.cursor(LexiconTag.hiraganaRules)
        let count = try c.int(below: Int(Int32.max))
        let firstCount = try c.int(below: image.bytes.count + 1)
        var byFirst: [[UInt16]: [ResegmentationRules.Rule]] = [:]
        var total = 0
        for _ in 0..<firstCount {
            let first = try c.units()
            let n = try c.int(below: image.bytes.count + 1)
            var list: [ResegmentationRules.Rule] = []
            for _ in 0..<n {
                let fromCount = try c.int(below: image.bytes.count + 1)
                var from: [[UInt16]] = []
                for _ in 0..<fromCount { from.append(try c.units()) }
                let toCount = try c.int(below: image.bytes.count + 1)
                var to: [Int] = []
                for _ in 0..<toCount { to.append(try c.int(below: 1 << 16)) }
                guard from.first == first, !to.isEmpty, !to.contains(0), !from.contains(where: \.isEmpty),
                    to.reduce(0, +) == from.reduce(0, { $0 + $1.count })
                else {
                    throw LexiconImage.Error("a hiragana rule does not spell its own text")
                }
                list.append(.init(from: from, to: to))
            }
            total += n
            byFirst[first] = list
        }
        guard total == count else { throw LexiconImage.Error("HIRA counts \(count) rules but holds \(total)") }
        return ResegmentationRules(byFirst: byFirst, count: count)
    }
}
