import CHashiData
import Dispatch

/// One embedded file. `@unchecked Sendable`: the bytes are static, read-only data
/// of the binary that nothing ever writes.
public struct EmbeddedFile: @unchecked Sendable {
    /// Path relative to `dictionaries/`.
    public let name: String
    /// The file's contents: static bytes of the binary, valid for the life of the process.
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

/// The compiled lexicon built into Hashi (`dictionaries/lexicon.bin`).
enum BuiltinImage {
    static let image: LexiconImage = {
        var length = 0
        let bytes = hashi_lexicon_image(&length)
        do {
            return try LexiconImage(bytes: UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length))
        } catch {
            fatalError("the lexicon built into hashi is damaged (\(error)); rebuild hashi")
        }
    }()

    /// Reads a part of the built-in image. The image is generated from the
    /// dictionaries and checked by tests, so a failure is a broken build.
    static func read<T>(_ body: (LexiconImage) throws -> T) -> T {
        do {
            return try body(image)
        } catch {
            fatalError(
                "the lexicon built into hashi is damaged (\(error)); rebuild hashi with dictionaries/lexicon.bin from `hashi dict compile`")
        }
    }
}

/// The segmentation lexicon and rules built into Hashi, read on first use.
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

    /// Words for short units: UniDic's katakana words with their costs, from the
    /// compiled lexicon.
    public static let shortUnits: SegmentationLexicon = BuiltinImage.read { try LexiconReader.segmentation(in: $0, long: false) }

    /// Words for long units: the Japanese forms of the curated dictionaries, so
    /// that terms spanning several short units stay whole (アセンド910C).
    public static let longUnits: SegmentationLexicon = BuiltinImage.read { try LexiconReader.segmentation(in: $0, long: true) }

    /// Hiragana re-segmentation rules for short units.
    public static let hiraganaRules: ResegmentationRules = BuiltinImage.read { try LexiconReader.hiraganaRules(in: $0) }

    /// The lexicon for a unit.
    public static func lexicon(for unit: SegmentationUnit) -> SegmentationLexicon {
        unit == .short ? shortUnits : longUnits
    }
}
