import Foundation

/// What ``TermLookup`` needs from the dictionaries: entities by match key and
/// by id, and every form for the fallback indexes (romaji, fuzzy, suggestions).
/// References (`ref`) number entities in precedence order.
protocol LookupCatalog: AnyObject {
    /// Entities whose match key is `key`, in precedence order, each with its form
    /// of that key when `forms` (else nil).
    func entities(forKey key: [UInt16], forms: Bool) -> [CatalogHit]
    func entity(id: String) -> Entity?
    /// Every indexed form: its entity's reference, the form, its match key, and
    /// whether it is a Japanese form (not an alias or the English name).
    /// With `japaneseOnly`, only Japanese forms, and the key is empty (not computed).
    func forEachForm(japaneseOnly: Bool, _ body: (_ ref: Int32, _ form: String, _ key: [UInt16], _ japanese: Bool) -> Void)
    /// The entity of a reference; nil when an earlier one has its id, or the row is unusable.
    func entity(ref: Int32) -> EntityBox?
}

/// An entity behind a reference: handing it around costs one retain, not a
/// copy of every field.
final class EntityBox {
    let entity: Entity
    init(_ entity: Entity) { self.entity = entity }
}

/// An entity found by key, and the form that has the key.
struct CatalogHit {
    var box: EntityBox
    var form: String?
}

/// A catalog over a lexicon that is already built.
final class LexiconCatalog: LookupCatalog {
    let lexicon: EntityLexicon
    private let buffer = TextBuffer()
    private var key: [UInt16] = []
    private var map: [Int32] = []

    private lazy var boxes: [EntityBox] = lexicon.entities.map(EntityBox.init)

    init(_ lexicon: EntityLexicon) { self.lexicon = lexicon }

    func entities(forKey query: [UInt16], forms: Bool) -> [CatalogHit] {
        var node: Int32 = 0
        for unit in query {
            guard let child = lexicon.child(of: node, unit) else { return [] }
            node = child
        }
        return lexicon.candidates(at: node).map { index in
            let box = boxes[Int(index)], entity = box.entity
            guard forms else { return CatalogHit(box: box, form: nil) }
            return CatalogHit(box: box, form: (entity.ja + entity.aliases + [entity.en]).first { self.key(of: $0) == query })
        }
    }

    private func key(of form: String) -> [UInt16] {
        buffer.load(form)
        buffer.normalized.withUnsafeBufferPointer { MatchKey.fold($0, into: &key, map: &map) }
        return key
    }

    func entity(id: String) -> Entity? { lexicon.entity(id: id) }

    func forEachForm(japaneseOnly: Bool, _ body: (Int32, String, [UInt16], Bool) -> Void) {
        for (index, entity) in lexicon.entities.enumerated() {
            for (k, form) in (entity.ja + entity.aliases + [entity.en]).enumerated() {
                if japaneseOnly {
                    if k < entity.ja.count { body(Int32(index), form, [], true) }
                    continue
                }
                let key = key(of: form)
                guard !key.isEmpty, EntityLexicon.isIndexable(form: form, key: key) else { continue }
                body(Int32(index), form, key, k < entity.ja.count)
            }
        }
    }

    func entity(ref: Int32) -> EntityBox? { boxes[Int(ref)] }
}

/// A look-up index over dictionary files kept as bytes, for a fast cold start.
///
/// Opening it only splits the files into rows and forms (byte ranges: no
/// strings, no ``Entity`` values, no keys), about a millisecond where parsing
/// every row and building the ``EntityLexicon`` (trie, context cues, fuzzy
/// buckets) takes a hundred. The first queries scan the forms, computing the
/// match key only of forms whose first character can fold to the query key's
/// first unit; after ``scanLimit`` queries (a batch) the keys of all forms go
/// into a sorted hash table. The rows a query meets are parsed by
/// ``DictionaryParser/parseRow(_:file:line:source:issue:)``, the code every
/// other reader uses, and kept.
///
/// Same answers as ``EntityLexicon/lookup(key:)``: rows in precedence order (user
/// files, then the built-in ones), a later row with an id already seen is
/// shadowed, one- and two-letter Latin keys follow ``EntityLexicon/isIndexable(form:key:)``.
final class FormIndex: LookupCatalog {
    struct File {
        var name: String
        var bytes: UnsafeBufferPointer<UInt8>
        var source: EntitySource
    }
    private struct Row {
        var file: Int32
        var start: Int32
        var end: Int32
        var idEnd: Int32
        var line: Int32
    }

