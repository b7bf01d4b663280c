import Foundation

/// Detection, one line at a time (lines in parallel, each worker with a
/// ``Scratch`` of its own): the longest match of dictionary keys over the text,
/// crossing token boundaries (アセンド910C, Ascend 910D, Mate 70 Pro+) but starting
/// and ending on them; typo-tolerant matching of unmatched Latin words; unknown
/// katakana words kept as candidates, with their compound English when their
/// parts are known; and the context cues of the line. Reads only the immutable
/// lexicon and EDICT index: thread-safe.
final class MentionDetector: Sendable {
    /// The entities candidates are matched against.
    let lexicon: EntityLexicon
    /// The imported EDICT/ENAMDICT index (known words, compounds' parts).
    let edict: EdictIndex?

    init(lexicon: EntityLexicon, edict: EdictIndex?) {
        self.lexicon = lexicon
        self.edict = edict
    }

    /// Per-thread working memory of line processing (worker k uses scratches[k]).
    final class Scratch {
        var key: [UInt16] = []
        var keyMap: [Int32] = []
        var fuzzyCache: [[UInt8]: Int32] = [:]
        /// Checks that a compound's English sounds like the whole word.
        lazy var transliterator = BackTransliterator()
        var compoundCache: [[UInt16]: Compound?] = [:]
    }

    struct Candidate {
        var sentence: Int
        var start: Int, end: Int, byteStart: Int, byteEnd: Int
        var surface: String
        var normalized: String
        var key: [UInt16]
        /// Candidate entities (a slice of the lexicon's storage: no copy).
        var entities: ArraySlice<Int32>
        var match: MatchKind
        /// A surname-shaped token followed by an honorific (氏, CEO, 社長, ...).
        var beforeHonorific: Bool
        /// Only a coreference can link it (a kanji surname candidate); dropped otherwise.
        var corefOnly: Bool
        /// For a single candidate entity: whether its form needs document evidence
        /// (``needsEvidence``), worked out during detection, on the worker threads.
        var doubtful = false
        /// The form is an everyday word (CommonWords) of another sense than its
        /// single candidate entity: without evidence it gets the everyday English.
        var everyday = false
        /// An unknown katakana compound: the English put together from its known
        /// words (オンライン|ゲーム → online game), found during detection.
        var composed: String? = nil
        /// A lower-case Latin word that meets its form by case folding alone (line,
        /// LINE): only a relation to an entity of the document is evidence enough.
        var caseFolded = false
        /// Where it is in the line's normalized text (UTF-16 units).
        var normalizedRange: Range<Int> = 0..<0
    }

    static let honorifics: Set<String> = [
        "氏", "さん", "様", "CEO", "社長", "会長", "首相", "大統領", "主席", "総統", "長官", "委員長", "議長", "代表", "創業者",
        "CFO", "CTO", "COO", "副社長", "国務長官", "大臣", "相", "教授", "博士", "総裁", "知事", "市長",
    ]

    /// ``honorifics`` as UTF-16, compared without building strings on the hot path.
    static let honorificUnits: [[UInt16]] = honorifics.map { Array($0.utf16) }.sorted { $0.lexicographicallyPrecedes($1) }

