/// The lexicon built into Hashi.
public enum BuiltinLexicon {
    /// Words for segmentation (katakana compound splitting, term joining).
    /// Built once, on first use.
    public static let segmentation: SegmentationLexicon = SegmentationLexicon(words: builtinSegmentationWords)
}

// Filled from the built-in dictionaries (see dictionaries/README.md).
let builtinSegmentationWords: [String] = []
