import Foundation
import HashiICU
import Synchronization

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
            entries[$0].source != .enamdict && CharClass.isKatakanaWord(entries[$0].headword) && entries[$0].english.isEmpty
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
            readings[headword, default: []].insert(EdictEntry.katakanaReading(entry, headword: headword))
            if var known = words[headword] {
                for gloss in glosses where known.glosses.count < 5 && !known.glosses.contains(gloss) { known.glosses.append(gloss) }
                words[headword] = known
            } else {
                let english = entry.english.replacingAll([("\t", " "), ("|", "/")])
                words[headword] = (
                    english, glosses.isEmpty ? [String(english.prefix(40))] : Array(glosses.prefix(5)),
                    CharClass.isKatakanaWord(headword) && entry.plausible, EdictEntry.katakanaReading(entry, headword: headword)
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
            if text.hasPrefix("to "), text.count > 3, CharClass.isKatakanaWord(headword) { text.removeFirst(3) }
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
        let english = tags.contains("uk") || !CharClass.isKatakanaWord(headword) ? glosses[0] : ""
        var entry = EdictEntry(
            headword: headword, reading: reading, glosses: glosses, english: english, type: type,
            source: source, common: common, technical: !technicalGlosses.isEmpty)
        entry.technicalGlosses = technicalGlosses
        entry.sourceWord = sourceWord
        return entry
    }
}