    /// Finds the mention candidates of one line (offsets relative to the line's
    /// bases). Thread-safe with a scratch of its own: reads only the immutable lexicon.
    func collect(_ line: SegmentedLine, scratch: Scratch) -> LineFindings {
        let buffer = line.buffer
        let piece = line.piece
        var candidates: [Candidate] = []
        let n = buffer.normalized.count
        guard n > 0 else { return LineFindings(candidates: [], cues: []) }
        var cues: [Int32] = []
        buffer.normalized.withUnsafeBufferPointer { u in
            lexicon.forEachCue(in: u) { cues.append($0) }
        }
        if cues.count > 1 { cues = Array(Set(cues)) }

        // Allowed mention boundaries: token and part edges.
        var boundary = [Bool](repeating: false, count: n + 1)
        var tokenAt = [Int32](repeating: -1, count: n + 1)  // span index starting here
        for (index, span) in piece.spans.enumerated() {
            boundary[Int(span.start)] = true
            boundary[Int(span.end)] = true
            tokenAt[Int(span.start)] = Int32(index)
        }
        for part in piece.parts {
            boundary[Int(part.start)] = true
            boundary[Int(part.end)] = true
        }
        // Sentence of each span.
        var sentenceOfSpan = [Int](repeating: 0, count: piece.spans.count)
        var s = 0
        for (k, end) in piece.sentenceEnds.enumerated() {
            while s < end && s < piece.spans.count { sentenceOfSpan[s] = line.sentenceBase + k; s += 1 }
        }

        buffer.normalized.withUnsafeBufferPointer { u in
            MatchKey.fold(u, into: &scratch.key, map: &scratch.keyMap)
            let key = scratch.key, map = scratch.keyMap
            // Key index at or after each normalized position.
            var keyAt = [Int](repeating: key.count, count: n + 1)
            var k = key.count - 1
            for pos in stride(from: n - 1, through: 0, by: -1) {
                while k >= 0 && Int(map[k]) >= pos { k -= 1 }
                keyAt[pos] = k + 1
            }
            // End position (normalized, exclusive) of the text that key units ks..<ke cover,
            // extended over a dropped trailing ー.
            func normalizedEnd(_ ke: Int) -> Int {
                var e = ke < key.count ? Int(map[ke]) : n
                // Do not swallow dropped separators after the last key unit: back up over them.
                while e > 0 && MatchKey.isSeparator(u[e - 1]) && e > Int(map[ke - 1]) + 1 {
                    e -= 1
                }
                return e
            }

            var pos = 0
            var spanIndex = 0
            while pos < n {
                guard boundary[pos] else { pos += 1; continue }
                let c = u[pos]
                // A mention never starts with a space or a separator the key drops (・サーバー).
                if MatchKey.isSeparator(c) {
                    pos += 1
                    continue
                }
                // Longest dictionary match starting here.
                var node = lexicon.root
                var best: (end: Int, keyEnd: Int, node: EntityLexicon.Node)? = nil
                var ki = keyAt[pos]
                while ki < key.count {
                    guard let next = lexicon.child(of: node, key[ki]) else { break }
                    node = next
                    ki += 1
                    if lexicon.hasCandidates(at: node) {
                        let e = normalizedEnd(ki)
                        if e > pos && boundary[e] { best = (e, ki, node) }
                    }
                }
                while spanIndex + 1 < piece.spans.count && Int(piece.spans[spanIndex].end) <= pos { spanIndex += 1 }
                let sentence = piece.spans.isEmpty ? line.sentenceBase : sentenceOfSpan[min(spanIndex, piece.spans.count - 1)]
                // A one-kanji form right after another kanji is the end of a word (選択中,
                // 使用中), not an abbreviation (中 = China), unless the kanji before is
                // itself a one-kanji form just matched (米中, 日米).
                if let found = best, found.end - pos == 1, pos > 0, CharClass.isKanji(UInt32(u[pos])),
                    CharClass.isKanji(UInt32(u[pos - 1])),
                    !(candidates.last.map {
                        $0.end - line.scalarBase == Int(buffer.normalizedToScalar[pos])
                            && $0.normalized.unicodeScalars.count == 1
                    } ?? false)
                {
                    best = nil
                }
                if let best {
                    let t = texts(buffer, u, pos, best.end)
                    let entities = lexicon.candidates(at: best.node)
                    let exact = lexicon.isForm(UnsafeBufferPointer(rebasing: u[pos..<best.end]))
                    let honorific = nextTokenIsHonorific(u, piece, tokenAt, after: best.end)
                    candidates.append(
                        makeCandidate(
                            line, pos, best.end, sentence: sentence, texts: t,
                            key: Array(key[keyAt[pos]..<best.keyEnd]), entities: entities,
                            match: exact ? .exact : .variant, honorific: honorific))
                    pos = best.end
                    continue
                }
                // No dictionary match: look at the token that starts here.
                let tokenIndex = tokenAt[pos]
                if tokenIndex >= 0 {
                    let span = piece.spans[Int(tokenIndex)]
                    let end = Int(span.end)
                    let length = end - pos
                    // Built only for the tokens that become candidates.
                    var tokenKey: [UInt16] { Array(key[keyAt[pos]..<keyAt[end]]) }
                    let isASCII = (pos..<end).allSatisfy { u[$0] < 0x80 }
                    switch span.script {
                    case .latin where length >= 5, .mixed where length >= 5 && isASCII:
                        let honorific = nextTokenIsHonorific(u, piece, tokenAt, after: end)
                        let latinKey = tokenKey.filter { $0 < 0x80 }.map { UInt8($0) }
                        // Typos are corrected in names only, never in a word of ordinary English
                        // (value is not Valve), and into a form capitalized alike (ERANGE is not Orange).
                        let shape = LatinShape(String(decoding: UnsafeBufferPointer(rebasing: u[pos..<end]), as: UTF16.self))
                        if latinKey.count >= 5,
                            !EnglishWords.contains(latinKey.filter { $0 >= 0x61 && $0 <= 0x7A }),
                            let hit = fuzzyLatin(latinKey, shape, scratch), lexicon.type(hit) != .term
                        {
                            candidates.append(
                                makeCandidate(
                                    line, pos, end, sentence: sentence, texts: texts(buffer, u, pos, end), key: tokenKey,
                                    entities: [hit], match: .fuzzy, honorific: honorific))
                        }
                    case .katakana:
                        let honorific = nextTokenIsHonorific(u, piece, tokenAt, after: end)
                        // Not a term: a short word bound to a one-kanji prefix is the end of a
                        // compound (革ジャン, 紙コップ; after a kanji word, as in 出力エラー or
                        // 文字クラス, it is a word of its own), and interjections and
                        // onomatopoeia end in ッ (パリッと).
                        let boundToPrefix =
                            length <= 3 && pos > 0 && CharClass.isKanji(UInt32(u[pos - 1]))
                            && !(pos > 1 && CharClass.isKanji(UInt32(u[pos - 2])))
                        let isTermLike = length >= 2 && !boundToPrefix && u[end - 1] != 0x30C3
                        let word = UnsafeBufferPointer(rebasing: u[pos..<end])
                        var composed: String? = nil
                        if !honorific && length >= 4 && span.partsCount == 0 && !isKnownWord(word) {
                            switch compound(word, scratch) {
                            case .pieces(let pieces)?:
                                // Known words in their own senses: one mention each.
                                var s = pos
                                for piece in pieces {
                                    let e = pos + Int(piece.end)
                                    var pieceKey: [UInt16] = [], pieceMap: [Int32] = []
                                    MatchKey.fold(UnsafeBufferPointer(rebasing: u[s..<e]), into: &pieceKey, map: &pieceMap)
                                    candidates.append(
                                        makeCandidate(
                                            line, s, e, sentence: sentence, texts: texts(buffer, u, s, e), key: pieceKey,
                                            entities: piece.entities, match: .variant, honorific: false))
                                    s = e
                                }
                                pos = end
                                continue
                            case .english(let english)?:
                                // One English for the whole, never a lone piece's entity.
                                composed = english
                            case nil:
                                break
                            }
                        }
                        if isTermLike || honorific {
                            var candidate = makeCandidate(
                                line, pos, end, sentence: sentence, texts: texts(buffer, u, pos, end),
                                key: tokenKey, entities: [], match: .unknown, honorific: honorific,
                                corefOnly: !isTermLike)
                            candidate.composed = composed
                            candidates.append(candidate)
                        }
                        pos = end
                        continue
                    case .kanji where length <= 3 && nextTokenIsHonorific(u, piece, tokenAt, after: end):
                        candidates.append(
                            makeCandidate(
                                line, pos, end, sentence: sentence, texts: texts(buffer, u, pos, end), key: tokenKey,
                                entities: [], match: .unknown, honorific: true, corefOnly: true))
                    default:
                        break
                    }
                    pos = end
                    continue
                }
                pos += 1
            }
            joinModelNumbers(&candidates, line, u)
        }
        return LineFindings(candidates: candidates, cues: cues)
    }