    private let files: [File]
    /// Owners of user files' bytes (the built-in ones are static data).
    private let storage: [UnsafeMutableBufferPointer<UInt8>]
    private var rows: [Row] = []
    /// Every form (en, ja, aliases, trimmed) as a byte range of its row's file, in row order.
    private var formStart: [Int32] = []
    private var formEnd: [Int32] = []
    private var formRow: [Int32] = []
    private var formIsJapanese: [Bool] = []
    /// (key hash, row) sorted, built once enough queries came (a batch); until
    /// then each query scans the forms, skipping by first letter.
    private var hashes: [UInt64] = []
    private var hashForms: [Int32] = []
    /// The keys of the hashed forms, to rule out hash collisions: form k's key is
    /// `keyPool[keyStart[k]..<keyStart[k + 1]]`.
    private var keyPool: [UInt16] = []
    private var keyStart: [Int32] = []
    private var hashed = false
    private var scans = 0
    /// Queries answered by scanning before the hash table is built.
    var scanLimit = 32
    private var rowByID: [String: Int32]?
    private var idScans = 0
    /// Rows parsed so far (nil: not yet, or unusable when in `unusable`).
    private var parsed: [EntityBox?] = []
    private var unusable: Set<Int32> = []
    /// Per row: 0 not known yet, 1 parsed and the first with its id, 2 shadowed or unusable.
    @exclusivity(unchecked) private var live: [UInt8] = []
    private let keys = KeyMaker()

    deinit { for buffer in storage { buffer.deallocate() } }

