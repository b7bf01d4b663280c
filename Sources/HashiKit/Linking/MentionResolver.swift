import Foundation

/// Resolution, per document (or per part of a large one): each candidate is
/// decided from the dictionaries and the document's evidence (context cues, and
/// relations to entities linked without doubt elsewhere: キリン near ファーウェイ is
/// the chip family; short ambiguous forms need such evidence to link at all),
/// then ``Coreference`` links bare surnames, then the mentions are built. Lines
/// are decided in parallel; the result does not depend on the number of threads.
final class MentionResolver: Sendable {
    typealias Candidate = MentionDetector.Candidate
    typealias DocumentState = Linker.DocumentState
    typealias Carry = Linker.Carry

    /// The entities candidates link to.
    let lexicon: EntityLexicon
    /// The imported EDICT/ENAMDICT index, for katakana words the dictionaries lack.
    let edict: EdictIndex?
    /// Detection's rules on which forms need evidence, shared with resolution.
    let detector: MentionDetector

    init(detector: MentionDetector) {
        self.lexicon = detector.lexicon
        self.edict = detector.edict
        self.detector = detector
    }

    /// What resolution knows of the whole document before deciding any candidate.
    struct Evidence: Sendable {
        /// Entities linked without doubt somewhere in the document.
        var anchors: Set<Int32>
        var anchorIDs: Set<String>
        var cuePresent: [Bool]
    }

    /// A candidate's link: from the dictionaries and evidence (pass 1), then
    /// coreference (pass 2). `chosen` -1: none.
    struct Decision: Sendable {
        var chosen: Int32 = -1
        var confidence = 0.0
        var match: MatchKind
        var dropped = false
    }

    /// Resolution in three passes: each candidate decided from the dictionaries
    /// and the document's evidence (lines in parallel), coreference in document
    /// order (sequential: a surname links only after its full name), and the
    /// mentions built (lines in parallel). The result does not depend on threads.
    func resolve(_ state: DocumentState, document: String, threads: Int) -> [Mention] {
        var carry = Carry()
        return resolve(state, carry: &carry, document: document, threads: threads)
    }

    func resolve(_ state: DocumentState, carry: inout Carry, document: String, threads: Int) -> [Mention] {
        // Anchors: entities linked without doubt (one candidate, no need of evidence).
        var anchors = carry.anchors
        defer { carry.anchors = anchors }
        for lineCandidates in state.lineCandidates {
            for i in lineCandidates.indices
            where lineCandidates[i].entities.count == 1 && lineCandidates[i].match != .fuzzy && !lineCandidates[i].doubtful {
                anchors.insert(lineCandidates[i].entities.first!)
            }
        }
        let evidence = Evidence(
            anchors: anchors, anchorIDs: Set(anchors.map { lexicon.entities[Int($0)].id }),
            cuePresent: state.cuePresent)
        let lines = state.lineCandidates
        // Lines in parallel, a few chunks of lines per thread (one chunk inline).
        let workers = max(1, threads)
        let map = OrderedParallelMap(workers: workers, chunkCount: max(1, lines.count / (workers * 8)))

        // Pass 1: decisions from the dictionaries and the evidence.
        let caches = (0..<workers).map { _ in EvidenceCache() }
        var decisions = map.map(lines) { worker, line in
            var out: [Decision] = []
            out.reserveCapacity(line.count)
            for i in line.indices { out.append(decide(line[i], evidence, &caches[worker].scores)) }
            return out
        }

        // Pass 2: coreference, in document order.
        for l in lines.indices { carry.coreference.link(lines[l], &decisions[l], lexicon: lexicon) }

        // Pass 3: mentions.
        let bases = (state.lineStarts, state.lineByteStarts, state.lineSentenceBases)
        let decided = decisions
        let perLine = map.map(lines.indices) { _, l in
            var out: [Mention] = []
            let line = lines[l]
            out.reserveCapacity(line.count)
            for k in line.indices {
                if let mention = mention(
                    line[k], decided[l][k], document: document,
                    scalarBase: bases.0[l], byteBase: bases.1[l], sentenceBase: bases.2[l])
                {
                    out.append(mention)
                }
            }
            return out
        }
        var mentions: [Mention] = []
        mentions.reserveCapacity(perLine.reduce(0) { $0 + $1.count })
        for list in perLine { mentions.append(contentsOf: list) }
        return mentions
    }