    /// A model number after a product family's name, in brackets or after the
    /// family's name in brackets, is one mention of the model when the
    /// dictionaries know it: アセンド（Ascend）910C and アセンド(910C) are Ascend
    /// 910C as アセンド910C is, not the family plus a loose number.
    func joinModelNumbers(_ candidates: inout [Candidate], _ line: SegmentedLine, _ u: UnsafeBufferPointer<UInt16>) {
        func isOpen(_ c: UInt16) -> Bool { c == 0x28 || c == 0xFF08 }
        func isClose(_ c: UInt16) -> Bool { c == 0x29 || c == 0xFF09 }
        func isAlnum(_ c: UInt16) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
        var i = 0
        while i < candidates.count {
            let family = candidates[i]
            guard !family.entities.isEmpty, family.match == .exact || family.match == .variant else { i += 1; continue }
            var p = family.normalizedRange.upperBound
            var next = i + 1
            // The family's name again in brackets: アセンド（Ascend）.
            if p < u.count, isOpen(u[p]), next < candidates.count, candidates[next].normalizedRange.lowerBound == p + 1,
                candidates[next].normalizedRange.upperBound < u.count, isClose(u[candidates[next].normalizedRange.upperBound]),
                candidates[next].entities.contains(where: family.entities.contains)
            {
                p = candidates[next].normalizedRange.upperBound + 1
                next += 1
            }
            let bracketed = p < u.count && isOpen(u[p])
            var q = bracketed ? p + 1 : p
            if !bracketed && q < u.count && (u[q] == 0x20 || u[q] == 0x3000) && next > i + 1 { q += 1 }
            let numberStart = q
            while q < u.count && isAlnum(u[q]) && q - numberStart < 16 { q += 1 }
            let number = UnsafeBufferPointer(rebasing: u[numberStart..<q])
            // Unbracketed, the number must follow the bracketed name (アセンド（Ascend）910C);
            // right after the family's name it is already part of the dictionary form.
            guard !number.isEmpty, number.contains(where: { (0x30...0x39).contains($0) }),
                q == u.count || !isAlnum(u[q]), bracketed ? (q < u.count && isClose(u[q])) : next > i + 1
            else { i += 1; continue }
            let end = bracketed ? q + 1 : q
            // The model: a dictionary entity written as one of the family's names plus the number.
            var model: ArraySlice<Int32> = []
            for f in family.entities {
                let entity = lexicon.entities[Int(f)]
                for name in [family.normalized] + entity.ja + [entity.en] + entity.aliases {
                    let units = Array((name + String(decoding: number, as: UTF16.self)).utf16)
                    let found = units.withUnsafeBufferPointer { dictionaryEntities($0) }
                    if found.count == 1, found.first! != f { model = found; break }
                }
                if !model.isEmpty { break }
            }
            guard !model.isEmpty else { i += 1; continue }
            var last = next
            while last < candidates.count && candidates[last].normalizedRange.lowerBound < end { last += 1 }
            var key: [UInt16] = [], map: [Int32] = []
            MatchKey.fold(UnsafeBufferPointer(rebasing: u[family.normalizedRange.lowerBound..<end]), into: &key, map: &map)
            var joined = makeCandidate(
                line, family.normalizedRange.lowerBound, end, sentence: family.sentence,
                texts: texts(line.buffer, u, family.normalizedRange.lowerBound, end),
                key: key, entities: model, match: .variant, honorific: family.beforeHonorific)
            joined.doubtful = false
            candidates.replaceSubrange(i..<last, with: [joined])
            i += 1
        }
    }

