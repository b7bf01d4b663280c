import Foundation

/// The lexicon built into Hashi.
public enum BuiltinLexicon {
    /// Words for segmentation (katakana compound splitting, term joining).
    /// Built once, on first use.
    public static let segmentation: SegmentationLexicon = {
        var words = builtinSegmentationWords
        if let path = ProcessInfo.processInfo.environment["HASHI_EXTRA_WORDS"],
           let text = try? String(contentsOfFile: path, encoding: .utf8) {
            var lexicon = SegmentationLexicon(words: words)
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: "\t")
                lexicon.insert(String(fields[0]), cost: fields.count > 1 ? Int32(fields[1]) ?? SegmentationLexicon.defaultCost : SegmentationLexicon.defaultCost)
            }
            return lexicon
        }
        return SegmentationLexicon(words: words)
    }()
}

// Filled from the built-in dictionaries (see dictionaries/README.md).
let builtinSegmentationWords: [String] = []
