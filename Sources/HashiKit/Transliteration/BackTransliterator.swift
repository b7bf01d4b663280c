import Foundation
import HashiICU

/// One English spelling proposed for a katakana word.
public struct TransliterationCandidate: Sendable, Equatable {
    /// Lowercase English, words separated by single spaces ("machine learning").
    public let english: String
    /// This candidate's share of the probability of all candidates the search found
    /// (0…1; the shares of the full list add up to 1). A guess, not a dictionary fact.
    public let score: Double
    /// The raw score: ln P(katakana, English) under the model plus the lexicon weights.
    public let logScore: Double
}

/// Why a word cannot be transliterated: it is not katakana (with ー and ・), or it is too long to search.
public enum TransliterationError: Error, CustomStringConvertible, Sendable, Equatable {
    case notKatakana(String)
    /// More units than ``BackTransliterator/maxUnits``.
    case tooLong(String)

    /// The error as one line, quoting the word (the first 16 characters of a word that is too long).
    public var description: String {
        switch self {
        case .notKatakana(let word):
            "not a katakana word: '\(word)' (only katakana, ー and ・ are transliterated)"
        case .tooLong(let word):
            "katakana word too long to transliterate (over \(BackTransliterator.maxUnits) units): '\(word.prefix(16))…'"
        }
    }
}

/// Proposes the English words a katakana loanword most likely came from
/// (コンピューター → computer, マシンラーニング → machine learning).
///
/// The model is a joint-sequence ("graphone") n-gram over pairs of a katakana unit
/// and the English letters it stands for, learned from EDICT's loanwords (see
/// TransliterationModel). Two beam searches run over the units:
/// - a lexicon search walks an English word trie along with the letters, so only
///   real words come out; a word may end inside the katakana and a new one begin
///   (compounds), at a cost;
/// - a free search spells anything the model likes, for names no word list has;
///   words of its result missing from the lexicon pay a penalty.
/// The union is ranked by score. Not thread-safe: one per thread (the model is shared).
public final class BackTransliterator {
    /// Weights of the search, natural-log units.
    public struct Weights: Sendable {
        /// Added for each word break the lexicon search inserts.
        public var wordBreak = -2.5
        /// Added for each word that is only in the general word list (wamerican),
        /// not among the English sources of EDICT's loanwords.
        public var wordlistOnly = -1.0
        /// Added for each word of a free-search result that no lexicon has.
        public var outOfLexicon = -9.0
        /// Times (log2(1 + the word's count in EDICT's glosses) − frequencyOffset), added
        /// per lexicon word: frequent words win over rare ones.
        public var frequency = 0.1
        /// Subtracted from log2(1 + count) before ``frequency`` weighs it: words with more than about 2^offset
        /// EDICT occurrences gain, rarer ones lose.
        public var frequencyOffset = 10.0
        /// Expansions scoring this much below the best one of the same step are dropped.
        public var pruning = 12.0
        /// Hypotheses kept per katakana unit by the lexicon search.
        public var lexiconBeam = 64
        /// Hypotheses kept per katakana unit by the free search.
        public var freeBeam = 24

        /// The default weights, tuned on the dev 10% of EDICT's loanwords (see `dictionaries/transliteration/README.md`).
        public init() {}