    /// What detection found in one line.
    struct LineFindings {
        var candidates: [Candidate]
        /// Context cues occurring in the line.
        var cues: [Int32]
    }

    /// How an unknown katakana compound is told: as pieces the dictionaries know,
    /// each in its own sense (ハイエンドチップ → ハイエンド|チップ), or as one English
    /// for the whole (オンラインゲーム → online game).
    enum Compound {
        case pieces([(end: Int32, entities: ArraySlice<Int32>)])
        case english(String)
    }

    /// The dictionary entities whose match key is the key of `u` exactly.
    func dictionaryEntities(_ u: UnsafeBufferPointer<UInt16>) -> ArraySlice<Int32> {
        var key: [UInt16] = [], map: [Int32] = []
        MatchKey.fold(u, into: &key, map: &map)
        var node = lexicon.root
        for unit in key {
            guard let next = lexicon.child(of: node, unit) else { return [] }
            node = next
        }
        return lexicon.candidates(at: node)
    }

    /// Whether a katakana word is a word of its own in EDICT (the index, or its
    /// common words): then it is not split into pieces (ハッカソン is not ハッカ|ソン).
    func isKnownWord(_ u: UnsafeBufferPointer<UInt16>) -> Bool {
        let word = String(decoding: u, as: UTF16.self)
        if CommonWords.builtin.word(word) != nil { return true }
        return edict?.best(key: MatchKey.of(word), surface: word)?.exact ?? false
    }

