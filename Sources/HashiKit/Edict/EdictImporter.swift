import Foundation
import HashiICU
import Synchronization

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

/// Compiles Debian's `edict` and `enamdict` files (EUC-JP, from the Electronic
/// Dictionary Research and Development Group, CC BY-SA) into an ``EdictIndex``.
/// This is the build side; look-ups read the index without parsing any text.
public enum EdictImporter {
    /// Where Debian's `edict` package installs EDICT: the default import path.
    public static let defaultEdict = "/usr/share/edict/edict"
    /// Where Debian's `enamdict` package installs ENAMDICT: the default import path.
    public static let defaultEnamdict = "/usr/share/edict/enamdict"

    /// Reads and parses one dictionary file (EUC-JP). `progress`, when given, is
    /// called (never concurrently) with the fraction done while the English of
    /// katakana words is chosen, the long part of an import.
    public static func read(
        _ path: String, source: EntitySource,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws -> [EdictEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path)
                ? InputError.unreadable(path: path, reason: "cannot read file") : InputError.missing(path: path)
        }
        let units: [UInt16]
        do {
            units = try data.withUnsafeBytes { try Charset.toUTF16($0, from: "EUC-JP") }
        } catch let error as Charset.ConversionError {
            if case .invalidBytes(let offset, _) = error { throw InputError.invalidBytes(path: path, encoding: "EUC-JP", offset: offset) }
            throw InputError.unreadable(path: path, reason: "\(error)")
        }
        let text = String(decoding: units, as: UTF16.self)
        var entries: [EdictEntry] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("　？？？") || line.hasPrefix("？？？") { continue }  // the file's header line
            if let entry = parse(line, source: source) { entries.append(entry) }
        }
        chooseEnglish(&entries, progress: progress)
        return entries
    }

    /// How far below the model's favourite spelling (natural log) a gloss may score
    /// and still count as the source of a katakana word (ツール: tool 0, tour −4.5;
    /// サービス: discount has no alignment at all).
    static let plausibleBelowBest = -10.0

    /// Plausibility at least this close to the model's favourite: the likely source.
    static let likelyBelowBest = -1.0

    /// Field tags of technical senses.
    static let technicalFields: Set<String> = ["comp", "engr", "electr", "elec", "telec", "internet"]

    /// Sets ``EdictEntry/english`` of every katakana headword to the English it
    /// was borrowed from: the source EDICT names (`(eng: cancel)`), else the gloss
    /// the back-transliteration model finds the most plausible source of the
    /// katakana (ドライブ: drive, not "trip by car"; ブロック: block, not blocking),
    /// plausible glosses of technical senses first, the earlier gloss on near ties;
    /// when no gloss is plausible, the first gloss. A verb's "to " is dropped
    /// (マスター: master, not "to master").
    /// `(uk)` words are Japanese words written in kana (キリン = giraffe) and keep
    /// their first gloss. Runs on every core (one transliterator per worker).
    static func chooseEnglish(_ entries: inout [EdictEntry], progress: (@Sendable (Double) -> Void)? = nil) {
        // ENAMDICT's names keep their first gloss (a name is its own source).
        let candidates = entries.indices.filter {
            entries[$0].source != .enamdict && isKatakana(entries[$0].headword) && entries[$0].english.isEmpty
        }
        for i in entries.indices where entries[i].english.isEmpty { entries[i].english = entries[i].glosses[0] }
        guard !candidates.isEmpty else { return }
        let chunks = min(candidates.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let transliterators = (0..<workers).map { _ in BackTransliterator() }
        let snapshot = entries
        var results: [(Int, Double?)] = []
        results.reserveCapacity(candidates.count)
        var finished = 0
        OrderedParallelMap(workers: workers).run(
            over: 0..<chunks,
            transform: { worker, k in
                let transliterator = transliterators[worker]
                var out: [(Int, Double?)] = []
                for c in (candidates.count * k / chunks)..<(candidates.count * (k + 1) / chunks) {
                    let entry = snapshot[candidates[c]]
                    if let source = entry.sourceWord {
                        out.append((-1, transliterator.plausibility(of: source, for: entry.headword) ?? plausibleBelowBest))
                        continue
                    }
                    let scores = transliterator.plausibilities(Array(entry.glosses.prefix(8)), for: entry.headword)
                    // Plausible glosses only; technical ones first, then the most plausible.
                    var best: (index: Int, score: Double, technical: Bool)? = nil
                    for (g, raw) in scores.enumerated() {
                        guard let score = raw, score >= plausibleBelowBest else { continue }
                        let technical = entry.technicalGlosses.contains(g)
                        if let b = best {
                            if b.technical && !technical { continue }
                            if b.technical == technical && score <= b.score + 1.0 { continue }
                        }
                        best = (g, score, technical)
                    }
                    out.append((best?.index ?? 0, best?.score))
                }
                return out
            },
            consume: { out in
                results += out
                finished += 1
                progress?(Double(finished) / Double(chunks))
            })
        for (c, i) in candidates.enumerated() {
            let (index, score) = results[c]
            entries[i].english = index < 0 ? entries[i].sourceWord! : entries[i].glosses[index]
            entries[i].plausible = score != nil
            entries[i].likely = (score ?? -.infinity) >= likelyBelowBest
        }
    }

    /// `dictionaries/everyday/common-words.tsv` from EDICT's entries: every headword
    /// marked (P) (NFKC), in code-point order, with the English ``chooseEnglish(_:)`` gave its
    /// first (P) entry, the glosses of all its (P) entries (at most 5, of 40
    /// characters or fewer) and whether that English is a plausible source.
    public static func commonWordsTSV(_ entries: [EdictEntry]) -> String {
        var words: [String: (english: String, glosses: [String], plausible: Bool, reading: String)] = [:]
        var readings: [String: Set<String>] = [:]
        for entry in entries where entry.source == .edict && entry.common {
            // NFKC, as the linker's normalized text (１０月 is 10月).
            let headword = ((try? NFKC.normalize(entry.headword)) ?? entry.headword).replacingAll([("\t", " "), ("\n", " ")])
            let glosses = entry.glosses.map { $0.replacingAll([("\t", " "), ("|", "/")]) }.filter { $0.count <= 40 }
            readings[headword, default: []].insert(katakanaReading(entry, headword: headword))
            if var known = words[headword] {
                for gloss in glosses where known.glosses.count < 5 && !known.glosses.contains(gloss) { known.glosses.append(gloss) }
                words[headword] = known
            } else {
                let english = entry.english.replacingAll([("\t", " "), ("|", "/")])
                words[headword] = (
                    english, glosses.isEmpty ? [String(english.prefix(40))] : Array(glosses.prefix(5)),
                    isKatakana(headword) && entry.plausible, katakanaReading(entry, headword: headword)
                )
            }
        }
        var out = """
            # Common words of EDICT (marked (P)): headword, English, glosses, plausible, reading (katakana; words with kanji only).
            # Generated by scripts/generate-common-words.py (hashi dict import --common-words); do not edit by hand.
            # EDICT: Electronic Dictionary Research and Development Group, CC BY-SA 4.0 (see dictionaries/README.md).

            """
        for headword in words.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            var word = words[headword]!
            // Common entries that disagree (市場: いちば, しじょう): no reading.
            if readings[headword, default: []].count != 1 { word.reading = "" }
            out += "\(headword)\t\(word.english)\t\(word.glosses.joined(separator: "|"))\t\(word.plausible ? 1 : 0)\t\(word.reading)\n"
        }
        return out
    }

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

    static func isKatakana(_ word: String) -> Bool {
        !word.isEmpty
            && word.unicodeScalars.allSatisfy {
                CharClass.isKatakanaLetter($0.value) || $0.value == 0x30FC || $0.value == 0x30FB
            }
    }

    /// Parses `HEADWORD [READING] /gloss/gloss/.../`.
    /// ``EdictEntry/english`` is left empty for katakana headwords (see
    /// ``chooseEnglish(_:)``), the first gloss otherwise.
    static func parse(_ line: Substring, source: EntitySource) -> EdictEntry? {
        guard let slash = line.firstIndex(of: "/") else { return nil }
        let head = line[..<slash].trimmingCharacters(in: .whitespaces)
        var headword = head
        var reading: String? = nil
        if let open = head.firstIndex(of: "["), let close = head[open...].firstIndex(of: "]") {
            headword = head[..<open].trimmingCharacters(in: .whitespaces)
            reading = String(head[head.index(after: open)..<close])
        }
        guard !headword.isEmpty else { return nil }
        var tags = Set<String>()
        var glosses: [String] = []
        var common = false
        var technicalGlosses = Set<Int>()
        var senseTechnical = false
        var sourceWord: String? = nil
        for raw in line[line.index(after: slash)...].split(separator: "/") {
            var gloss = Substring(raw).trimmingCharacters(in: .whitespaces)[...]
            if gloss == "(P)" { common = true; continue }
            if gloss.hasPrefix("EntL") || gloss.isEmpty { continue }
            // Leading tags: (n) (1) (comp) (uk) (p,s) ...; a sense number starts a new sense.
            var glossTags: [Substring] = []
            while gloss.hasPrefix("("), let close = gloss.firstIndex(of: ")") {
                let tag = gloss[gloss.index(after: gloss.startIndex)..<close]
                for t in tag.split(separator: ",") { tags.insert(String(t)); glossTags.append(t) }
                gloss = gloss[gloss.index(after: close)...].drop { $0 == " " }
            }
            if glossTags.contains(where: { $0.allSatisfy(\.isNumber) }) { senseTechnical = false }
            if glossTags.contains(where: { technicalFields.contains(String($0)) }) { senseTechnical = true }
            // The English source EDICT names: "cancellation (eng: cancel)".
            if sourceWord == nil, let marker = gloss.range(of: "(eng: "), let end = gloss[marker.upperBound...].firstIndex(of: ")") {
                let word = gloss[marker.upperBound..<end].trimmingCharacters(in: .whitespaces)
                if !word.isEmpty { sourceWord = word }
            }
            // Trailing notes: "Intel (chip manufacturer)" → "Intel".
            var text = String(gloss)
            if let open = text.range(of: " (", options: .backwards), text.hasSuffix(")") { text = String(text[..<open.lowerBound]) }
            text = text.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("to "), text.count > 3, isKatakana(headword) { text.removeFirst(3) }
            if !text.isEmpty {
                if senseTechnical { technicalGlosses.insert(glosses.count) }
                glosses.append(text)
            }
        }
        guard !glosses.isEmpty else { return nil }
        let type: EntityType
        switch source {
        case .enamdict:
            if !tags.isDisjoint(with: ["s", "g", "f", "m", "h", "u"]) && tags.isDisjoint(with: ["p", "st", "c", "o", "pr"]) {
                type = .person
            } else if tags.contains("c") || tags.contains("o") {
                type = .org
            } else if tags.contains("pr") || tags.contains("wk") {
                type = .product
            } else if tags.contains("p") || tags.contains("st") {
                type = .place
            } else {
                type = .person
            }
        default:
            type = .term
        }
        // (uk): a Japanese word usually written in kana (キリン = giraffe), not a
        // loanword: its first gloss. Other katakana words: chosen by chooseEnglish.
        let english = tags.contains("uk") || !isKatakana(headword) ? glosses[0] : ""
        var entry = EdictEntry(
            headword: headword, reading: reading, glosses: glosses, english: english, type: type,
            source: source, common: common, technical: !technicalGlosses.isEmpty)
        entry.technicalGlosses = technicalGlosses
        entry.sourceWord = sourceWord
        return entry
    }
}
