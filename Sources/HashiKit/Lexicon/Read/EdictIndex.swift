import Foundation
import HashiICU

/// The compiled EDICT/ENAMDICT index: a file that is memory-mapped and searched
/// in place (binary search over sorted key hashes), so it "loads" in
/// milliseconds whatever its size.
///
/// Layout (little-endian): 8-byte magic `HASHIDX1`, UInt32 version, UInt32
/// record count, then `count` records of 8 UInt32 fields
/// (hashLow, hashHigh, keyOffset, keyLength, entryOffset, entryLength, kind, source)
/// sorted by hash, then a UTF-8 pool. An entry in the pool is
/// `headword\treading\tenglish\tgloss|gloss|…`. `kind` holds the entity type in
/// bits 0–7, bit 8 set for a common word (P), bit 9 when the English is a plausible
/// source of a katakana headword, bit 10 when it is the likely one, bit 11 for an
/// entry with technical senses (version 2; version 1 had no flags).
/// Offsets are checked on every read: a damaged file gives no entries, never a
/// read outside the file.
public final class EdictIndex: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; the mapped Data is never written.
    static let magic: [UInt8] = Array("HASHIDX1".utf8)
    static let version: UInt32 = 2
    static let recordWords = 8

    private let data: Data
    /// The number of records: one per EDICT or ENAMDICT entry indexed.
    public let count: Int
    private let poolStart: Int
    private let poolEnd: Int
    /// The index file's path, as given to ``init(path:)``.
    public let path: String

    /// A malformed or foreign index file.
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        /// The index file's path.
        public let path: String
        /// What is wrong: `bad magic`, an unsupported `version N`, or `truncated`.
        public let reason: String
        /// The error as one line, `path: not a Hashi EDICT index (reason)`.
        public var description: String { "\(path): not a Hashi EDICT index (\(reason))" }
    }

    /// Maps the index at `path` and checks its header; entries are read only when looked up.
    /// - Throws: ``InputError`` when the file cannot be mapped; ``FormatError`` when it is not an index
    /// of this version or its record table runs past the end of the file.
    public init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw InputError.unreadable(path: path, reason: "cannot map file")
        }
        guard data.count >= 16, Array(data.prefix(8)) == Self.magic else { throw FormatError(path: path, reason: "bad magic") }
        let version = data.withUnsafeBytes { $0.load(fromByteOffset: 8, as: UInt32.self) }
        guard version == Self.version else { throw FormatError(path: path, reason: "version \(version)") }
        count = Int(data.withUnsafeBytes { $0.load(fromByteOffset: 12, as: UInt32.self) })
        let (records, overflow) = count.multipliedReportingOverflow(by: Self.recordWords * 4)
        guard !overflow, records <= data.count - 16 else { throw FormatError(path: path, reason: "truncated") }
        poolStart = 16 + records
        poolEnd = data.count
    }

    private func word(_ record: Int, _ field: Int) -> UInt32 {
        data.withUnsafeBytes { $0.load(fromByteOffset: 16 + (record * Self.recordWords + field) * 4, as: UInt32.self) }
    }

    private func hash(_ record: Int) -> UInt64 { UInt64(word(record, 0)) | UInt64(word(record, 1)) << 32 }

    /// The pool text at `offset`, `length`; nil when it would lie outside the file.
    private func string(_ offset: UInt32, _ length: UInt32) -> String? {
        let start = poolStart + Int(offset), end = start + Int(length)
        guard end <= poolEnd else { return nil }
        return data.withUnsafeBytes { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
        }
    }

    /// The entry that answers for a surface form whose match key is `key`: a
    /// headword written exactly as the surface (NFKC) before key variants (エラー
    /// is error, not エラ), EDICT before ENAMDICT, then an English that the
    /// entries with technical senses (キュー: queue before cue; Hashi reads technical
    /// text), then an English the katakana was borrowed from, then the likely source before a merely plausible one (カラー:
    /// color before collar), then common words (P), then dictionary order.
    /// `exact` tells whether the headword is the surface itself.
    public func best(key: String, surface: String) -> (entry: EdictEntry, exact: Bool)? {
        let entries = lookup(key: key)
        guard !entries.isEmpty else { return nil }
        let target = (try? NFKC.normalize(surface)) ?? surface
        var best: (entry: EdictEntry, exact: Bool, rank: Int)? = nil
        for entry in entries {
            let exact = entry.headword == target || entry.headword == surface
            let rank =
                (exact ? 0 : 64) + (entry.source == .enamdict ? 32 : 0) + (entry.technical ? 0 : 16)
                + (entry.plausible ? 0 : 8) + (entry.likely ? 0 : 4) + (entry.common ? 0 : 2)
            if best == nil || rank < best!.rank { best = (entry, exact, rank) }
        }
        return best.map { ($0.entry, $0.exact) }
    }

    /// The reading, in katakana, of the word written exactly `headword`, for
    /// headwords with kanji; nil when none, or when its entries (the common ones
    /// when any is) disagree.
    public func reading(of headword: String) -> String? {
        let entries = lookup(key: MatchKey.of(headword)).filter { $0.headword == headword && $0.reading != nil }
        let reading = EdictEntry.agreedReading(entries, headword: headword)
        return reading.isEmpty ? nil : reading
    }

    /// Entries whose match key is `key` (see ``MatchKey``), EDICT before ENAMDICT.
    public func lookup(key: String) -> [EdictEntry] {
        let h = Self.hash(key)
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if hash(mid) < h { lo = mid + 1 } else { hi = mid }
        }
        var result: [EdictEntry] = []
        var k = lo
        while k < count && hash(k) == h {
            if string(word(k, 2), word(k, 3)) == key, let body = string(word(k, 4), word(k, 5)) {
                let fields = body.split(separator: "\t", omittingEmptySubsequences: false)
                let kind = word(k, 6)
                if fields.count == 4, !fields[2].isEmpty {
                    result.append(
                        EdictEntry(
                            headword: String(fields[0]), reading: fields[1].isEmpty ? nil : String(fields[1]),
                            glosses: fields[3].split(separator: "|").map(String.init), english: String(fields[2]),
                            type: EntityType.allCases[Int(kind & 0xFF) % EntityType.allCases.count],
                            source: word(k, 7) == 3 ? .enamdict : .edict,
                            common: kind & 0x100 != 0, plausible: kind & 0x200 != 0, likely: kind & 0x400 != 0,
                            technical: kind & 0x800 != 0))
                }
            }
            k += 1
        }
        return result
    }

    static func hash(_ key: String) -> UInt64 { FNV1a.hash(key.utf8) }

    /// Writes an index for `entries` to `path` atomically. Each entry is keyed by
    /// the match key of its headword (and, for kana-only readings of EDICT
    /// words, not by the reading: readings would flood look-ups with homophones).
    public static func write(_ entries: [EdictEntry], to path: String) throws {
        struct Record { var hash: UInt64; var key: (UInt32, UInt32); var entry: (UInt32, UInt32); var kind: UInt32; var source: UInt32 }
        var pool: [UInt8] = []
        var records: [Record] = []
        records.reserveCapacity(entries.count)
        var keyCache: [String: (UInt32, UInt32)] = [:]
        for entry in entries {
            let key = MatchKey.of(entry.headword)
            guard !key.isEmpty else { continue }
            let keyRef: (UInt32, UInt32)
            if let cached = keyCache[key] {
                keyRef = cached
            } else {
                keyRef = (UInt32(pool.count), UInt32(key.utf8.count))
                pool.append(contentsOf: key.utf8)
                keyCache[key] = keyRef
            }
            let body =
                "\(entry.headword)\t\(entry.reading ?? "")\t\(clean(entry.english))\t\(entry.glosses.map(clean).joined(separator: "|"))"
            let entryRef = (UInt32(pool.count), UInt32(body.utf8.count))
            pool.append(contentsOf: body.utf8)
            records.append(
                Record(
                    hash: hash(key), key: keyRef, entry: entryRef,
                    kind: UInt32(EntityType.allCases.firstIndex(of: entry.type)!)
                        | (entry.common ? 0x100 : 0) | (entry.plausible ? 0x200 : 0)
                        | (entry.likely ? 0x400 : 0) | (entry.technical ? 0x800 : 0),
                    source: entry.source == .enamdict ? 3 : 2))
        }
        records.sort { ($0.hash, $0.source, $0.entry.0) < ($1.hash, $1.source, $1.entry.0) }
        var out: [UInt8] = magic
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(version)
        put(UInt32(records.count))
        out.reserveCapacity(out.count + records.count * recordWords * 4 + pool.count)
        for r in records {
            put(UInt32(truncatingIfNeeded: r.hash)); put(UInt32(truncatingIfNeeded: r.hash >> 32))
            put(r.key.0); put(r.key.1); put(r.entry.0); put(r.entry.1); put(r.kind); put(r.source)
        }
        out.append(contentsOf: pool)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let sink = try OutputSink(path: path)
        try out.withUnsafeBufferPointer { try sink.write($0) }
        try sink.commit()
    }

    private static func clean(_ s: String) -> String {
        s.replacingAll([("\t", " "), ("|", "/"), ("\n", " ")])
    }
}