    /// A piece of a compound: its English, and its dictionary entities when the
    /// dictionaries know it in their own sense (an everyday word of another sense,
    /// as マスク in ビットマスク, is a mask, not a photomask).
    func knownPiece(_ u: UnsafeBufferPointer<UInt16>) -> (english: String, entities: ArraySlice<Int32>?)? {
        let word = String(decoding: u, as: UTF16.self)
        let entities = dictionaryEntities(u)
        if entities.count == 1 {
            let entity = lexicon.entities[Int(entities.first!)]
            if let everyday = CommonWords.builtin.conflict(form: word, entity: entity) { return (everyday.english, nil) }
            return (entity.en, entities)
        }
        if entities.count > 1 { return (lexicon.entities[Int(entities.first!)].en, entities) }
        if let (entry, exact) = edict?.best(key: MatchKey.of(word), surface: word), exact, entry.source == .edict {
            return (entry.english, nil)
        }
        return CommonWords.builtin.word(word).map { ($0.english, nil) }
    }

    /// How to tell an unknown katakana compound (cached per word), or nil when it
    /// is not covered by known words, as few as possible (オンライン|ゲーム, not
    /// オン|ライン|ゲーム), each of two letters or more and none starting with ー or a
    /// small kana. Pieces when the dictionaries know every one; otherwise one
    /// English, kept only when it sounds like the whole word to the model
    /// (オーバー|フロー is not "overcoat flow": then the model's guess is better).
    /// Words of up to 32 units (bounded work).
    func compound(_ u: UnsafeBufferPointer<UInt16>, _ scratch: Scratch) -> Compound? {
        let units = Array(u)
        if let known = scratch.compoundCache[units] { return known }
        var result = compoundUncached(u)
        if case .english(let english)? = result,
            (scratch.transliterator.plausibility(of: english, for: String(decoding: u, as: UTF16.self)) ?? -.infinity)
                < Self.composedBelowBest
        {
            result = nil
        }
        if scratch.compoundCache.count > 50_000 { scratch.compoundCache.removeAll() }
        scratch.compoundCache[units] = result
        return result
    }

    /// How far below the model's favourite spelling a compound's English may score.
    static let composedBelowBest = -2.0