    /// Evidence scores of one worker during resolution (see ``evidenceScore(_:_:_:)``).
    final class EvidenceCache {
        var scores: [Int32: Int] = [:]
    }

    /// Evidence for an entity in the document: its context cues present, and
    /// relations to or from anchored entities. Cached per resolution chunk.
    func evidenceScore(_ index: Int32, _ evidence: Evidence, _ cache: inout [Int32: Int]) -> Int {
        if let known = cache[index] { return known }
        let entity = lexicon.entities[Int(index)]
        var score = 0
        for cue in lexicon.cues(of: index) where evidence.cuePresent[Int(cue)] { score += 1 }
        for relation in entity.relations where evidence.anchorIDs.contains(relation.target) { score += 2 }
        for other in lexicon.entitiesReferring(to: entity.id) where evidence.anchors.contains(other) { score += 2 }
        cache[index] = score
        return score
    }

    /// Pass 1 of resolution for one candidate.
    func decide(_ candidate: Candidate, _ evidence: Evidence, _ cache: inout [Int32: Int]) -> Decision {
        var decision = Decision(match: candidate.match)
        guard !candidate.entities.isEmpty else { return decision }
        let match = candidate.match
        if candidate.entities.count == 1 {
            // One candidate entity (the common case): no arrays; the doubt was checked in detection.
            let only = candidate.entities.first!
            let doubtful = candidate.doubtful
            var score = doubtful ? evidenceScore(only, evidence, &cache) : 1
            // Context cues alone (score 1 each) do not make a case-folded word a name.
            if candidate.caseFolded && score < 2 { score = 0 }
            if doubtful && score == 0 && (candidate.everyday || !(lexicon.type(only) == .term && candidate.key.count >= 2)) {
                return decision
            }
            decision.chosen = only
            switch match {
            case .exact: decision.confidence = 0.95
            case .variant: decision.confidence = 0.9
            case .fuzzy: decision.confidence = 0.7
            default: decision.confidence = 0.6
            }
            if doubtful && score == 0 { decision.confidence = 0.6 }
            return decision
        }
        // Highest-precedence source present wins (user over curated over EDICT).
        let topRank = candidate.entities.map { lexicon.rank($0) }.min()!
        let pool = candidate.entities.filter { lexicon.rank($0) == topRank }
        let shared = pool.count > 1
        // Evidence is only needed to choose, or to confirm a doubtful form.
        let scored: [(Int32, Int)]
        if pool.count == 1 && !detector.needsEvidence(pool[0], key: candidate.key, normalized: candidate.normalized, shared: false) {
            scored = [(pool[0], 1)]
        } else {
            scored = pool.map { ($0, evidenceScore($0, evidence, &cache)) }
        }
        let best = scored.max { a, b in a.1 < b.1 || (a.1 == b.1 && a.0 > b.0) }!
        // No evidence for any: a form that is an everyday word takes the one entity
        // that is its everyday sense (スイッチ: the switch, not the Nintendo Switch).
        if best.1 == 0, shared, CommonWords.builtin.word(candidate.normalized) != nil {
            let everyday = pool.filter {
                CommonWords.builtin.conflict(form: candidate.normalized, entity: lexicon.entities[Int($0)]) == nil
            }
            if everyday.count == 1 {
                decision.chosen = everyday[0]
                decision.confidence = 0.6
                return decision
            }
        }
        let doubtful = detector.needsEvidence(best.0, key: candidate.key, normalized: candidate.normalized, shared: shared)
        if doubtful && best.1 == 0 && !(lexicon.type(best.0) == .term && !shared && candidate.key.count >= 2) {
            return decision
        }
        decision.chosen = best.0
        switch match {
        case .exact: decision.confidence = shared ? 0.8 : 0.95
        case .variant: decision.confidence = shared ? 0.75 : 0.9
        case .fuzzy: decision.confidence = 0.7
        default: decision.confidence = 0.6
        }
        if shared && scored.filter({ $0.1 == best.1 }).count > 1 { decision.confidence = 0.5 }
        // A term whose word has an everyday meaning too, with no cue in the document.
        if best.1 == 0 && doubtful { decision.confidence = 0.6 }
        return decision
    }

