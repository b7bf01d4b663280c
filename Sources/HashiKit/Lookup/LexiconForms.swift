/// What ``TermLookup`` asks of the lexicon beyond what linking does: the form that
/// has a key, and every form for the fallback indexes (romaji, fuzzy,
/// suggestions). References (`ref`) are entity indices, in precedence order.
extension EntityLexicon {
    /// An entity found by key, and the form of it that has the key.
    struct KeyHit {
        var entity: Entity
        var form: String?
    }

    /// Entities whose match key is `key`, in precedence order, each with its form
    /// of that key when `forms` (else nil).
    func entities(forKey key: [UInt16], forms: Bool) -> [KeyHit] {
        var node = root
        for unit in key {
            guard let child = child(of: node, unit) else { return [] }
            node = child
        }
        let folder = forms ? KeyMaker() : nil
        return candidates(at: node).map { index in
            let entity = entities[Int(index)]
            guard forms else { return KeyHit(entity: entity, form: nil) }
            return KeyHit(entity: entity, form: (entity.ja + entity.aliases + [entity.en]).first { folder?.key(of: $0) == key })
        }
    }

    /// Calls `body` with every indexed form: its entity's reference, the form, its
    /// match key, and whether it is a Japanese form (not an alias or the English
    /// name). With `japaneseOnly`, only Japanese forms, and the key is empty (not computed).
    func forEachForm(japaneseOnly: Bool, _ body: (_ ref: Int32, _ form: String, _ key: [UInt16], _ japanese: Bool) -> Void) {
        let folder = KeyMaker()
        for (index, entity) in entities.enumerated() where !isShadowed(Int32(index)) {
            for (k, form) in (entity.ja + entity.aliases + [entity.en]).enumerated() {
                if japaneseOnly {
                    if k < entity.ja.count { body(Int32(index), form, [], true) }
                    continue
                }
                let key = folder.key(of: form)
                guard !key.isEmpty, EntityLexicon.isIndexable(form: form, key: key) else { continue }
                body(Int32(index), form, key, k < entity.ja.count)
            }
        }
    }
}
