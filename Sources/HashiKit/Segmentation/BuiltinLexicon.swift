import Dispatch
import CHashiData

/// One embedded file. `@unchecked Sendable`: the bytes are static, read-only data
/// of the binary that nothing ever writes.
public struct EmbeddedFile: @unchecked Sendable {
    /// Path relative to `dictionaries/`.
    public let name: String
    public let bytes: UnsafeBufferPointer<UInt8>
}

/// The data files of `dictionaries/`, compiled into the binary.
public enum BuiltinData {
    /// Every embedded file, sorted by name.
    public static let files: [EmbeddedFile] = {
        var count = 0
        guard let table = hashi_data_files(&count) else { return [] }
        return (0..<count).map { k in
            let file = table[k]
            let bytes = UnsafeRawPointer(file.bytes!).assumingMemoryBound(to: UInt8.self)
            return EmbeddedFile(name: String(cString: file.name), bytes: UnsafeBufferPointer(start: bytes, count: file.length))
        }
    }()

    /// The text of one embedded file, e.g. `segmentation/hiragana-rules.tsv`.
    public static func text(named name: String) -> String? {
        files.first { $0.name == name }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }
}

/// The segmentation lexicon and rules built into Hashi, built once on first use.
public enum BuiltinLexicon {
    /// Starts building the segmentation lexicons and rules on another thread, so
    /// that they are ready (or nearly) when a tokenizer or linker needs them; the
    /// caller meanwhile builds the entity lexicon. Safe to call more than once.
    public static func prepareInBackground() {
        DispatchQueue.global(qos: .userInitiated).async {
            _ = shortUnits
            _ = longUnits
            _ = hiraganaRules
        }
    }

    /// Extra cost for a katakana word that is only a proper noun, so that unknown
    /// names are not cut into rare names (タイガトロン is not タイガ|トロン).
    static let properNounPenalty: Int32 = 4000

    /// Words for short units: UniDic's katakana words with their costs.
    public static let shortUnits: SegmentationLexicon = {
        var lexicon = SegmentationLexicon()
        guard let file = BuiltinData.files.first(where: { $0.name == "segmentation/katakana-words.tsv" }) else { return lexicon }
        // The words are katakana, already in normalized form: parse the bytes
        // directly (word TAB cost TAB proper) without building Strings.
        var word: [UInt16] = []
        let bytes = file.bytes
        var i = 0
        while i < bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            defer { i = end + 1 }
            if end == i || bytes[i] == 0x23 { continue }
            // word
            var k = i
            while k < end && bytes[k] != 0x09 { k += 1 }
            do {
                try TextBuffer.decodeUTF16(UnsafeBufferPointer(rebasing: bytes[i..<k]), into: &word)
            } catch {
                continue
            }
            // cost
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
    }()

    /// Words for long units: the Japanese forms of the curated dictionaries, so
    /// that terms spanning several short units stay whole (アセンド910C).
    public static let longUnits: SegmentationLexicon = {
        var lexicon = SegmentationLexicon(trackingPrefixes: true)
        for entity in Dictionaries.builtin.entities {
            for form in entity.ja where form.unicodeScalars.count >= 2 { lexicon.insert(form, cost: SegmentationLexicon.defaultCost) }
        }
        return lexicon
    }()

    /// Hiragana re-segmentation rules for short units.
    public static let hiraganaRules: ResegmentationRules = {
        guard let text = BuiltinData.text(named: "segmentation/hiragana-rules.tsv") else { return ResegmentationRules() }
        return (try? ResegmentationRules(tsv: text, source: "segmentation/hiragana-rules.tsv")) ?? ResegmentationRules()
    }()

    /// The lexicon for a unit.
    public static func lexicon(for unit: SegmentationUnit) -> SegmentationLexicon {
        unit == .short ? shortUnits : longUnits
    }
}

/// Calls `body` with the tab-separated fields of each non-comment, non-empty line.
func forEachDataLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: ([Substring]) -> Void) {
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: true) {
        if line.first == 0x23 { continue }  // #
        body(line.split(separator: 0x09, omittingEmptySubsequences: false).map { Substring($0) })
    }
}
