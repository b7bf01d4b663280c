import Foundation
import HashiICU

/// One EDICT or ENAMDICT entry, parsed.
public struct EdictEntry: Sendable, Hashable {
    public var headword: String
    public var reading: String?
    /// English glosses, tags removed, in dictionary order.
    public var glosses: [String]
    /// The gloss chosen as the entity's English: for katakana loanwords the
    /// English source word, otherwise the first gloss.
    public var english: String
    public var type: EntityType
    public var source: EntitySource
}

/// Compiles Debian's `edict` and `enamdict` files (EUC-JP, from the Electronic
/// Dictionary Research and Development Group, CC BY-SA) into an ``EdictIndex``.
/// This is the build side; look-ups read the index without parsing any text.
public enum EdictImporter {
    public static let defaultEdict = "/usr/share/edict/edict"
    public static let defaultEnamdict = "/usr/share/edict/enamdict"

    /// Reads and parses one dictionary file (EUC-JP).
    public static func read(_ path: String, source: EntitySource) throws -> [EdictEntry] {
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
        let romanizer = try Romanizer()
        var entries: [EdictEntry] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("　？？？") || line.hasPrefix("？？？") { continue }  // the file's header line
            if let entry = parse(line, source: source, romanizer: romanizer) { entries.append(entry) }
        }
        return entries
    }

    /// Parses `HEADWORD [READING] /gloss/gloss/.../`.
    static func parse(_ line: Substring, source: EntitySource, romanizer: Romanizer) -> EdictEntry? {
        guard let slash = line.firstIndex(of: "/") else { return nil }
        let head = line[..<slash].trimmingCharacters(in: .whitespaces)
        var headword = head
        var reading: String? = nil
        if let open = head.firstIndex(of: "["), let close = head.firstIndex(of: "]") {
            headword = head[..<open].trimmingCharacters(in: .whitespaces)
            reading = String(head[head.index(after: open)..<close])
        }
        guard !headword.isEmpty else { return nil }
        var tags = Set<String>()
        var glosses: [String] = []
        for raw in line[line.index(after: slash)...].split(separator: "/") {
            var gloss = Substring(raw).trimmingCharacters(in: .whitespaces)[...]
            if gloss.hasPrefix("EntL") || gloss == "(P)" || gloss.isEmpty { continue }
            // Leading tags: (n) (1) (comp) (uk) (p,s) ...
            while gloss.hasPrefix("("), let close = gloss.firstIndex(of: ")") {
                let tag = gloss[gloss.index(after: gloss.startIndex)..<close]
                for t in tag.split(separator: ",") { tags.insert(String(t)) }
                gloss = gloss[gloss.index(after: close)...].drop { $0 == " " }
            }
            // Trailing notes: "Intel (chip manufacturer)" → "Intel".
            var text = String(gloss)
            if let open = text.range(of: " (", options: .backwards), text.hasSuffix(")") { text = String(text[..<open.lowerBound]) }
            text = text.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { glosses.append(text) }
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
        // (uk): a Japanese word usually written in kana (キリン = giraffe), not a loanword.
        let english = tags.contains("uk") ? glosses[0] : chooseEnglish(headword: headword, glosses: glosses, romanizer: romanizer)
        return EdictEntry(headword: headword, reading: reading, glosses: glosses, english: english, type: type, source: source)
    }

    /// For a katakana headword, the gloss that sounds most like it (ドライブ →
    /// "drive" over "trip by car"); otherwise the first gloss.
    static func chooseEnglish(headword: String, glosses: [String], romanizer: Romanizer) -> String {
        let isKatakana = headword.unicodeScalars.allSatisfy {
            CharClass.isKatakanaLetter($0.value) || $0.value == 0x30FC || $0.value == 0x30FB
        }
        guard isKatakana, glosses.count > 1 else { return glosses[0] }
        let romaji = letters(romanizer.romaji(headword))
        var best = glosses[0]
        var bestScore = -1.0
        for gloss in glosses.prefix(8) {
            let g = letters(gloss)
            guard !g.isEmpty else { continue }
            let score = Double(lcs(romaji, g)) / Double(max(romaji.count, g.count))
            if score > bestScore + 0.05 {
                best = gloss
                bestScore = score
            }
        }
        return best
    }

    /// Lower-case ASCII letters of a string, macrons folded (fāuei → fauei).
    static func letters(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in s.unicodeScalars {
            switch scalar {
            case "ā", "â", "á", "à", "ä": out.append(0x61)
            case "ī", "î", "í", "ì", "ï": out.append(0x69)
            case "ū", "û", "ú", "ù", "ü": out.append(0x75)
            case "ē", "ê", "é", "è", "ë": out.append(0x65)
            case "ō", "ô", "ó", "ò", "ö": out.append(0x6F)
            default:
                let v = scalar.value
                if v >= 0x41 && v <= 0x5A { out.append(UInt8(v + 0x20)) } else if v >= 0x61 && v <= 0x7A { out.append(UInt8(v)) }
            }
        }
        return out
    }

    static func lcs(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
