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
///   by target-id hash (`RFHS`, `RFST`, `REFS`); a hash set of written forms (`FHSH`, `FHMX`);
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
        TSV.forEachRow(bytes) { row in
            let fields = TSV.fields(bytes, row)
            guard fields.count >= 2 else { return }
            do {
                try TextBuffer.decodeUTF16(UnsafeBufferPointer(rebasing: bytes[fields[0]]), into: &word)
            } catch {
                return
            }
            var k = fields[1].lowerBound
            let end = fields[1].upperBound
            var negative = false
            if k < end && bytes[k] == 0x2D { negative = true; k += 1 }
            var cost: Int32 = 0
            while k < end && bytes[k] >= 0x30 && bytes[k] <= 0x39 { cost = cost * 10 + Int32(bytes[k] - 0x30); k += 1 }
            if negative { cost = -cost }
            let proper = fields.count > 2 && bytes[fields[2]].first == 0x31
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

        // Referrers by the hash of the target id (a target may be an entity of
        // another layer: a user's row pointing at a built-in id), sorted by hash.
        var byHash: [UInt64: [Int32]] = [:]
        for item in t.referrers { byHash[FNV1a.hash(Array(item.target.utf8)), default: []] += item.entities }
        let hashes = byHash.keys.sorted()
        let refs = StoredLists.build(hashes.map { byHash[$0]!.sorted() })
        image.add(Tag.referrerHashes, array: hashes)
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

    /// The section tags (see ``LexiconTag``).
    typealias Tag = LexiconTag

}

extension LexiconCompiler.CompileError: HashiError {}