    /// The built-in dictionaries and the user's (`userPaths`: files or
    /// directories); throws like ``Dictionaries/lexicon(userPaths:)`` when a user
    /// dictionary has errors.
    static func dictionaries(userPaths: [String]) throws -> FormIndex {
        var files: [File] = []
        var storage: [UnsafeMutableBufferPointer<UInt8>] = []
        if !userPaths.isEmpty {
            let paths = try Dictionaries.files(in: userPaths)
            let user = try Dictionaries.parse(files: paths, source: .user)
            let errors = user.issues.filter { $0.severity == .error }
            if !errors.isEmpty { throw Dictionaries.LoadError(issues: errors) }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw InputError.unreadable(path: path, reason: "cannot read file")
                }
                let owned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
                _ = owned.initialize(from: data)
                storage.append(owned)
                files.append(File(name: path, bytes: UnsafeBufferPointer(owned), source: .user))
            }
        }
        for file in BuiltinData.files where !file.name.contains("/") {
            files.append(File(name: file.name, bytes: file.bytes, source: .curated))
        }
        return FormIndex(files: files, storage: storage)
    }

    init(files: [File], storage: [UnsafeMutableBufferPointer<UInt8>] = []) {
        self.files = files
        self.storage = storage
        formStart.reserveCapacity(20_000)
        formEnd.reserveCapacity(20_000)
        formRow.reserveCapacity(20_000)
        formIsJapanese.reserveCapacity(20_000)
        for (f, file) in files.enumerated() { split(file, Int32(f)) }
        parsed = [EntityBox?](repeating: nil, count: rows.count)
        live = [UInt8](repeating: 0, count: rows.count)
    }

    // MARK: Building

    /// Finds the rows and their forms (bytes only: no strings, no keys).
    private func split(_ file: File, _ f: Int32) {
        let b = file.bytes
        let n = b.count
        var start = 0
        var line: Int32 = 0
        var sawHeader = false
        var tabs = (0, 0, 0, 0, 0)
        while start < n {
            line += 1
            var end = start
            var count = 0
            while end < n {
                let c = b[end]
                if c == 0x0A { break }
                if c == 0x09 {
                    switch count {
                    case 0: tabs.0 = end
                    case 1: tabs.1 = end
                    case 2: tabs.2 = end
                    case 3: tabs.3 = end
                    case 4: tabs.4 = end
                    default: break
                    }
                    count += 1
                }
                end += 1
            }
            let next = end + 1
            if end > start && b[end - 1] == 0x0D { end -= 1 }
            defer { start = next }
            if end == start || b[start] == 0x23 { continue }  // empty or # comment
            if !sawHeader {
                sawHeader = true
                let first = count > 0 ? tabs.0 : end
                if first - start == 2 && b[start] == 0x69 && b[start + 1] == 0x64 { continue }  // "id": the header
            }
            guard count == 7 else { continue }
            let row = Int32(rows.count)
            rows.append(Row(file: f, start: Int32(start), end: Int32(end), idEnd: Int32(tabs.0), line: line))
            addForms(b, tabs.2 + 1, tabs.3, list: true, japanese: true, row)  // ja
            addForms(b, tabs.3 + 1, tabs.4, list: true, japanese: false, row)  // aliases
            addForms(b, tabs.0 + 1, tabs.1, list: false, japanese: false, row)  // en
        }
    }

    private func addForms(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, list: Bool, japanese: Bool, _ row: Int32) {
        var s = from
        while s < to {
            var e = s
            if list { while e < to && b[e] != 0x7C { e += 1 } } else { e = to }
            let form = Self.trimmed(b, s, e)
            if !form.isEmpty {
                formStart.append(Int32(form.lowerBound))
                formEnd.append(Int32(form.upperBound))
                formRow.append(row)
                formIsJapanese.append(japanese)
            }
            s = e + 1
        }
    }

    /// Hashes the key of every form: for batches.
    private func buildHashTable() {
        var pairs: [(UInt64, Int32)] = []
        pairs.reserveCapacity(formRow.count)
        keyStart = [0]
        keyStart.reserveCapacity(formRow.count + 1)
        for k in 0..<formRow.count {
            let b = bytes(ofForm: k)
            keys.make(b)
            if !keys.key.isEmpty && isIndexable(b) { pairs.append((Self.hash(keys.key), Int32(k))) }
            keyPool.append(contentsOf: keys.key)
            keyStart.append(Int32(keyPool.count))
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        hashes = pairs.map(\.0)
        hashForms = pairs.map(\.1)
        hashed = true
    }

    @inline(__always)
    private func bytes(ofForm k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: files[Int(rows[Int(formRow[k])].file)].bytes[Int(formStart[k])..<Int(formEnd[k])])
    }

    /// ``EntityLexicon/isIndexable(form:key:)`` on bytes (a String only for short Latin keys).
    private func isIndexable(_ form: UnsafeBufferPointer<UInt8>) -> Bool {
        let key = keys.key
        guard key.count <= 2, key.allSatisfy({ $0 < 0x80 }) else { return true }
        return EntityLexicon.isIndexable(form: String(decoding: form, as: UTF8.self), key: key)
    }

    /// The range without leading and trailing spaces (ASCII and U+3000), as ``DictionaryParser`` trims.
    private static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Range<Int> {
        var s = s, e = e
        while true {
            if s < e && b[s] == 0x20 { s += 1; continue }
            if s + 3 <= e && b[s] == 0xE3 && b[s + 1] == 0x80 && b[s + 2] == 0x80 { s += 3; continue }
            break
        }
        while true {
            if e > s && b[e - 1] == 0x20 { e -= 1; continue }
            if e - 3 >= s && b[e - 3] == 0xE3 && b[e - 2] == 0x80 && b[e - 1] == 0x80 { e -= 3; continue }
            break
        }
        return s..<e
    }

    /// Whether the key of a form starting with these bytes can start with `first`:
    /// false only when the form's first character surely folds to something else.
    @inline(__always)
    static func mayStart(with first: UInt16, _ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let b0 = UInt32(b[s])
        var c: UInt32
        if b0 < 0x80 {
            c = b0
        } else if b0 & 0xF0 == 0xE0, s + 2 < e {
            c = (b0 & 0x0F) << 12 | UInt32(b[s + 1] & 0x3F) << 6 | UInt32(b[s + 2] & 0x3F)
        } else {
            return true
        }
        if MatchKey.isSeparator(UInt16(c)) { return true }  // dropped
        switch c {
        case 0x41...0x5A: c += 0x20
        case 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9: c += 1
        case 0x30F5: c = 0x30AB
        case 0x30F6: c = 0x30B1
        case 0x30EE: c = 0x30EF
        case 0x30FC, 0x30F4: return true  // context-dependent
        default:
            if !TextBuffer.quickInert(c) { return true }  // NFKC may change it
        }
        return c == UInt32(first)
    }

    /// The match key of a string, by the same route as the index (for tests).
    func key(of text: String) -> [UInt16] { keys.key(of: text) }

    static func hash(_ key: [UInt16]) -> UInt64 { FNV1a.hash(key) }

    // MARK: Look-ups

    func entities(forKey query: [UInt16], forms: Bool) -> [CatalogHit] {
        guard let first = query.first else { return [] }
        var candidates: [Int32] = []  // form indexes, one per row
        if !hashed && scans >= scanLimit { buildHashTable() }
        if hashed {
            let h = Self.hash(query)
            var lo = 0, hi = hashes.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if hashes[mid] < h { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < hashes.count && hashes[k] == h {
                let form = Int(hashForms[k])
                k += 1
                if let last = candidates.last, formRow[Int(last)] == formRow[form] { continue }
                let s = Int(keyStart[form]), e = Int(keyStart[form + 1])
                guard e - s == query.count else { continue }
                let same = keyPool.withUnsafeBufferPointer { pool in
                    query.withUnsafeBufferPointer { memcmp(pool.baseAddress! + s, $0.baseAddress!, 2 * query.count) == 0 }
                }
                if same { candidates.append(Int32(form)) }
            }
        } else {
            scans += 1
            for k in 0..<formRow.count {
                if let last = candidates.last, formRow[Int(last)] == formRow[k] { continue }
                let b = files[Int(rows[Int(formRow[k])].file)].bytes
                let s = Int(formStart[k]), e = Int(formEnd[k])
                guard Self.mayStart(with: first, b, s, e) else { continue }
                let form = UnsafeBufferPointer(rebasing: b[s..<e])
                keys.make(form)
                if keys.key == query && isIndexable(form) { candidates.append(Int32(k)) }
            }
        }
        var result: [CatalogHit] = []
        for k in candidates {
            guard let box = entity(ref: formRow[Int(k)]) else { continue }
            result.append(CatalogHit(box: box, form: forms ? String(decoding: bytes(ofForm: Int(k)), as: UTF8.self) : nil))
        }
        return result
    }

    func forEachForm(japaneseOnly: Bool, _ body: (Int32, String, [UInt16], Bool) -> Void) {
        for k in 0..<formRow.count {
            let b = bytes(ofForm: k)
            if japaneseOnly {
                if formIsJapanese[k] { body(formRow[k], String(decoding: b, as: UTF8.self), [], true) }
                continue
            }
            keys.make(b)
            guard !keys.key.isEmpty, isIndexable(b) else { continue }
            body(formRow[k], String(decoding: b, as: UTF8.self), keys.key, formIsJapanese[k])
        }
    }

    func entity(ref row: Int32) -> EntityBox? {
        switch live[Int(row)] {
        case 1: return parsed[Int(row)]
        case 2: return nil
        default:
            let box = entity(row: row)
            let first = box.map { firstRow(id: $0.entity.id) == row } ?? false
            live[Int(row)] = first ? 1 : 2
            return first ? box : nil
        }
    }

    func entity(id: String) -> Entity? {
        firstRow(id: id).flatMap { entity(row: $0)?.entity }
    }

    /// The first row with this id (later ones are shadowed): a scan of the id
    /// fields for the first few questions, then a table.
    private func firstRow(id: String) -> Int32? {
        if let rowByID { return rowByID[id] }
        idScans += 1
        if idScans > scanLimit {
            var table: [String: Int32] = [:]
            for (k, row) in rows.enumerated() {
                let b = files[Int(row.file)].bytes
                let name = String(decoding: UnsafeBufferPointer(rebasing: b[Int(row.start)..<Int(row.idEnd)]), as: UTF8.self)
                if table[name] == nil { table[name] = Int32(k) }
            }
            rowByID = table
            return table[id]
        }
        var id = id
        return id.withUTF8 { target -> Int32? in
            guard target.count > 0 else { return nil }
            for (k, row) in rows.enumerated() where Int(row.idEnd - row.start) == target.count {
                let b = files[Int(row.file)].bytes
                if memcmp(b.baseAddress! + Int(row.start), target.baseAddress!, target.count) == 0 { return Int32(k) }
            }
            return nil
        }
    }

    private func entity(row: Int32) -> EntityBox? {
        if let hit = parsed[Int(row)] { return hit }
        if unusable.contains(row) { return nil }
        let r = rows[Int(row)]
        let file = files[Int(r.file)]
        let bytes = UnsafeBufferPointer(rebasing: file.bytes[Int(r.start)..<Int(r.end)])
        let fields = bytes.split(separator: 0x09, omittingEmptySubsequences: false).map {
            String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
        }
        guard let entity = DictionaryParser.parseRow(fields, file: file.name, line: Int(r.line), source: file.source, issue: { _ in })
        else {
            unusable.insert(row)
            return nil
        }
        let box = EntityBox(entity)
        parsed[Int(row)] = box
        return box
    }
}
