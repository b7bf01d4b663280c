import HashiICU
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A token inside one ``TextBuffer``, in normalized units. Internal, compact:
/// writers that only need surfaces (`--format text`) never build Strings.
struct Span {
    var start: Int32
    var end: Int32
    var script: ScriptClass
    /// For compounds: the range of the parts in ``SegmentedPiece/parts``.
    var partsStart: Int32 = 0
    var partsCount: Int32 = 0
}

/// The segmentation of one ``TextBuffer``: tokens and sentence ends.
struct SegmentedPiece {
    var spans: [Span] = []
    var parts: [Span] = []
    /// Exclusive span indexes where sentences end; the last equals `spans.count`.
    var sentenceEnds: [Int] = []

    mutating func reset() {
        spans.removeAll(keepingCapacity: true)
        parts.removeAll(keepingCapacity: true)
        sentenceEnds.removeAll(keepingCapacity: true)
    }
}

/// Japanese word segmentation: ICU's dictionary-based word break iterator,
/// then repairs of what it gets wrong.
///
/// Repairs, in order:
/// 1. Katakana words are kept whole. A katakana word is a maximal run of katakana
///    letters (small kana and ヴ included) and ー; ICU's dictionary shatters unknown
///    loanwords (ファー|ウェイ, コン|ピ|ュ|ー|ティン|グ). A ー that begins a run is a dash.
/// 2. No cut falls inside an NFKC expansion (㍿) or a surrogate pair.
/// 3. Short units: a katakana word is split where the lexicon covers it with known
///    words (データセンター → データ|センター). Long units: ・-joined katakana words
///    become one compound token with its parts, and lexicon terms made of several
///    short units are joined.
/// Latin and digit tokens (910C, H100, 5nm, 6G) come from ICU's rules intact.
///
/// Not thread-safe (it owns ICU break iterators); use one per thread.
public final class Segmenter {
    /// Token granularity: short or long units.
    public let unit: SegmentationUnit
    /// Words used to split katakana compounds (short units) or to join terms made of several short units (long units).
    public let lexicon: SegmentationLexicon
    /// Hiragana re-segmentation rules; applied to short units only.
    public let rules: ResegmentationRules
    /// Whether to find sentence boundaries (writers of plain words do not need them:
    /// skipping ICU's sentence iterator saves a second pass over the text).
    public var findsSentences = true
    private let words: BreakIterator
    private let sentences: BreakIterator
    @exclusivity(unchecked) private var cut: [Bool] = []
    private var splitter: KatakanaSplitter
    @exclusivity(unchecked) private var scratch: [Span] = []
    @exclusivity(unchecked) private var scratchParts: [Span] = []

    /// Creates a segmenter; throws if ICU's Japanese word and sentence break iterators cannot be opened.
    ///
    /// - Parameters:
    ///   - lexicon: words for katakana splitting (short) or term joining (long).
    ///   - rules: hiragana re-segmentation rules, applied to short units.
    public init(
        unit: SegmentationUnit = .long, lexicon: SegmentationLexicon = SegmentationLexicon(),
        rules: ResegmentationRules = ResegmentationRules()
    ) throws(ICUError) {
        self.unit = unit
        self.lexicon = lexicon
        self.rules = rules
        self.splitter = KatakanaSplitter(lexicon: lexicon)
        self.words = try Self.prototypes().word.clone()
        self.sentences = try Self.prototypes().sentence.clone()
    }

    // Opening a Japanese word break iterator loads the CJ dictionary (milliseconds);
    // clones share it.
    // (`nonisolated(unsafe)`: only touched under `lock`.)
    nonisolated(unsafe) private static var cachedPrototypes: (word: BreakIterator, sentence: BreakIterator)?
    private static let lock = Mutex(())
    private static func prototypes() throws(ICUError) -> (word: BreakIterator, sentence: BreakIterator) {
        try lock.withLock { (_) throws(ICUError) in
            if let cached = cachedPrototypes { return cached }
            let made = (word: try BreakIterator(.word, locale: "ja"), sentence: try BreakIterator(.sentence, locale: "ja"))
            cachedPrototypes = made
            return made
        }
    }

    // MARK: Segmentation

    func segment(_ buffer: TextBuffer, into piece: inout SegmentedPiece) throws(ICUError) {
        piece.reset()
        let n = buffer.normalized.count
        if n == 0 { piece.sentenceEnds.append(0); return }
        try buffer.normalized.withUnsafeBufferPointer { (u) throws(ICUError) in
            try computeCuts(buffer, u)
            buildSpans(u, into: &piece)
            attachSokuon(u, &piece)
            switch unit {
            case .short:
                splitKatakanaCompounds(u, &piece)
                applyRules(u, &piece)
            case .long: joinCompounds(u, &piece)
            }
            if findsSentences {
                try findSentences(u, &piece)
            } else {
                piece.sentenceEnds.append(piece.spans.count)
            }
        }
    }

