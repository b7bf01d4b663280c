/// EDICT's common words (marked (P)), built into the binary from
/// `dictionaries/everyday/common-words.tsv` (scripts/generate-common-words.py).
///
/// They tell the linker which dictionary forms are also everyday words (マスク is
/// a face mask before it is a photomask, ライン a line before it is LINE): such a
/// form links to a dictionary entity of another sense only with evidence in the
/// document, and otherwise gets the everyday English. They are also the known
/// words that unknown compounds are made of when no EDICT index is imported. Read in place: the index holds a hash per headword and the
/// offset of its line; a line is split only when it is asked for.
public final class CommonWords: Sendable {

    /// One common word.
    public struct Word: Sendable, Equatable {
        /// The word as EDICT writes it (kanji, kana or both), the key looked up.
        public var headword: String
        /// The English chosen for it: for katakana, the first gloss the word was
        /// plausibly borrowed from; otherwise the first gloss.
        public var english: String
        /// All of EDICT's English glosses for the word, in EDICT's order.
        public var glosses: [String]
        /// `english` is a plausible source of a katakana headword.
        public var plausible: Bool
        /// The reading in katakana, for a headword with kanji (nil when unknown).
        public var reading: String? = nil
    }

    /// The embedded file (static, read-only bytes of the binary).
    private let file: EmbeddedFile
    private var bytes: UnsafeBufferPointer<UInt8> { file.bytes }
    /// FNV-1a of each headword's UTF-8 and the offset of its line, sorted by
    /// (hash, offset): the lines with one hash are a run, in file order.
    private let hashes: [UInt64]
    private let offsets: [Int32]

    /// The built-in words: the index comes compiled in `lexicon.bin` (made by
    /// ``index(of:)`` from the same file), so that nothing is hashed at start-up.
    public static let builtin: CommonWords = {
        let file =
            BuiltinData.files.first { $0.name == "everyday/common-words.tsv" }
            ?? EmbeddedFile(name: "", bytes: UnsafeBufferPointer(start: nil, count: 0))
        let index = BuiltinImage.read { try LexiconReader.commonWordsIndex(in: $0, fileSize: file.bytes.count) }
        return CommonWords(file, hashes: index.hashes, offsets: index.offsets)
    }()

    convenience init(_ file: EmbeddedFile) {
        let index = Self.index(of: file.bytes)
        self.init(file, hashes: index.hashes, offsets: index.offsets)
    }

    private init(_ file: EmbeddedFile, hashes: [UInt64], offsets: [Int32]) {
        self.file = file
        self.hashes = hashes
        self.offsets = offsets
    }

    /// The index of a common-words file: per data line, the hash of its headword
    /// (the first field) and the line's offset, sorted by (hash, offset).
    static func index(of bytes: UnsafeBufferPointer<UInt8>) -> (hashes: [UInt64], offsets: [Int32]) {
        var pairs: [(UInt64, Int32)] = []
        pairs.reserveCapacity(24_000)
        TSV.forEachRow(bytes) { row in
            // Rows with at least two fields, by the hash of their headword.
            guard let tab = row.firstIndex(where: { bytes[$0] == 0x09 }) else { return }
            pairs.append((FNV1a.hash(UnsafeBufferPointer(rebasing: bytes[row.lowerBound..<tab])), Int32(row.lowerBound)))
        }
        pairs.sort { $0 < $1 }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Letters only, without a final -ing, -ed, -s or -es of a one-word phrase.
    /// Whether `text` contains `part` (bytes compared; Foundation's
    /// `String.contains` is locale-aware and slow on this hot path).
    static func contains(_ text: String, _ part: String) -> Bool {
        let t = Array(text.utf8), p = Array(part.utf8)
        guard !p.isEmpty else { return true }
        guard p.count <= t.count else { return false }
        for start in 0...(t.count - p.count) where t[start] == p[0] && t[start..<start + p.count].elementsEqual(p) { return true }
        return false
    }

    static func stem(_ phrase: String) -> String {
        var letters = String(phrase.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }.map(Character.init))
            .lowercased()
        guard !phrase.utf8.contains(0x20) || phrase.split(separator: " ").count == 1 else { return letters }
        for suffix in ["ing", "ed", "es", "s"] where letters.count > suffix.count + 2 && letters.hasSuffix(suffix) {
            letters.removeLast(suffix.count)
            break
        }
        return letters
    }

    /// The common word written exactly `headword` (normalized text), if any.
    public func word(_ headword: String) -> Word? {
        let hash = FNV1a.hash(headword.utf8)
        // The first entry with this hash (binary search), then its run.
        var low = 0, high = hashes.count
        while low < high {
            let mid = (low + high) / 2
            if hashes[mid] < hash { low = mid + 1 } else { high = mid }
        }
        let target = Array(headword.utf8)
        var k = low
        while k < hashes.count && hashes[k] == hash {
            let start = offsets[k]
            k += 1
            let row = Int(start)..<TSV.rowEnd(bytes, from: Int(start))
            let fields = TSV.fields(bytes, row).map { UnsafeBufferPointer(rebasing: bytes[$0]) }
            guard fields.count >= 4, fields[0].elementsEqual(target) else { continue }
            let text = { (f: UnsafeBufferPointer<UInt8>) in String(decoding: f, as: UTF8.self) }
            return Word(
                headword: headword, english: text(fields[1]),
                glosses: fields[2].split(separator: 0x7C).map { text(UnsafeBufferPointer(rebasing: $0)) },
                plausible: fields[3].first == 0x31,
                reading: fields.count > 4 && !fields[4].isEmpty ? text(fields[4]) : nil)
        }
        return nil
    }

    /// Whether the everyday word `form` means something other than the entity:
    /// its English is none of the word's glosses, and, for a name, no gloss is a
    /// name either (アメリカ: America is the country itself; ライン: line is not LINE);
    /// for katakana, only when the everyday English is itself a loanword source;
    /// a term conflicts only in katakana (a loanword borrowed in another sense).
    /// Returns the everyday word when it conflicts.
    public func conflict(form: String, entity: Entity) -> Word? {
        guard let word = word(form) else { return nil }
        // A katakana word whose everyday English is not what it was borrowed from
        // (バイト: part-time job, a clipping of Arbeit) does not compete with a
        // dictionary sense that is (byte).
        if CharClass.isKatakanaWord(form) && !word.plausible { return nil }
        let en = entity.en.lowercased()
        if entity.type == .term {
            // A kanji or Latin term is a translation of the same word (通信 is
            // telecommunications as much as communication), not another sense.
            guard CharClass.isKatakanaWord(form) else { return nil }
            // The same word, inflected or spelled otherwise (testing = test, high-tech =
            // high tech), or another name of the entity (パソコン: personal computer is
            // the PC); a longer phrase is another sense (clock speed ≠ clock), and an
            // alias that is a part of the name does not count (photomask's "mask").
            var stems: Set<String> = [Self.stem(en)]
            let letters = Self.stem(en)
            for alias in entity.aliases where alias.unicodeScalars.allSatisfy(\.isASCII) {
                let stem = Self.stem(alias.lowercased())
                if !Self.contains(letters, stem) { stems.insert(stem) }
            }
            return word.glosses.contains { stems.contains(Self.stem($0.lowercased())) } ? nil : word
        }
        if word.glosses.contains(where: { $0 == entity.en }) { return nil }
        if word.glosses.contains(where: { $0.unicodeScalars.first.map { ("A"..."Z").contains($0) } ?? false }) { return nil }
        return word
    }
}
