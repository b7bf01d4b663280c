import Foundation

/// Compiles `dictionaries/` into one ``LexiconImage`` and reads it back.
///
/// What the image holds (sections by tag):
/// - `ENTS`, `ISSU`: the entities of the top-level `*.tsv` files (files sorted by
///   name, rows in order) and the problems their parsing reported;
/// - the ``EntityLexicon`` tables: trie edges (`EKEY`, `ECHD`), candidates per node
///   (`TERM`, `VALS`), Latin keys for typo matching (`LATN`), referrers
///   (`REFS`), hashes of written forms (`FHSH`), context cues (`CUES`, `CKEY`,
///   `CCHD`, `CNOD`);
/// - the segmentation lexicons: short units from `segmentation/katakana-words.tsv`
///   (`SPOL`, `SLEN`, `SCST`), long units from the entities' Japanese forms
///   (`LPOL`, `LLEN`, `LCST`, `LPFX`), and the rules of `segmentation/hiragana-rules.tsv` (`HIRA`);
/// - the index of `everyday/common-words.tsv` (`CWSZ`, `CWHS`, `CWOF`): headword
///   hashes and line offsets into that file, which is embedded as text.
///
/// The same files give the same bytes. The built-in image is
/// `dictionaries/lexicon.bin`, regenerated with `hashi dict compile`; a test
/// fails when it is stale.
public enum LexiconCompiler {
    /// Where the built-in image lives, relative to the package root.
    public static let builtinPath = "dictionaries/lexicon.bin"

    /// Why a directory cannot be compiled.
    public struct CompileError: Error, CustomStringConvertible, Sendable {
        /// What went wrong, naming the directory or file where there is one.
        public let message: String
        /// The message as it is.
        public var description: String { message }
    }

    /// Extra cost for a katakana word that is only a proper noun, so that unknown
    /// names are not cut into rare names (タイガトロン is not タイガ|トロン).
    static let properNounPenalty: Int32 = 4000

    // MARK: Compiling