    private func computeCuts(_ buffer: TextBuffer, _ u: UnsafeBufferPointer<UInt16>) throws(ICUError) {
        let n = u.count
        cut.removeAll(keepingCapacity: true)
        cut.append(contentsOf: repeatElement(false, count: n + 1))
        cut[0] = true
        cut[n] = true
        let (boundaries, _) = try words.boundaries(in: u)
        for b in boundaries { cut[Int(b)] = true }

        // Repair 1: katakana runs.
        var inRun = false
        for k in 0..<n {
            let c = UInt32(u[k])
            var letter = CharClass.isKatakanaLetter(c)
            if letter && !inRun && Self.isCounterKana(u, k) { letter = false }
            let mark = c == 0x30FC
            if inRun && (letter || mark || c == 0x3099 || c == 0x309A) {
                cut[k] = false
            } else if letter {
                cut[k] = true
                inRun = true
            } else {
                if inRun { cut[k] = true }
                inRun = false
                if mark && k > 0 && CharClass.isHiragana(UInt32(u[k - 1])) {
                    // ー lengthening a hiragana word (らーめん, すごーい) belongs to it.
                    cut[k] = false
                    if k + 1 < n && CharClass.isHiragana(UInt32(u[k + 1])) { cut[k + 1] = false }
                } else if mark {
                    // A dash: a token of its own.
                    cut[k] = true
                    cut[k + 1] = true
                }
            }
        }
        // Repair 2: never cut inside an expansion or a surrogate pair.
        for k in 1..<n where cut[k] && !buffer.isCutAllowed(atNormalized: k) {
            cut[k] = false
        }
    }

    private func buildSpans(_ u: UnsafeBufferPointer<UInt16>, into piece: inout SegmentedPiece) {
        var start = 0
        for k in 1...u.count where cut[k] {
            let script = CharClass.scriptOf(units: UnsafeBufferPointer(rebasing: u[start..<k]))
            piece.spans.append(Span(start: Int32(start), end: Int32(k), script: script))
            start = k
        }
    }

    /// ICU cuts a verb stem from its geminated ending (言|った, 降|って); the small っ
    /// belongs to the stem (言っ|た, ハマっ|た). Moves a leading っ onto a preceding
    /// one-kanji, hiragana or katakana token.
    private func attachSokuon(_ u: UnsafeBufferPointer<UInt16>, _ piece: inout SegmentedPiece) {
        guard u.contains(0x3063) else { return }
        var k = 1
        while k < piece.spans.count {
            let span = piece.spans[k], previous = piece.spans[k - 1]
            let stemLike =
                (previous.script == .kanji && previous.end - previous.start == 1) || previous.script == .hiragana
                || previous.script == .katakana
            if u[Int(span.start)] == 0x3063 && stemLike && span.script == .hiragana {
                piece.spans[k - 1].end += 1
                piece.spans[k - 1].script = CharClass.scriptOf(
                    units: UnsafeBufferPointer(rebasing: u[Int(previous.start)..<Int(previous.end + 1)]))
                if span.end - span.start == 1 {
                    piece.spans.remove(at: k)
                    continue
                }
                piece.spans[k].start += 1
            }
            k += 1
        }
    }

    // MARK: Short units

    /// Rewrites hiragana token sequences by the re-segmentation rules.
    private func applyRules(_ u: UnsafeBufferPointer<UInt16>, _ piece: inout SegmentedPiece) {
        guard rules.count > 0 else { return }
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        let spans = piece.spans
        while i < spans.count {
            if spans[i].script == .hiragana, let rule = rules.match(u, spans, at: i) {
                var s = spans[i].start
                for length in rule.to {
                    scratch.append(Span(start: s, end: s + Int32(length), script: .hiragana))
                    s += Int32(length)
                }
                i += rule.from.count
            } else {
                scratch.append(spans[i])
                i += 1
            }
        }
        swap(&piece.spans, &scratch)
    }

    /// Splits katakana words that the lexicon covers with known words, when the
    /// cheapest cover (sum of word costs plus a join penalty per extra piece, as in
    /// MeCab's lattice with flat connection costs) is cheaper than keeping the word
    /// as one unknown word. Words the lexicon knows as a whole stay whole.
    private func splitKatakanaCompounds(_ u: UnsafeBufferPointer<UInt16>, _ piece: inout SegmentedPiece) {
        guard lexicon.count > 0 else { return }
        scratch.removeAll(keepingCapacity: true)
        for span in piece.spans {
            let length = Int(span.end - span.start)
            if span.script == .katakana && length >= 4, let cuts = coverKatakana(u, span) {
                var s = span.start
                for e in cuts {
                    scratch.append(Span(start: s, end: e, script: .katakana))
                    s = e
                }
            } else {
                scratch.append(span)
            }
        }
        swap(&piece.spans, &scratch)
    }