/// One EDICT or ENAMDICT entry, parsed.
public struct EdictEntry: Sendable, Hashable {
    /// The written form (kanji or kana), without its bracketed reading.
    public var headword: String
    /// The kana reading given in brackets, or nil when there is none (a kana headword).
    public var reading: String?
    /// English glosses, tags removed, in dictionary order.
    public var glosses: [String]
    /// The gloss chosen as the entity's English: for katakana loanwords the
    /// English source word, otherwise the first gloss.
    public var english: String
    /// ``EntityType/term`` for EDICT; for ENAMDICT, from the entry's name tags
    /// (person, company or organization, product, place; person when unsure).
    public var type: EntityType
    /// Which file the entry comes from: ``EntitySource/edict`` or ``EntitySource/enamdict``.
    public var source: EntitySource
    /// Marked (P), a common word, in EDICT.
    public var common = false
    /// ``english`` is a plausible source of the katakana headword by the
    /// back-transliteration model (ドライブ → drive): the word was borrowed from it.
    public var plausible = false
    /// ``english`` is (nearly) the model's own favourite spelling of the katakana:
    /// color for カラー, where collar is plausible but weaker.
    public var likely = false
    /// A sense of the entry is marked as technical (comp, engr, electr, ...):
    /// Hashi reads technical text, so such senses come first.
    public var technical = false
    /// Glosses of technical senses (indices into ``glosses``), and the English
    /// source word EDICT names (`cancellation (eng: cancel)`): import only.
    var technicalGlosses: Set<Int> = []
    var sourceWord: String? = nil

