/// Lexicons compiled in memory from rows (user dictionaries, tests): the rows
/// become an image as the built-in one is, read by the same runtime.
extension EntityLexicon {
    /// A lexicon over `input` (compiled in memory). When ids repeat, the row of
    /// the best-ranked source wins (user, curated, EDICT, ENAMDICT), then the first.
    public convenience init(_ input: [Entity]) {
        self.init(input, over: nil)
    }

    /// A lexicon of `input` (compiled in memory) layered over `base` (sudachi's
    /// user dictionaries over the system one): this layer's entities come first
    /// and hide the base's entities with the same id; the base is read as it is,
    /// nothing of it is copied. Links as one lexicon compiled from both would.
    public convenience init(_ input: [Entity], over base: EntityLexicon?) {
        precondition(base?.base == nil, "a lexicon is layered over one base at most")
        let storage = TableStorage(copying: LexiconCompiler.compileEntities(Tables(input)))
        do {
            try self.init(image: try LexiconImage(bytes: storage.raw), storage: storage, checkEntities: false, base: base)
        } catch {
            fatalError("a lexicon compiled in memory does not read back: \(error)")
        }
    }
}