    /// Pass 3 of resolution: the mention of a decided candidate, if any.
    func mention(
        _ candidate: Candidate, _ decision: Decision, document: String,
        scalarBase: Int, byteBase: Int, sentenceBase: Int
    ) -> Mention? {
        if decision.dropped { return nil }
        func make(id: String?, en: String?, type: EntityType?, source: LinkSource, match: MatchKind, confidence: Double) -> Mention {
            Mention(
                document: document, sentence: candidate.sentence + sentenceBase, start: candidate.start + scalarBase,
                end: candidate.end + scalarBase, byteStart: candidate.byteStart + byteBase, byteEnd: candidate.byteEnd + byteBase,
                surface: candidate.surface, normalized: candidate.normalized, id: id, en: en, type: type, source: source,
                match: match, confidence: confidence)
        }
        if decision.chosen >= 0 {
            let entity = lexicon.entities[Int(decision.chosen)]
            return make(
                id: entity.id, en: entity.en, type: entity.type,
                source: decision.match == .fuzzy ? .latin : LinkSource(entity.source),
                match: decision.match, confidence: decision.confidence)
        }
        guard candidate.match == .unknown || !candidate.entities.isEmpty else { return nil }
        // A katakana word the dictionaries do not know, or a form without the evidence
        // its dictionary sense needs: EDICT's English (the index if imported; for the
        // everyday words, else its built-in common words), else, for katakana, the
        // compound's or the model's English.
        let normalized = candidate.normalized
        let katakana = CharClass.isKatakanaWord(normalized)
        // Latin words that did not link stay unlinked: EDICT has no everyday sense for them.
        guard katakana || (candidate.everyday && !normalized.unicodeScalars.allSatisfy(\.isASCII)) else { return nil }
        let letters = normalized.unicodeScalars.count
        // A katakana English that is no plausible source of the word (マンション →
        // apartment) is less sure: the writers add the model's guess beside it.
        func edictConfidence(_ plausible: Bool) -> Double { plausible || !katakana ? 0.6 : 0.4 }
        if let edict, let (entry, exact) = edict.best(key: String(decoding: candidate.key, as: UTF16.self), surface: normalized),
            letters >= 3 || (exact && entry.source == .edict && (entry.common || entry.plausible))
        {
            return make(
                id: "\(entry.source.rawValue):\(entry.headword)", en: entry.english, type: entry.type,
                source: LinkSource(entry.source), match: exact ? .exact : .variant,
                confidence: entry.source == .edict ? edictConfidence(entry.plausible) : 0.45)
        }
        if candidate.everyday, let word = CommonWords.builtin.word(normalized) {
            return make(
                id: "edict:\(word.headword)", en: word.english, type: .term, source: .edict,
                match: .exact, confidence: edictConfidence(word.plausible))
        }
        if let composed = candidate.composed {
            return make(id: "compound:\(normalized)", en: composed, type: .term, source: .compound, match: .variant, confidence: 0.5)
        }
        guard katakana && letters >= 3 else { return nil }
        return make(id: nil, en: nil, type: nil, source: .guess, match: .unknown, confidence: 0.3)
    }
}
