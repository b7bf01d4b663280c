/// Coreference, in document order (pass 2 of resolution): after a person's full
/// name is linked, the family name alone links to that person (フアン, フアンCEO,
/// 任氏): always before an honorific, otherwise unless the dictionaries link the
/// word without doubt. The state runs on across the parts of a large document.
struct Coreference {
    typealias Candidate = MentionDetector.Candidate
    typealias Decision = MentionResolver.Decision

    /// Family names (match keys) of the persons linked so far.
    var surnames: [[UInt16]: Int32] = [:]
    /// Persons whose family names are registered.
    var registered = Set<Int32>()

    /// Links the candidates of one line (decided by pass 1) to persons named before.
    mutating func link(_ line: [Candidate], _ decisions: inout [Decision], lexicon: EntityLexicon) {
        for k in line.indices {
            var decision = decisions[k]
            // A surname after the full name is the person: always before an honorific
            // (マスク氏), otherwise unless the dictionaries link it without doubt.
            if !surnames.isEmpty, let person = surnames[line[k].key],
                line[k].beforeHonorific || decision.chosen < 0 || lexicon.rank(decision.chosen) > EntitySource.curated.rank
                    || line[k].doubtful || decision.confidence < 0.7
            {
                decision.chosen = person
                decision.match = .coreference
                decision.confidence = line[k].beforeHonorific ? 0.9 : 0.8
            }
            if decision.chosen < 0 && line[k].corefOnly { decision.dropped = true }
            if decision.chosen >= 0 && decision.match != .coreference && lexicon.type(decision.chosen) == .person
                && registered.insert(decision.chosen).inserted
            {
                Self.registerSurnames(of: lexicon.entities[Int(decision.chosen)], into: &surnames, index: decision.chosen)
            }
            decisions[k] = decision
        }
    }

    /// After a person's full name: the family name alone (last ・ part of a katakana
    /// name; the first one or two characters of a kanji name before an honorific).
    static func registerSurnames(of entity: Entity, into surnames: inout [[UInt16]: Int32], index: Int32) {
        for form in entity.ja {
            let parts = form.split(whereSeparator: { $0 == "・" || $0 == "･" || $0 == "·" || $0 == "=" || $0 == "＝" })
            if parts.count >= 2, let last = parts.last {
                surnames[Array(MatchKey.of(String(last)).utf16)] = index
            } else if form.unicodeScalars.allSatisfy({ CharClass.isKanji($0.value) }), (2...5).contains(form.unicodeScalars.count) {
                // Family names are 1 to 3 characters (孫, 三木谷); linked only before an honorific.
                let scalars = Array(form.unicodeScalars)
                for length in 1...min(3, scalars.count - 1) {
                    let surname = Array(String(String.UnicodeScalarView(scalars.prefix(length))).utf16)
                    if surnames[surname] == nil { surnames[surname] = index }
                }
            }
        }
    }
}
