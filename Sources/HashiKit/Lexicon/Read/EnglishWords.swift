/// Ordinary English words: Debian's `wamerican` list as the transliteration
/// model carries it (its lexicon trie, bit 0), with simple inflections
/// (values, streamed, commanding, entries, stopped). The linker never
/// typo-corrects such a word into a name (value is not Valve, stream not Steam).
enum EnglishWords {
    /// Whether `word` (lowercase ASCII letters) or its stem is in the word list.
    static func contains(_ word: [UInt8]) -> Bool {
        let model = TransliterationModel.builtin
        func listed<S: Sequence>(_ w: S) -> Bool where S.Element == UInt8 { model.lexiconFlags(w) & 1 != 0 }
        if word.count < 2 { return false }
        if listed(word) { return true }
        let n = word.count
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return n > s.count + 1 && word.suffix(s.count).elementsEqual(s)
        }
        var stems: [[UInt8]] = []
        if ends("s") { stems.append(Array(word.dropLast(1))) }
        if ends("es") { stems.append(Array(word.dropLast(2))) }
        if ends("ies") { stems.append(Array(word.dropLast(3)) + [0x79]) }
        if ends("ied") { stems.append(Array(word.dropLast(3)) + [0x79]) }
        for suffix in ["ed", "ing", "er", "est", "ly"] where ends(suffix) {
            let stem = Array(word.dropLast(suffix.utf8.count))
            stems.append(stem)
            stems.append(stem + [0x65])  // computing → compute
            if stem.count >= 2 && stem[stem.count - 1] == stem[stem.count - 2] { stems.append(Array(stem.dropLast())) }  // stopped
        }
        return stems.contains { $0.count >= 2 && listed($0) }
    }
}