    /// Compiles a `dictionaries/` directory: its top-level `*.tsv` files and
    /// `segmentation/katakana-words.tsv` and `segmentation/hiragana-rules.tsv`.
    public static func compile(directory: String) throws -> [UInt8] {
        guard let all = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw CompileError(message: "\(directory): not a readable directory")
        }
        let names = all.filter { $0.hasSuffix(".tsv") }.sorted()
        var entityFiles: [(name: String, text: String)] = []
        for name in names {
            entityFiles.append((name, try readText((directory as NSString).appendingPathComponent(name))))
        }
        let katakana = try readBytes((directory as NSString).appendingPathComponent("segmentation/katakana-words.tsv"))
        let rulesName = "segmentation/hiragana-rules.tsv"
        let rules = try readText((directory as NSString).appendingPathComponent(rulesName))
        let common = try readBytes((directory as NSString).appendingPathComponent("everyday/common-words.tsv"))
        return try compile(entityFiles: entityFiles, katakanaWords: katakana, hiraganaRules: (rulesName, rules), commonWords: common)
    }

    /// Compiles files given as text (names as messages should show them).
    public static func compile(
        entityFiles: [(name: String, text: String)], katakanaWords: [UInt8],
        hiraganaRules: (name: String, text: String), commonWords: [UInt8]
    ) throws -> [UInt8] {
        var entities: [Entity] = []
        var issues: [DictionaryIssue] = []
        for file in entityFiles {
            let parsed = DictionaryParser.parse(file.text, file: file.name, source: .curated)
            entities += parsed.entities
            issues += parsed.issues
        }
        let tables = EntityLexicon.Tables(entities)
        guard tables.entities == entities else {
            throw CompileError(message: "the built-in dictionaries repeat an id (run hashi dict check)")
        }
        let short = katakanaWords.withUnsafeBufferPointer { shortUnits(fromKatakanaWords: $0) }
        let long = longUnits(entities)
        let rules = try ResegmentationRules(tsv: hiraganaRules.text, source: hiraganaRules.name)

        var image = LexiconImageWriter()
        var s = LexiconImageWriter.Stream()
        s.uint(entities.count)
        for entity in entities { write(entity, to: &s) }
        image.add(Tag.entities, bytes: s.bytes)
        s = LexiconImageWriter.Stream()
        s.uint(issues.count)
        for issue in issues {
            s.string(issue.file)
            s.uint(issue.line)
            s.string(issue.message)
            s.u8(issue.severity == .error ? 0 : 1)
        }
        image.add(Tag.issues, bytes: s.bytes)

        image.add(Tag.edgeKeys, array: tables.edgeKeys)
        image.add(Tag.edgeChildren, array: tables.edgeChildren)
        // Candidates per node: only the nodes that end a key (node, start, end);
        // the others have none. The trie has one node more than it has edges.
        guard tables.valueStart.count == tables.edgeKeys.count + 1 else {
            throw CompileError(message: "the trie is not a tree")
        }
        var terminals: [Int32] = []
        for node in tables.valueStart.indices where tables.valueEnd[node] > tables.valueStart[node] || tables.valueStart[node] != 0 {
            terminals += [Int32(node), tables.valueStart[node], tables.valueEnd[node]]
        }
        image.add(Tag.terminals, array: terminals)
        image.add(Tag.values, array: tables.values)
        s = LexiconImageWriter.Stream()
        s.uint(tables.latin.count)
        for item in tables.latin {
            s.uint(item.key.count)
            s.raw(item.key)
            s.uint(item.entity)
            s.u8(item.shape.rawValue)
        }
        image.add(Tag.latin, bytes: s.bytes)
        s = LexiconImageWriter.Stream()
        s.uint(tables.referrers.count)
        for item in tables.referrers {
            s.string(item.target)
            s.uint(item.entities.count)
            for e in item.entities { s.uint(e) }
        }
        image.add(Tag.referrers, bytes: s.bytes)
        image.add(Tag.formHashes, array: tables.formHashes)
        s = LexiconImageWriter.Stream()
        s.uint(tables.cueCount)
        s.uint(tables.cueIDs.count)
        for ids in tables.cueIDs {
            s.uint(ids.count)
            for id in ids { s.uint(id) }
        }
        image.add(Tag.cues, bytes: s.bytes)
        image.add(Tag.cueEdgeKeys, array: tables.cueEdgeKeys)
        image.add(Tag.cueEdgeChildren, array: tables.cueEdgeChildren)
        image.add(Tag.cueAtNode, array: tables.cueAtNode)

        for (lexicon, tags) in [(short, Tag.short), (long, Tag.long)] {
            let data = lexicon.compiled
            guard data.lengths.count == lexicon.count, data.lengths.reduce(0, { $0 + Int($1) }) == data.pool.count else {
                throw CompileError(message: "a segmentation word is longer than 65535 units")
            }
            image.add(tags.pool, array: data.pool)
            image.add(tags.lengths, array: data.lengths)
            image.add(tags.costs, array: data.costs)
            if let prefixes = data.prefixes { image.add(Tag.longPrefixes, array: prefixes) }
        }

        s = LexiconImageWriter.Stream()
        s.uint(rules.count)
        let firsts = rules.byFirst.keys.sorted { $0.lexicographicallyPrecedes($1) }
        s.uint(firsts.count)
        for first in firsts {
            let list = rules.byFirst[first]!
            s.units(first)
            s.uint(list.count)
            for rule in list {
                s.uint(rule.from.count)
                for token in rule.from { s.units(token) }
                s.uint(rule.to.count)
                for length in rule.to { s.uint(length) }
            }
        }
        image.add(Tag.hiraganaRules, bytes: s.bytes)

        // The index of everyday/common-words.tsv (the file itself is embedded as text).
        let common = commonWords.withUnsafeBufferPointer { CommonWords.index(of: $0) }
        image.add(Tag.commonWords.size, array: [UInt64(commonWords.count)])
        image.add(Tag.commonWords.hashes, array: common.hashes)
        image.add(Tag.commonWords.offsets, array: common.offsets)
        return image.bytes()
    }

    /// Short units: UniDic's katakana words (word TAB cost TAB proper) with their
    /// costs. The words are katakana, already in normalized form: the bytes are
    /// parsed directly without building Strings.
    static func shortUnits(fromKatakanaWords bytes: UnsafeBufferPointer<UInt8>) -> SegmentationLexicon {
        var lexicon = SegmentationLexicon()
        var word: [UInt16] = []
        var i = 0
        while i < bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            defer { i = end + 1 }
            if end == i || bytes[i] == 0x23 { continue }
            var k = i
            while k < end && bytes[k] != 0x09 { k += 1 }
            do {
                try TextBuffer.decodeUTF16(UnsafeBufferPointer(rebasing: bytes[i..<k]), into: &word)
            } catch {
                continue
            }
            k += 1
            var negative = false
            if k < end && bytes[k] == 0x2D { negative = true; k += 1 }
            var cost: Int32 = 0
            while k < end && bytes[k] >= 0x30 && bytes[k] <= 0x39 { cost = cost * 10 + Int32(bytes[k] - 0x30); k += 1 }
            if negative { cost = -cost }
            let proper = k + 1 < end && bytes[k + 1] == 0x31
            lexicon.insertNormalized(word, cost: cost + (proper ? properNounPenalty : 0))
        }
        return lexicon
    }

    /// Long units: the Japanese forms of the curated dictionaries, so that terms
    /// spanning several short units stay whole (アセンド910C).
    static func longUnits(_ entities: [Entity]) -> SegmentationLexicon {
        var lexicon = SegmentationLexicon(trackingPrefixes: true)
        for entity in entities {
            for form in entity.ja where form.unicodeScalars.count >= 2 { lexicon.insert(form, cost: SegmentationLexicon.defaultCost) }
        }
        return lexicon
    }

    private static func write(_ entity: Entity, to s: inout LexiconImageWriter.Stream) {
        s.string(entity.id)
        s.string(entity.en)
        s.u8(UInt8(EntityType.allCases.firstIndex(of: entity.type)!))
        for list in [entity.ja, entity.aliases, entity.context] {
            s.uint(list.count)
            for item in list { s.string(item) }
        }
        s.string(entity.wikidata ?? "")
        s.uint(entity.relations.count)
        for relation in entity.relations {
            s.u8(UInt8(Relation.Kind.allCases.firstIndex(of: relation.kind)!))
            s.string(relation.target)
        }
        s.u8(UInt8(EntitySource.allCases.firstIndex(of: entity.source)!))
        s.string(entity.location)
    }

    private static func readText(_ path: String) throws -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CompileError(message: "\(path): not UTF-8")
        }
        return text
    }

    private static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CompileError(message: "\(path): cannot read file")
        }
        return [UInt8](data)
    }

    // MARK: Reading

    enum Tag {
        static let entities = LexiconImage.tag("ENTS")
        static let issues = LexiconImage.tag("ISSU")
        static let edgeKeys = LexiconImage.tag("EKEY")
        static let edgeChildren = LexiconImage.tag("ECHD")
        static let terminals = LexiconImage.tag("TERM")
        static let values = LexiconImage.tag("VALS")
        static let latin = LexiconImage.tag("LATN")
        static let referrers = LexiconImage.tag("REFS")
        static let formHashes = LexiconImage.tag("FHSH")
        static let cues = LexiconImage.tag("CUES")
        static let cueEdgeKeys = LexiconImage.tag("CKEY")
        static let cueEdgeChildren = LexiconImage.tag("CCHD")
        static let cueAtNode = LexiconImage.tag("CNOD")
        static let short = (pool: LexiconImage.tag("SPOL"), lengths: LexiconImage.tag("SLEN"), costs: LexiconImage.tag("SCST"))
        static let long = (pool: LexiconImage.tag("LPOL"), lengths: LexiconImage.tag("LLEN"), costs: LexiconImage.tag("LCST"))
        static let longPrefixes = LexiconImage.tag("LPFX")
        static let hiraganaRules = LexiconImage.tag("HIRA")
        static let commonWords = (size: LexiconImage.tag("CWSZ"), hashes: LexiconImage.tag("CWHS"), offsets: LexiconImage.tag("CWOF"))
    }

    /// The entities and parse problems of an image.
    static func entities(in image: LexiconImage) throws(LexiconImage.Error) -> (entities: [Entity], issues: [DictionaryIssue]) {
        var c = try image.cursor(Tag.entities)
        let count = try c.int(below: image.bytes.count + 1)
        var entities: [Entity] = []
        entities.reserveCapacity(count)
        let types = EntityType.allCases, kinds = Relation.Kind.allCases, sources = EntitySource.allCases
        for _ in 0..<count {
            let id = try c.string(), en = try c.string()
            let type = types[try c.int(below: types.count)]
            let ja = try c.strings(), aliases = try c.strings(), context = try c.strings()
            let wikidata = try c.string()
            let relationCount = try c.int(below: image.bytes.count + 1)
            var relations: [Relation] = []
            if relationCount > 0 { relations.reserveCapacity(relationCount) }
            for _ in 0..<relationCount {
                let kind = kinds[try c.int(below: kinds.count)]
                relations.append(Relation(kind: kind, target: try c.string()))
            }
            let source = sources[try c.int(below: sources.count)]
            entities.append(
                Entity(
                    id: id, en: en, type: type, ja: ja, aliases: aliases,
                    wikidata: wikidata.isEmpty ? nil : wikidata, relations: relations,
                    context: context, source: source, location: try c.string()))
        }
        guard c.isAtEnd else { throw LexiconImage.Error("section ENTS has bytes after its records") }
        var d = try image.cursor(Tag.issues)
        let issueCount = try d.int(below: image.bytes.count + 1)
        var issues: [DictionaryIssue] = []
        for _ in 0..<issueCount {
            let file = try d.string(), line = try d.int(below: Int.max), message = try d.string()
            let severity: DictionaryIssue.Severity = try d.int(below: 2) == 0 ? .error : .warning
            issues.append(DictionaryIssue(file: file, line: line, message: message, severity: severity))
        }
        return (entities, issues)
    }

    /// The entity lexicon's tables of an image over its `entities`; every index
    /// is checked against the size of what it points into.
    static func tables(in image: LexiconImage, entities: [Entity]) throws(LexiconImage.Error) -> EntityLexicon.Tables {
        var t = EntityLexicon.Tables()
        t.entities = entities
        var ids = Set<String>()
        for entity in entities where !ids.insert(entity.id).inserted {
            throw LexiconImage.Error("entity id \(entity.id) appears twice")
        }
        t.edgeKeys = Array(try image.array(Tag.edgeKeys, of: UInt64.self))
        t.edgeChildren = Array(try image.array(Tag.edgeChildren, of: Int32.self))
        t.values = Array(try image.array(Tag.values, of: Int32.self))
        guard t.edgeKeys.count == t.edgeChildren.count else { throw LexiconImage.Error("the trie's tables disagree in size") }
        let nodes = t.edgeKeys.count + 1
        t.valueStart = [Int32](repeating: 0, count: nodes)
        t.valueEnd = [Int32](repeating: 0, count: nodes)
        let terminals = try image.array(Tag.terminals, of: Int32.self)
        guard terminals.count % 3 == 0 else { throw LexiconImage.Error("section TERM is not node/start/end triples") }
        for k in stride(from: 0, to: terminals.count, by: 3) {
            let node = Int(terminals[k])
            guard node >= 0, node < nodes else { throw LexiconImage.Error("section TERM names a node outside the trie") }
            t.valueStart[node] = terminals[k + 1]
            t.valueEnd[node] = terminals[k + 2]
        }
        try checkEdges(t.edgeKeys, t.edgeChildren, nodes: nodes, name: "EKEY/ECHD")
        for node in 0..<nodes {
            let start = t.valueStart[node], end = t.valueEnd[node]
            guard start >= 0, start <= end, Int(end) <= t.values.count else {
                throw LexiconImage.Error("a trie node's candidates lie outside VALS")
            }
        }
        for value in t.values where value < 0 || Int(value) >= entities.count {
            throw LexiconImage.Error("a candidate is not an entity")
        }
        var c = try image.cursor(Tag.latin)
        let latinCount = try c.int(below: image.bytes.count + 1)
        t.latin.reserveCapacity(latinCount)
        for _ in 0..<latinCount {
            let length = try c.int(below: 1 << 16)
            let key = Array(try c.bytes(length))
            guard key.count >= 2 else { throw LexiconImage.Error("a Latin key is too short") }
            let entity = Int32(try c.int(below: entities.count))
            guard let shape = LatinShape(rawValue: try c.u8()) else { throw LexiconImage.Error("bad Latin shape") }
            t.latin.append(.init(key: key, entity: entity, shape: shape))
        }
        c = try image.cursor(Tag.referrers)
        let referrerCount = try c.int(below: image.bytes.count + 1)
        for _ in 0..<referrerCount {
            let target = try c.string()
            let n = try c.int(below: image.bytes.count + 1)
            var list: [Int32] = []
            for _ in 0..<n { list.append(Int32(try c.int(below: entities.count))) }
            t.referrers.append(.init(target: target, entities: list))
        }
        t.formHashes = Array(try image.array(Tag.formHashes, of: UInt64.self))
        c = try image.cursor(Tag.cues)
        t.cueCount = try c.int(below: Int(Int32.max))
        let cueLists = try c.int(below: entities.count + 1)
        guard cueLists == entities.count else { throw LexiconImage.Error("CUES has a list per entity") }
        t.cueIDs.reserveCapacity(cueLists)
        for _ in 0..<cueLists {
            let n = try c.int(below: image.bytes.count + 1)
            var ids: [Int32] = []
            for _ in 0..<n { ids.append(Int32(try c.int(below: t.cueCount))) }
            t.cueIDs.append(ids)
        }
        t.cueEdgeKeys = Array(try image.array(Tag.cueEdgeKeys, of: UInt64.self))
        t.cueEdgeChildren = Array(try image.array(Tag.cueEdgeChildren, of: Int32.self))
        t.cueAtNode = Array(try image.array(Tag.cueAtNode, of: Int32.self))
        guard !t.cueAtNode.isEmpty, t.cueEdgeKeys.count == t.cueEdgeChildren.count else {
            throw LexiconImage.Error("the cue trie's tables disagree in size")
        }
        try checkEdges(t.cueEdgeKeys, t.cueEdgeChildren, nodes: t.cueAtNode.count, name: "CKEY/CCHD")
        for id in t.cueAtNode where id < -1 || Int(id) >= t.cueCount {
            throw LexiconImage.Error("a cue-trie node names no cue")
        }
        return t
    }

    private static func checkEdges(_ keys: [UInt64], _ children: [Int32], nodes: Int, name: String) throws(LexiconImage.Error) {
        var previous: UInt64? = nil
        for (key, child) in zip(keys, children) {
            guard child > 0, Int(child) < nodes, key >> 16 < UInt64(nodes), key != UInt64.max else {
                throw LexiconImage.Error("an edge of \(name) leads outside the trie")
            }
            if let previous, previous >= key { throw LexiconImage.Error("the edges of \(name) are not sorted") }
            previous = key
        }
    }

    static func segmentation(in image: LexiconImage, long: Bool) throws(LexiconImage.Error) -> SegmentationLexicon {
        let tags = long ? Tag.long : Tag.short
        let pool = Array(try image.array(tags.pool, of: UInt16.self))
        let prefixes = long ? Array(try image.array(Tag.longPrefixes, of: UInt64.self)) : nil
        return try SegmentationLexicon(
            pool: pool, lengths: try image.array(tags.lengths, of: UInt16.self),
            costs: try image.array(tags.costs, of: Int32.self), prefixes: prefixes)
    }

    /// The common-words index of an image, for a file of `fileSize` bytes: the
    /// index must have been made from a file of that size, and every offset must
    /// lie inside it.
    static func commonWordsIndex(in image: LexiconImage, fileSize: Int) throws(LexiconImage.Error) -> (hashes: [UInt64], offsets: [Int32]) {
        let size = try image.array(Tag.commonWords.size, of: UInt64.self)
        guard size.count == 1, size[0] == UInt64(fileSize) else {
            throw LexiconImage.Error("the common-words index was made from another file")
        }
        let hashes = Array(try image.array(Tag.commonWords.hashes, of: UInt64.self))
        let offsets = Array(try image.array(Tag.commonWords.offsets, of: Int32.self))
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
        var c = try image.cursor(Tag.hiraganaRules)
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
