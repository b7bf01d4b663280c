import Foundation

/// Compiles `dictionaries/` into one ``LexiconImage`` and reads it back.
///
/// What the image holds (sections by tag), every table ready to be read in place
/// (nothing is rebuilt at start-up; see ``EntityLexicon`` and ``SegmentationLexicon``):
/// - the entities of the top-level `*.tsv` files (files sorted by name, rows in
///   order): records (`ENTS`) with their offsets (`EOFF`), a byte of type, source
///   and cue flag each (`EMET`), ids by hash (`IDHS`, `IDEN`), and the problems
///   their parsing reported (`ISSU`);
/// - the match-key trie as sorted sibling lists (`EFST`, `EUNI`, `ECHD`) with a
///   root table (`EROT`) and candidates per node (`VSTR`, `VALS`); Latin keys for
///   typo matching by length (`LTST`, `LTKB`, `LTEN`, `LTSH`, `LTBL`); referrers
///   per entity (`RFST`, `REFS`); a hash set of written forms (`FHSH`, `FHMX`);
///   context cues per entity (`CUST`, `CUES`, `CCNT`) and their trie (`CFST`,
///   `CUNI`, `CCHD`, `CNOD`);
/// - the segmentation lexicons with their hash slots: short units from
///   `segmentation/katakana-words.tsv` (`SPOL`, `SLEN`, `SCST`, `SOFS`, `SSLT`),
///   long units from the entities' Japanese forms (`LPOL`, `LLEN`, `LCST`,
///   `LOFS`, `LSLT`, prefix set `LPFX`, `LPMX`), and the rules of
///   `segmentation/hiragana-rules.tsv` (`HIRA`);
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
        /// Whether the dictionary rows are at fault (a check of the dictionaries names them),
        /// rather than a file or directory.
        public var inDictionaryRows = false
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
            throw CompileError(message: "the built-in dictionaries repeat an id", inDictionaryRows: true)
        }
        let short = katakanaWords.withUnsafeBufferPointer { shortUnits(fromKatakanaWords: $0) }
        let long = longUnits(entities)
        let rules = try ResegmentationRules(tsv: hiraganaRules.text, source: hiraganaRules.name)

        var image = LexiconImageWriter()
        writeEntitySections(tables, to: &image)
        var s = LexiconImageWriter.Stream()
        s.uint(issues.count)
        for issue in issues {
            s.string(issue.file)
            s.uint(issue.line)
            s.string(issue.message)
            s.u8(issue.severity == .error ? 0 : 1)
        }
        image.add(Tag.issues, bytes: s.bytes)

        for (lexicon, tags) in [(short, Tag.short), (long, Tag.long)] {
            let data = lexicon.compiled
            guard data.lengths.count == lexicon.count, data.lengths.reduce(0, { $0 + Int($1) }) == data.pool.count else {
                throw CompileError(message: "a segmentation word is longer than 65535 units")
            }
            image.add(tags.pool, array: data.pool)
            image.add(tags.lengths, array: data.lengths)
            image.add(tags.costs, array: data.costs)
            image.add(tags.offsets, array: data.offsets)
            image.add(tags.slots, array: data.slots)
            if let prefixes = data.prefixes {
                let table = StoredHashSet.build(prefixes)
                image.add(Tag.longPrefixes, array: table.slots)
                image.add(Tag.longPrefixMax, array: [UInt8(table.hasMax ? 1 : 0)])
            }
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

    /// An image holding only the entity sections of `tables` (a lexicon built in
    /// memory from rows reads the same sections as the built-in one).
    static func compileEntities(_ tables: EntityLexicon.Tables) -> [UInt8] {
        var image = LexiconImageWriter()
        writeEntitySections(tables, to: &image)
        return image.bytes()
    }

    /// The sections ``EntityLexicon`` reads in place.
    static func writeEntitySections(_ t: EntityLexicon.Tables, to image: inout LexiconImageWriter) {
        var s = LexiconImageWriter.Stream()
        var offsets: [UInt32] = [0]
        for entity in t.entities {
            write(entity, to: &s)
            offsets.append(UInt32(s.bytes.count))
        }
        image.add(Tag.entities, bytes: s.bytes)
        image.add(Tag.entityOffsets, array: offsets)
        image.add(Tag.entityMeta, array: t.entities.map(EntityLexicon.metaByte))
        let ids = t.entities.enumerated().map { (hash: FNV1a.hash(Array($0.element.id.utf8)), entity: Int32($0.offset)) }
            .sorted { ($0.hash, $0.entity) < ($1.hash, $1.entity) }
        image.add(Tag.idHashes, array: ids.map(\.hash))
        image.add(Tag.idEntities, array: ids.map(\.entity))

        let nodes = t.valueStart.count
        let trie = StoredTrie.build(sortedKeys: t.edgeKeys, children: t.edgeChildren, nodeCount: nodes, withRoot: true)
        image.add(Tag.edgeFirst, array: trie.first)
        image.add(Tag.edgeUnits, array: trie.units)
        image.add(Tag.edgeChildren, array: trie.children)
        image.add(Tag.rootChildren, array: trie.root)
        let values = StoredLists.build((0..<nodes).map { Array(t.values[Int(t.valueStart[$0])..<Int(t.valueEnd[$0])]) })
        image.add(Tag.valueStarts, array: values.starts)
        image.add(Tag.values, array: values.values)

        // Latin keys by length (stable: the rows' order within a length).
        let latin = t.latin.enumerated().sorted { ($0.element.key.count, $0.offset) < ($1.element.key.count, $1.offset) }.map(\.element)
        var latinStarts: [Int32] = [0]
        var latinBytes: [UInt8] = []
        for item in latin {
            latinBytes += item.key
            latinStarts.append(Int32(latinBytes.count))
        }
        let longest = latin.last?.key.count ?? 0
        var byLength = [Int32](repeating: 0, count: longest + 2)
        for length in 0...(longest + 1) { byLength[length] = Int32(latin.firstIndex { $0.key.count >= length } ?? latin.count) }
        image.add(Tag.latinStarts, array: latinStarts)
        image.add(Tag.latinBytes, array: latinBytes)
        image.add(Tag.latinEntities, array: latin.map(\.entity))
        image.add(Tag.latinShapes, array: latin.map(\.shape.rawValue))
        image.add(Tag.latinByLength, array: byLength)

        // Referrers per target entity (a relation to an id that is no entity points nowhere).
        var index: [String: Int] = [:]
        for (k, entity) in t.entities.enumerated() { index[entity.id] = k }
        var referrers = [[Int32]](repeating: [], count: t.entities.count)
        for item in t.referrers {
            if let k = index[item.target] { referrers[k] = item.entities }
        }
        let refs = StoredLists.build(referrers)
        image.add(Tag.referrerStarts, array: refs.starts)
        image.add(Tag.referrers, array: refs.values)

        let cues = StoredLists.build(t.cueIDs)
        image.add(Tag.cueStarts, array: cues.starts)
        image.add(Tag.cues, array: cues.values)
        image.add(Tag.cueCount, array: [UInt64(t.cueCount)])
        let cueTrie = StoredTrie.build(
            sortedKeys: t.cueEdgeKeys, children: t.cueEdgeChildren, nodeCount: t.cueAtNode.count, withRoot: false)
        image.add(Tag.cueEdgeFirst, array: cueTrie.first)
        image.add(Tag.cueEdgeUnits, array: cueTrie.units)
        image.add(Tag.cueEdgeChildren, array: cueTrie.children)
        image.add(Tag.cueAtNode, array: t.cueAtNode)
        let forms = StoredHashSet.build(t.formHashes)
        image.add(Tag.formHashes, array: forms.slots)
        image.add(Tag.formHashMax, array: [UInt8(forms.hasMax ? 1 : 0)])
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
        static let entityOffsets = LexiconImage.tag("EOFF")
        static let entityMeta = LexiconImage.tag("EMET")
        static let issues = LexiconImage.tag("ISSU")
        static let idHashes = LexiconImage.tag("IDHS")
        static let idEntities = LexiconImage.tag("IDEN")
        static let edgeFirst = LexiconImage.tag("EFST")
        static let edgeUnits = LexiconImage.tag("EUNI")
        static let edgeChildren = LexiconImage.tag("ECHD")
        static let rootChildren = LexiconImage.tag("EROT")
        static let valueStarts = LexiconImage.tag("VSTR")
        static let values = LexiconImage.tag("VALS")
        static let latinStarts = LexiconImage.tag("LTST")
        static let latinBytes = LexiconImage.tag("LTKB")
        static let latinEntities = LexiconImage.tag("LTEN")
        static let latinShapes = LexiconImage.tag("LTSH")
        static let latinByLength = LexiconImage.tag("LTBL")
        static let referrerStarts = LexiconImage.tag("RFST")
        static let referrers = LexiconImage.tag("REFS")
        static let formHashes = LexiconImage.tag("FHSH")
        static let formHashMax = LexiconImage.tag("FHMX")
        static let cueStarts = LexiconImage.tag("CUST")
        static let cues = LexiconImage.tag("CUES")
        static let cueCount = LexiconImage.tag("CCNT")
        static let cueEdgeFirst = LexiconImage.tag("CFST")
        static let cueEdgeUnits = LexiconImage.tag("CUNI")
        static let cueEdgeChildren = LexiconImage.tag("CCHD")
        static let cueAtNode = LexiconImage.tag("CNOD")
        typealias Segmentation = (pool: UInt32, lengths: UInt32, costs: UInt32, offsets: UInt32, slots: UInt32)
        static let short: Segmentation = (
            LexiconImage.tag("SPOL"), LexiconImage.tag("SLEN"), LexiconImage.tag("SCST"), LexiconImage.tag("SOFS"), LexiconImage.tag("SSLT")
        )
        static let long: Segmentation = (
            LexiconImage.tag("LPOL"), LexiconImage.tag("LLEN"), LexiconImage.tag("LCST"), LexiconImage.tag("LOFS"), LexiconImage.tag("LSLT")
        )
        static let longPrefixes = LexiconImage.tag("LPFX")
        static let longPrefixMax = LexiconImage.tag("LPMX")
        static let hiraganaRules = LexiconImage.tag("HIRA")
        static let commonWords = (size: LexiconImage.tag("CWSZ"), hashes: LexiconImage.tag("CWHS"), offsets: LexiconImage.tag("CWOF"))
    }

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

    static func segmentation(in image: LexiconImage, long: Bool) throws(LexiconImage.Error) -> SegmentationLexicon {
        let tags = long ? Tag.long : Tag.short
        var prefixes: StoredHashSet? = nil
        if long {
            let hasMax = try image.array(Tag.longPrefixMax, of: UInt8.self)
            prefixes = try StoredHashSet(slots: try image.array(Tag.longPrefixes, of: UInt64.self), hasMax: hasMax.first == 1)
        }
        return try SegmentationLexicon(
            pool: try image.array(tags.pool, of: UInt16.self), lengths: try image.array(tags.lengths, of: UInt16.self),
            costs: try image.array(tags.costs, of: Int32.self), offsets: try image.array(tags.offsets, of: Int32.self),
            slots: try image.array(tags.slots, of: Int32.self), prefixes: prefixes, storage: nil)
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