    /// Creates an entry from values as given; nothing is parsed or chosen.
    public init(
        headword: String, reading: String?, glosses: [String], english: String, type: EntityType,
        source: EntitySource, common: Bool = false, plausible: Bool = false, likely: Bool = false,
        technical: Bool = false
    ) {
        self.headword = headword
        self.reading = reading
        self.glosses = glosses
        self.english = english
        self.type = type
        self.source = source
        self.common = common
        self.plausible = plausible
        self.likely = likely
        self.technical = technical
    }
}

extension EdictEntry {
    /// The reading of an entry whose headword is not all kana, in katakana, when
    /// it has one reading, or exactly one marked common: 日本 [にほん(P);にっぽん]
    /// is ニホン. "" for kana headwords, for readings that are not kana, and when
    /// the reading is ambiguous (市場 [いちば;しじょう] is a market either way,
    /// but which is said depends on the sense: no reading beats a wrong one).
    static func katakanaReading(_ entry: EdictEntry, headword: String) -> String {
        guard let reading = entry.reading,
            headword.unicodeScalars.contains(where: { !(0x3041...0x30FF).contains($0.value) })
        else { return "" }
        let readings = reading.split(separator: ";").map(String.init)
        let common = readings.filter { $0.contains("(P)") }
        let chosen: String
        if readings.count == 1 { chosen = readings[0] } else if common.count == 1 { chosen = common[0] } else { return "" }
        var out = String.UnicodeScalarView()
        for c in chosen.unicodeScalars {
            switch c.value {
            case 0x3041...0x3096: out.append(Unicode.Scalar(c.value + 0x60)!)
            case 0x30A1...0x30FA, 0x30FC: out.append(c)
            case 0x28: return String(out)  // a tag such as (P) follows
            default: return ""
            }
        }
        return String(out)
    }

    /// One reading for several entries of a headword (the common ones when any
    /// is): their reading when they agree, else "".
    static func agreedReading(_ entries: [EdictEntry], headword: String) -> String {
        let pool = entries.contains(where: \.common) ? entries.filter(\.common) : entries
        let readings = Set(pool.map { katakanaReading($0, headword: headword) })
        return readings.count == 1 ? readings.first! : ""
    }
}

extension EdictIndex.FormatError: HashiError {}