    func compoundUncached(_ u: UnsafeBufferPointer<UInt16>) -> Compound? {
        let n = u.count
        guard n >= 4, n <= 32 else { return nil }
        func canStart(_ c: UInt16) -> Bool {
            !(c == 0x30FC || c == 0x30C3 || c == 0x30E3 || c == 0x30E5 || c == 0x30E7 || c == 0x30A1 || c == 0x30A3
                || c == 0x30A5 || c == 0x30A7 || c == 0x30A9 || c == 0x30EE)
        }
        struct Path { var count: Int; var known: Int; var parts: [(end: Int, english: String, entities: ArraySlice<Int32>?)] }
        var best = [Path?](repeating: nil, count: n + 1)
        best[0] = Path(count: 0, known: 0, parts: [])
        for i in 0..<n {
            guard let here = best[i], i + 2 <= n, canStart(u[i]) else { continue }
            for j in (i + 2)...min(n, i + 16) where j == n || canStart(u[j]) {
                // The whole word is not a piece of itself.
                if i == 0 && j == n { continue }
                guard let piece = knownPiece(UnsafeBufferPointer(rebasing: u[i..<j])) else { continue }
                let path = Path(
                    count: here.count + 1, known: here.known + (piece.entities == nil ? 0 : 1),
                    parts: here.parts + [(j, piece.english, piece.entities)])
                if let old = best[j], (old.count, -old.known) <= (path.count, -path.known) { continue }
                best[j] = path
            }
        }
        guard let path = best[n] else { return nil }
        if path.known == path.count {
            return .pieces(path.parts.map { (Int32($0.end), $0.entities!) })
        }
        // Prefixes join their word: multi- + byte = multibyte, pre- + processor = preprocessor.
        var text = ""
        for part in path.parts {
            let trimmed = part.english.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            if !text.isEmpty && !text.hasSuffix("-") { text += " " }
            text = text.hasSuffix("-") ? String(text.dropLast()) + trimmed : text + trimmed
            if part.english.hasSuffix("-") { text += "-" }
        }
        return .english(text.hasSuffix("-") ? String(text.dropLast()) : text)
    }

    func nextTokenIsHonorific(
        _ u: UnsafeBufferPointer<UInt16>, _ piece: SegmentedPiece, _ tokenAt: [Int32],
        after end: Int
    ) -> Bool {
        guard end < tokenAt.count, tokenAt[end] >= 0 else { return false }
        let next = piece.spans[Int(tokenAt[end])]
        let start = Int(next.start), length = Int(next.end) - start
        guard length <= 4 else { return false }
        for honorific in Self.honorificUnits where honorific.count == length {
            var k = 0
            while k < length && honorific[k] == u[start + k] { k += 1 }
            if k == length { return true }
        }
        return false
    }

    /// Fuzzy Latin look-ups, cached per word (corpora repeat their words).
    func fuzzyLatin(_ key: [UInt8], _ shape: LatinShape, _ scratch: Scratch) -> Int32? {
        let cacheKey = key + [shape.rawValue]
        if let cached = scratch.fuzzyCache[cacheKey] { return cached >= 0 ? cached : nil }
        let hit = lexicon.fuzzyLatin(key, shape: shape).first?.entity
        if scratch.fuzzyCache.count > 200_000 { scratch.fuzzyCache.removeAll() }
        scratch.fuzzyCache[cacheKey] = hit ?? -1
        return hit
    }

    /// The original text of normalized units s..<e and the normalized text; one
    /// string serves as both when normalization changed nothing there (the usual case).
    @inline(__always)
    func texts(_ buffer: TextBuffer, _ u: UnsafeBufferPointer<UInt16>, _ s: Int, _ e: Int) -> (surface: String, normalized: String) {
        let os = Int(buffer.normalizedToScalar[s]), oe = Int(buffer.normalizedToScalar[e])
        let bs = Int(buffer.scalarByteOffset[os]), be = Int(buffer.scalarByteOffset[oe])
        let surface = String(decoding: buffer.bytes[bs..<be], as: UTF8.self)
        var same = oe - os == e - s
        if same {
            for i in 0..<(e - s) where buffer.scalars[os + i] != UInt32(u[s + i]) {
                same = false
                break
            }
        }
        return (surface, same ? surface : String(decoding: UnsafeBufferPointer(rebasing: u[s..<e]), as: UTF16.self))
    }