    private func coverKatakana(_ u: UnsafeBufferPointer<UInt16>, _ span: Span) -> [Int32]? {
        splitter.split(UnsafeBufferPointer(rebasing: u[Int(span.start)..<Int(span.end)]))?.map { span.start + $0 }
    }

    /// ヶ/ヵ, and ケ/カ between a number or kanji and a kanji (3カ国, 霧ケ峰), are
    /// counters or the particle ga inside a kanji word, not katakana words.
    @inline(__always)
    static func isCounterKana(_ u: UnsafeBufferPointer<UInt16>, _ k: Int) -> Bool {
        let c = u[k]
        if c == 0x30F5 || c == 0x30F6 { return true }
        guard c == 0x30B1 || c == 0x30AB, k > 0, k + 1 < u.count else { return false }
        let before = UInt32(u[k - 1]), after = UInt32(u[k + 1])
        return (CharClass.isKanji(before) || CharClass.isASCIIDigit(before)) && CharClass.isKanji(after)
    }

    @inline(__always)
    static func isSmallKana(_ c: UInt32) -> Bool {
        switch c {
        case 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6: true
        default: c >= 0x31F0 && c <= 0x31FF
        }
    }

    // MARK: Long units

    /// Joins ・-separated katakana words into one compound, and lexicon terms made
    /// of several spans into one token; the pieces become the compound's parts.
    private func joinCompounds(_ u: UnsafeBufferPointer<UInt16>, _ piece: inout SegmentedPiece) {
        let spans = piece.spans
        scratch.removeAll(keepingCapacity: true)
        scratchParts.removeAll(keepingCapacity: true)
        var i = 0
        while i < spans.count {
            var j = i + 1
            if spans[i].script == .katakana {
                // katakana (・ katakana)+
                while j + 1 < spans.count && isDot(u, spans[j]) && spans[j + 1].script == .katakana { j += 2 }
            }
            if j == i + 1 && lexicon.count > 0 { j = longestLexiconJoin(u, spans, from: i) }
            if j > i + 1 {
                let partsStart = Int32(scratchParts.count)
                scratchParts.append(contentsOf: spans[i..<j])
                // A ・ compound of katakana words is katakana.
                let allKatakana = spans[i..<j].allSatisfy { $0.script == .katakana || isDot(u, $0) }
                let script =
                    allKatakana
                    ? .katakana
                    : CharClass.scriptOf(units: UnsafeBufferPointer(rebasing: u[Int(spans[i].start)..<Int(spans[j - 1].end)]))
                scratch.append(
                    Span(
                        start: spans[i].start, end: spans[j - 1].end, script: script,
                        partsStart: partsStart, partsCount: Int32(j - i)))
            } else {
                scratch.append(spans[i])
            }
            i = j
        }
        swap(&piece.spans, &scratch)
        swap(&piece.parts, &scratchParts)
    }

    @inline(__always)
    private func isDot(_ u: UnsafeBufferPointer<UInt16>, _ span: Span) -> Bool {
        span.end - span.start == 1 && u[Int(span.start)] == 0x30FB
    }

    /// The end (exclusive span index) of the longest lexicon word that starts at
    /// span `i` and ends on a span boundary, spanning 2+ spans; `i + 1` if none.
    private func longestLexiconJoin(_ u: UnsafeBufferPointer<UInt16>, _ spans: [Span], from i: Int) -> Int {
        // Terms do not start with a space, a symbol or a particle.
        switch spans[i].script {
        case .space, .symbol, .hiragana: return i + 1
        default: break
        }
        let start = Int(spans[i].start)
        var best = i + 1
        var state = FNV1a.basis
        var k = start
        var j = i
        while j < spans.count {
            if spans[j].script == .space && j > i { break }
            let end = Int(spans[j].end)
            if end - start > lexicon.maxLength { break }
            // Extend the prefix state to the end of span j; stop once no word can continue.
            while k < end {
                state = FNV1a.step(state, u[k])
                k += 1
            }
            if j > i && lexicon.contains(UnsafeBufferPointer(rebasing: u[start..<end])) { best = j + 1 }
            if !lexicon.mayExtend(state) { break }
            j += 1
        }
        return best
    }

    // MARK: Sentences