        /// Reads "name=value,..." (wordBreak, wordlistOnly, outOfLexicon, frequency, lexiconBeam,
        /// freeBeam) over the defaults; unknown names are ignored. For tuning experiments.
        public init(parsing text: String) {
            self.init()
            for item in text.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[1]) else { continue }
                switch parts[0] {
                case "wordBreak": wordBreak = value
                case "wordlistOnly": wordlistOnly = value
                case "outOfLexicon": outOfLexicon = value
                case "frequency": frequency = value
                case "frequencyOffset": frequencyOffset = value
                case "pruning": pruning = value
                case "lexiconBeam": lexiconBeam = max(1, Int(value))
                case "freeBeam": freeBeam = max(1, Int(value))
                default: break
                }
            }
        }
    }

    /// The graphone n-gram model the searches score with (shared, read-only).
    public let model: TransliterationModel
    /// The search weights, read as each search runs: a change applies to the next word.
    public var weights: Weights

    /// A transliterator scoring with `model` (the built-in one by default) and `weights`.
    public init(model: TransliterationModel = .builtin, weights: Weights = Weights()) {
        self.model = model
        self.weights = weights
    }

    // MARK: Input

    /// The katakana of `word` after NFKC (half-width ﾌｧｰｳｪｲ becomes ファーウェイ),
    /// split at ・ (and at spaces or =), or an error when anything else is in it.
    public static func segments(of word: String) throws(TransliterationError) -> [String] {
        let normalized = (try? NFKC.normalize(word)) ?? word
        var segments: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in normalized.unicodeScalars {
            let v = scalar.value
            if v == 0x30FB || v == 0x20 || v == 0x3D || v == 0x30A0 {
                if !current.isEmpty { segments.append(String(current)); current = .init() }
            } else if (v >= 0x30A1 && v <= 0x30FA) || v == 0x30FC {
                current.append(scalar)
            } else {
                throw .notKatakana(word)
            }
        }
        if !current.isEmpty { segments.append(String(current)) }
        if segments.isEmpty || segments.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.value == 0x30FC } }) {
            throw .notKatakana(word)
        }
        return segments
    }

    /// Units of one segment as the trainer cuts them: [ッ]* kana [small kana]* [ー]*.
    static func rawUnits(_ katakana: String) -> [String] {
        var out: [String] = []
        var pending = ""
        for c in katakana {
            if c == "ッ" {
                pending.append(c)
            } else if "ァィゥェォャュョヮヵヶー".contains(c) {
                if !out.isEmpty && pending.isEmpty { out[out.count - 1].append(c) } else { out.append(pending + String(c)); pending = "" }
            } else {
                out.append(pending + String(c))
                pending = ""
            }
        }
        if !pending.isEmpty { out.append(pending) }
        return out
    }

    /// Model unit ids for a raw unit, backing off to smaller pieces when the model
    /// never saw it: without ー, then ッ apart, then each kana alone; pieces the model
    /// does not know at all are dropped.
    func unitIDs(_ unit: String) -> [Int] {
        if let id = model.unitID(Array(unit.utf8)) { return [id] }
        let chars = Array(unit)
        if chars.count <= 1 { return [] }
        if chars.last == "ー" { return unitIDs(String(chars.dropLast())) }
        if chars.first == "ッ" { return unitIDs("ッ") + unitIDs(String(chars.dropFirst())) }
        return chars.flatMap { unitIDs(String($0)) }
    }

    // MARK: Search

    private struct Hypothesis {
        var history: History
        var node: Int32
        /// The spelling so far, an id of ``Spellings``.
        var text: Int32
        var score: Double
    }

    private struct StateKey: Hashable {
        var history: History
        var node: Int32
        var text: Int32
    }

    /// A map from a pair of 64-bit words to an index, by open addressing with a
    /// cheap multiplicative hash (Swift's `Dictionary` hashes with seeded SipHash,
    /// the search's largest cost): states and spellings of one search.
    private struct PairIndex {
        private var keys: [(UInt64, UInt64)] = Array(repeating: (0, 0), count: 64)
        private var values = [Int32](repeating: -1, count: 64)
        private var used: [Int32] = []

        @inline(__always)
        private static func slot(_ a: UInt64, _ b: UInt64, _ mask: Int) -> Int {
            let h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F)
            return Int(truncatingIfNeeded: h ^ (h >> 31)) & mask
        }

        /// The index stored for `(a, b)`, or nil.
        @inline(__always)
        func find(_ a: UInt64, _ b: UInt64) -> Int32? {
            let mask = values.count - 1
            var slot = Self.slot(a, b, mask)
            while values[slot] >= 0 {
                if keys[slot] == (a, b) { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }

        /// Stores `value` for `(a, b)`, which is not stored yet.
        mutating func insert(_ a: UInt64, _ b: UInt64, _ value: Int32) {
            if (used.count + 1) * 2 > values.count { grow() }
            let mask = values.count - 1
            var slot = Self.slot(a, b, mask)
            while values[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = (a, b)
            values[slot] = value
            used.append(Int32(slot))
        }

        /// Empties the map, keeping its capacity.
        mutating func removeAll() {
            for slot in used { values[Int(slot)] = -1 }
            used.removeAll(keepingCapacity: true)
        }

        private mutating func grow() {
            let old = used.map { (keys[Int($0)], values[Int($0)]) }
            keys = Array(repeating: (0, 0), count: values.count * 2)
            values = [Int32](repeating: -1, count: keys.count)
            used.removeAll(keepingCapacity: true)
            for (key, value) in old { insert(key.0, key.1, value) }
        }
    }

    /// The key of a search state in a ``PairIndex``: history, then trie node and spelling.
    @inline(__always)
    private static func stateKey(_ h: Hypothesis) -> (UInt64, UInt64) {
        (
            UInt64(h.history.ids.0) | UInt64(h.history.ids.1) << 16 | UInt64(h.history.ids.2) << 32,
            UInt64(UInt32(bitPattern: h.node)) << 32 | UInt64(UInt32(bitPattern: h.text))
        )
    }

    /// The spellings of one search, shared by its hypotheses: spelling `t` is
    /// spelling `parent[t]` followed by `byte[t]` (0 is the empty one), and equal
    /// spellings have the same id, so that a hypothesis extends or compares its
    /// spelling in constant time instead of copying or hashing its bytes.
    private struct Spellings {
        private var parent: [Int32] = [-1]
        private var byte: [UInt8] = [0]
        /// Whether the spelling has a byte other than a space.
        private(set) var hasLetter: [Bool] = [false]
        private var ids = PairIndex()

        /// The spelling `t` followed by `b`.
        mutating func appending(_ t: Int32, _ b: UInt8) -> Int32 {
            let key = UInt64(UInt32(bitPattern: t)) << 8 | UInt64(b)
            if let id = ids.find(key, 0) { return id }
            let id = Int32(parent.count)
            parent.append(t)
            byte.append(b)
            hasLetter.append(hasLetter[Int(t)] || b != 0x20)
            ids.insert(key, 0, id)
            return id
        }

        /// The bytes of spelling `t`.
        func bytes(_ t: Int32) -> [UInt8] {
            var out: [UInt8] = []
            var k = Int(t)
            while k > 0 {
                out.append(byte[k])
                k = Int(parent[k])
            }
            return out.reversed()
        }
    }

    /// Longest word searched, in model units (about a kana each): far beyond any
    /// loanword (the longest in EDICT has about 40), and the bound that keeps the
    /// work per word constant (a hypothesis carries its spelling, so the cost of a
    /// search grows with the square of the length).
    public static let maxUnits = 64

    /// Whether a word has more characters than any word of ``maxUnits`` units should.
    static func isTooLong(_ word: String) -> Bool {
        var count = 0
        for _ in word.unicodeScalars {
            count += 1
            if count > 8 * maxUnits { return true }
        }
        return false
    }

    /// The best `top` English candidates for a katakana word, best first. Words of
    /// more than ``maxUnits`` units are an error (`tooLong`).
    public func candidates(for word: String, top: Int = 5) throws(TransliterationError) -> [TransliterationCandidate] {
        // Refused before any work when it is long in characters too (a unit is rarely
        // more than 3: ッ, kana, small kana; ー runs make it longer, and cost more).
        if Self.isTooLong(word) { throw .tooLong(word) }
        let segments = try Self.segments(of: word)
        var units: [Int] = []
        var breaks = Set<Int>()
        for segment in segments {
            if !units.isEmpty { breaks.insert(units.count) }
            for raw in Self.rawUnits(segment) { units += unitIDs(raw) }
        }
        if units.count > Self.maxUnits { throw .tooLong(word) }
        guard !units.isEmpty else { return [] }
        var found: [[UInt8]: Double] = [:]
        for lexicon in [true, false] {
            for (text, score) in search(units, breaks: breaks, lexicon: lexicon) where score > found[text] ?? -.infinity {
                found[text] = score
            }
        }
        // One spelling per letter sequence: "machinelearning" from the free search
        // adds nothing to "machine learning".
        var ranked: [(key: [UInt8], value: Double)] = []
        var letters = Set<[UInt8]>()
        for item in found.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) })
        where letters.insert(item.key.filter { $0 != 0x20 }).inserted {
            ranked.append(item)
        }
        guard let best = ranked.first?.value else { return [] }
        let total = ranked.reduce(0.0) { $0 + exp($1.value - best) }
        return ranked.prefix(max(0, top)).map {
            TransliterationCandidate(
                english: String(decoding: $0.key, as: UTF8.self),
                score: exp($0.value - best) / total, logScore: $0.value)
        }
    }

    /// How plausible `english` is as the source of the katakana `word`: the model's
    /// log-probability of the pair (all alignments of the best beam, letters only:
    /// spaces, hyphens and case are ignored) minus that of the model's own favourite
    /// spelling. 0 means the model likes `english` best; a few nats below is still a
    /// plausible source (ソース: source and sauce), far below is another word
    /// (サービス: discount). Nil when no alignment exists at all, when `word` is not
    /// katakana, or when `english` has no letters.
    public func plausibility(of english: String, for word: String) -> Double? {
        guard let units = units(of: word), let free = alignedScore(units, target: nil),
            let forced = forcedScore(english, units)
        else { return nil }
        return forced - free
    }

    /// ``plausibility(of:for:)`` of each of `glosses` (the model's favourite
    /// spelling of `word` is scored once).
    public func plausibilities(_ glosses: [String], for word: String) -> [Double?] {
        guard let units = units(of: word), let free = alignedScore(units, target: nil) else {
            return Array(repeating: nil, count: glosses.count)
        }
        return glosses.map { gloss in forcedScore(gloss, units).map { $0 - free } }
    }

    private func units(of word: String) -> [Int]? {
        guard !Self.isTooLong(word), let segments = try? Self.segments(of: word) else { return nil }
        var units: [Int] = []
        for segment in segments { for raw in Self.rawUnits(segment) { units += unitIDs(raw) } }
        return units.isEmpty || units.count > Self.maxUnits ? nil : units
    }

    private func forcedScore(_ english: String, _ units: [Int]) -> Double? {
        let target: [UInt8] = english.utf8.compactMap { b in
            if b >= 0x61 && b <= 0x7A { return b }
            if b >= 0x41 && b <= 0x5A { return b + 0x20 }
            return nil
        }
        // Each unit spells at most 5 letters (a graphone's limit).
        guard !target.isEmpty, target.count <= 5 * units.count else { return nil }
        return alignedScore(units, target: target)
    }

    /// The model's log-probability of the best spelling of `units` (any spelling when
    /// `target` is nil; else exactly the letters of `target`), summed over the
    /// alignments that meet in the beam. Model only: no lexicon weights.
    private func alignedScore(_ units: [Int], target: [UInt8]?) -> Double? {
        let historyLength = model.order - 1
        var beam = [Hypothesis(history: History(), node: 0, text: 0, score: 0)]
        var next: [Hypothesis] = []
        var index: [StateKey: Int] = [:]
        for unit in units {
            next.removeAll(keepingCapacity: true)
            index.removeAll(keepingCapacity: true)
            for h in beam {
                let contexts = model.contexts(h.history)
                for g in model.graphones(ofUnit: unit) {
                    let letters = model.letters(g)
                    var extended = h
                    if let target {
                        // Only spellings that stay a prefix of the target.
                        guard Int(h.text) + letters.count <= target.count else { continue }
                        var fits = true
                        for (k, letter) in letters.enumerated() where target[Int(h.text) + k] != letter { fits = false; break }
                        guard fits else { continue }
                    }
                    // A spelling that stays a prefix of the target is known by its length.
                    if target != nil { extended.text += Int32(letters.count) }
                    extended.history = h.history.pushing(g, length: historyLength)
                    extended.score += model.logProbability(g, contexts)
                    let key = StateKey(history: extended.history, node: 0, text: target == nil ? 0 : extended.text)
                    if let k = index[key] {
                        let a = next[k].score, b = extended.score
                        next[k].score = target == nil ? max(a, b) : max(a, b) + log1p(exp(-abs(a - b)))
                    } else {
                        index[key] = next.count
                        next.append(extended)
                    }
                }
            }
            next.sort { $0.score > $1.score }
            if next.count > weights.freeBeam { next.removeSubrange(weights.freeBeam...) }
            swap(&beam, &next)
            if beam.isEmpty { return nil }
        }
        var best = -Double.infinity
        for h in beam where target == nil || Int(h.text) == target!.count {
            let score = h.score + model.logProbability(0, model.contexts(h.history))
            best = target == nil ? max(best, score) : (best == -.infinity ? score : max(best, score) + log1p(exp(-abs(best - score))))
        }
        return best == -.infinity ? nil : best
    }

    /// Weight of a finished word from its lexicon flags (0 = not in the lexicon).
    @inline(__always)
    private func wordWeight(_ flags: UInt8) -> Double {
        let frequency = weights.frequency * (Double(flags >> 2) / 4 - weights.frequencyOffset)
        if flags & 2 != 0 { return frequency }
        if flags & 1 != 0 { return weights.wordlistOnly + frequency }
        return weights.outOfLexicon
    }

    @inline(__always)
    private func isWord(_ flags: UInt8) -> Bool { flags & 3 != 0 }

    private func search(_ units: [Int], breaks: Set<Int>, lexicon: Bool) -> [([UInt8], Double)] {
        let historyLength = model.order - 1
        let beamWidth = lexicon ? weights.lexiconBeam : weights.freeBeam
        var spellings = Spellings()
        var beam = [Hypothesis(history: History(), node: 0, text: 0, score: 0)]
        var next: [Hypothesis] = []
        var index = PairIndex()

        func add(_ h: Hypothesis) {
            let key = Self.stateKey(h)
            if let found = index.find(key.0, key.1) {
                // The same spelling by another alignment: add the probabilities.
                let k = Int(found)
                let a = next[k].score, b = h.score
                next[k].score = max(a, b) + log1p(exp(-abs(a - b)))
            } else {
                index.insert(key.0, key.1, Int32(next.count))
                next.append(h)
            }
        }

        for (position, unit) in units.enumerated() {
            next.removeAll(keepingCapacity: true)
            index.removeAll()
            var best = -Double.infinity
            for var h in beam {
                if breaks.contains(position) {
                    // ・ in the input: a word must end here.
                    if lexicon {
                        let f = model.flags(h.node)
                        if !isWord(f) { continue }
                        h.score += wordWeight(f)
                        h.node = 0
                    }
                    h.text = spellings.appending(h.text, 0x20)
                }
                let contexts = model.contexts(h.history)
                for g in model.graphones(ofUnit: unit) {
                    let lp = model.logProbability(g, contexts)
                    // Far below the best hypothesis of this step: cannot make the beam.
                    if h.score + lp < best - weights.pruning { continue }
                    best = max(best, h.score + lp)
                    var base = h
                    base.history = h.history.pushing(g, length: historyLength)
                    base.score += lp
                    let letters = model.letters(g)
                    if lexicon {
                        walk(base, letters, 0, &spellings, add)
                    } else {
                        for letter in letters { base.text = spellings.appending(base.text, letter) }
                        add(base)
                    }
                }
            }
            next.sort { $0.score > $1.score }
            if next.count > beamWidth { next.removeSubrange(beamWidth...) }
            swap(&beam, &next)
        }

        var results: [([UInt8], Double)] = []
        for h in beam {
            var score = h.score + model.logProbability(0, model.contexts(h.history))
            if lexicon {
                let f = model.flags(h.node)
                if !isWord(f) { continue }
                score += wordWeight(f)
            }
            let text = spellings.bytes(h.text)
            if !lexicon {
                for word in text.split(separator: 0x20) { score += wordWeight(model.lexiconFlags(word)) }
            }
            if spellings.hasLetter[Int(h.text)] { results.append((text, score)) }
        }
        return results
    }

    /// Follows `letters[k...]` down the trie from `h.node`, also trying a word break
    /// before each letter where a word ends.
    private func walk(
        _ h: Hypothesis, _ letters: UnsafeBufferPointer<UInt8>, _ k: Int, _ spellings: inout Spellings, _ emit: (Hypothesis) -> Void
    ) {
        if k == letters.count { emit(h); return }
        let letter = letters[k]
        if let child = model.child(h.node, letter) {
            var continued = h
            continued.node = child
            continued.text = spellings.appending(h.text, letter)
            walk(continued, letters, k + 1, &spellings, emit)
        }
        let f = model.flags(h.node)
        if isWord(f), let child = model.child(0, letter) {
            var broken = h
            broken.score += weights.wordBreak + wordWeight(f)
            broken.node = child
            broken.text = spellings.appending(spellings.appending(h.text, 0x20), letter)
            walk(broken, letters, k + 1, &spellings, emit)
        }
    }
}

extension TransliterationError: HashiError {}