    func makeCandidate(
        _ line: SegmentedLine, _ s: Int, _ e: Int, sentence: Int, texts: (surface: String, normalized: String),
        key: [UInt16], entities: ArraySlice<Int32>, match: MatchKind, honorific: Bool,
        corefOnly: Bool = false
    ) -> Candidate {
        let buffer = line.buffer
        let os = Int(buffer.normalizedToScalar[s]), oe = Int(buffer.normalizedToScalar[e])
        let bs = Int(buffer.scalarByteOffset[os]), be = Int(buffer.scalarByteOffset[oe])
        var candidate = Candidate(
            sentence: sentence, start: line.scalarBase + os, end: line.scalarBase + oe,
            byteStart: line.byteBase + bs, byteEnd: line.byteBase + be,
            surface: texts.surface, normalized: texts.normalized, key: key,
            entities: entities, match: match, beforeHonorific: honorific, corefOnly: corefOnly)
        candidate.normalizedRange = s..<e
        if entities.count == 1 {
            let index = entities.first!
            candidate.doubtful = needsEvidence(index, key: key, normalized: texts.normalized, shared: false)
            // Forms that link only with evidence, whatever the entity's type (no term
            // links without it): everyday words of another sense, and Latin words
            // that match by case folding alone or are short English words.
            candidate.caseFolded = match == .variant && texts.normalized.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
            if latinNeedsEvidence(index, normalized: texts.normalized, match: match)
                || CommonWords.builtin.conflict(form: texts.normalized, entity: lexicon.entities[Int(index)]) != nil
            {
                candidate.everyday = true
                candidate.doubtful = true
            }
        } else if entities.count > 1 {
            // A form several entities share that is also an everyday word of another
            // sense than all of them: without evidence, the everyday English.
            candidate.everyday = entities.allSatisfy {
                CommonWords.builtin.conflict(form: texts.normalized, entity: lexicon.entities[Int($0)]) != nil
            }
        }
        return candidate
    }

    /// A Latin word links only with evidence when it matches a form by case
    /// folding alone (line is not LINE, apple is not Apple, lib is not LIB), or,
    /// for a name, when it is a short word of ordinary English (ARM, ION).
    func latinNeedsEvidence(_ index: Int32, normalized: String, match: MatchKind) -> Bool {
        let scalars = normalized.unicodeScalars
        guard scalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else { return false }
        if match == .variant && !scalars.contains(where: { ("A"..."Z").contains($0) }) { return true }
        return lexicon.type(index) != .term && scalars.count <= 3 && EnglishWords.contains(Array(normalized.lowercased().utf8))
    }

    /// One-character forms, forms shared by several entities, and forms that are
    /// also everyday words (for entities whose row has context cues) link only
    /// with evidence. A form is an everyday word when it is katakana that UniDic
    /// lists (テスラ the unit, アップル) or short, or Latin of three letters or fewer (HP).
    func needsEvidence(_ index: Int32, key: [UInt16], normalized: String, shared: Bool) -> Bool {
        if key.count <= 1 || shared { return true }
        guard lexicon.hasContext(index) else { return false }
        let scalars = normalized.unicodeScalars
        if scalars.allSatisfy({ CharClass.isKatakanaLetter($0.value) || $0.value == 0x30FC || $0.value == 0x30FB }) {
            if key.count <= 3 { return true }
            // Katakana is already normalized: look the units up directly.
            let units = Array(normalized.utf16)
            return units.withUnsafeBufferPointer { BuiltinLexicon.shortUnits.contains($0) }
        }
        if scalars.allSatisfy({ $0.isASCII }) { return key.count <= 3 }
        return false
    }
}