    /// ICU sentence breaks, moved to token boundaries, and adjusted for Japanese:
    /// a sentence ends after 。．！？!? (and any closing brackets or quotes after them),
    /// but not when a quotation is followed by a quotative particle (「…。」と言った).
    private func findSentences(_ u: UnsafeBufferPointer<UInt16>, _ piece: inout SegmentedPiece) throws(ICUError) {
        let (boundaries, _) = try sentences.boundaries(in: u)
        var b = boundaries.startIndex
        for (index, span) in piece.spans.enumerated() {
            let end = Int(span.end)
            var isEnd = false
            while b < boundaries.endIndex && Int(boundaries[b]) <= end {
                if Int(boundaries[b]) == end { isEnd = true }
                b += 1
            }
            if end == u.count { isEnd = true }
            if !isEnd && Self.isTerminal(u, piece.spans, index) { isEnd = true }
            if isEnd && end < u.count && Self.continuesQuotation(u, piece.spans, index) { isEnd = false }
            if isEnd && end < u.count && Self.isWhitespaceOnlyRest(piece.spans, after: index) { isEnd = false }
            if isEnd { piece.sentenceEnds.append(index + 1) }
        }
        if piece.sentenceEnds.last != piece.spans.count { piece.sentenceEnds.append(piece.spans.count) }
        // ICU counts opening brackets as "Close" and ends a sentence after 。「; an
        // opening bracket begins the next sentence instead.
        var previous = 0
        var adjusted: [Int] = []
        for end in piece.sentenceEnds {
            var moved = end
            while moved - 1 >= previous && moved < piece.spans.count && Self.isOpening(u, piece.spans[moved - 1]) { moved -= 1 }
            if moved > previous {
                adjusted.append(moved)
                previous = moved
            }
        }
        if adjusted.last != piece.spans.count { adjusted.append(piece.spans.count) }
        piece.sentenceEnds = adjusted
    }

    /// True after 。！？ (and closing brackets) when the next token starts a new sentence.
    private static func isTerminal(_ u: UnsafeBufferPointer<UInt16>, _ spans: [Span], _ index: Int) -> Bool {
        let last = u[Int(spans[index].end) - 1]
        let terminal = last == 0x3002 || last == 0xFF0E || last == 0x21 || last == 0x3F || isClosing(last)
        guard terminal, index + 1 < spans.count else { return false }
        let next = u[Int(spans[index + 1].start)]
        if isClosing(next) || next == 0x3002 || next == 0x21 || next == 0x3F { return false }
        if isClosing(last) {
            // Only a closing bracket right after a terminal mark ends a sentence.
            var k = Int(spans[index].end) - 1
            while k > 0 && isClosing(u[k]) { k -= 1 }
            let mark = u[k]
            return mark == 0x3002 || mark == 0x21 || mark == 0x3F
        }
        return true
    }

    private static func isOpening(_ u: UnsafeBufferPointer<UInt16>, _ span: Span) -> Bool {
        for k in Int(span.start)..<Int(span.end) {
            let c = u[k]
            if !(c == 0x300C || c == 0x300E || c == 0x28 || c == 0x3010 || c == 0x3008 || c == 0x300A || c == 0x201C
                || c == 0x2018)
            {
                return false
            }
        }
        return true
    }

    @inline(__always)
    private static func isClosing(_ c: UInt16) -> Bool {
        c == 0x300D || c == 0x300F || c == 0x29 || c == 0x3011 || c == 0x3009 || c == 0x300B || c == 0x201D || c == 0x2019
            || c == 0x22
    }

    /// 「…。」と / 」って / 」という: the quote is part of the sentence that follows.
    private static func continuesQuotation(_ u: UnsafeBufferPointer<UInt16>, _ spans: [Span], _ index: Int) -> Bool {
        let last = u[Int(spans[index].end) - 1]
        guard isClosing(last), index + 1 < spans.count else { return false }
        let next = u[Int(spans[index + 1].start)]
        return next == 0x3068 /* と */ || next == 0x3063 /* っ */ || next == 0x306E /* の */ || next == 0x3092 /* を */
    }

    private static func isWhitespaceOnlyRest(_ spans: [Span], after index: Int) -> Bool {
        var k = index + 1
        while k < spans.count {
            if spans[k].script != .space { return false }
            k += 1
        }
        return true
    }
}

extension ResegmentationRules {
    /// The rule matching spans starting at `i`, if any.
    func match(_ u: UnsafeBufferPointer<UInt16>, _ spans: [Span], at i: Int) -> Rule? {
        guard !byFirst.isEmpty else { return nil }
        let first = Array(u[Int(spans[i].start)..<Int(spans[i].end)])
        guard let candidates = byFirst[first] else { return nil }
        for rule in candidates where i + rule.from.count <= spans.count {
            var ok = true
            for (k, token) in rule.from.enumerated().dropFirst() {
                let span = spans[i + k]
                if !u[Int(span.start)..<Int(span.end)].elementsEqual(token) { ok = false; break }
            }
            if ok { return rule }
        }
        return nil
    }
}
