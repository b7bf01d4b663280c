import CHashiData
import Foundation

/// The katakana → English back-transliteration model, read in place from its bytes
/// (the copy embedded in the binary, or a file given with `--model`): opening it
/// checks the header and computes a dozen pointers, nothing is parsed or copied.
///
/// Format (little-endian; written by scripts/train-transliteration.py):
///
///     "HBT1"  u32 units, u32 vocabulary (graphones + 1), u32 order, u32 trie nodes
///     u32 offsets[sections + 1]        start of each section (8-byte aligned), then the end
///     sections:
///       unit offsets   u32[units + 1]  into the next section
///       unit text      UTF-8; units sorted by their bytes (binary search)
///       graphones      8 bytes each, id 0 = word boundary: u16 unit, u8 length, 5 letters
///       unit starts    u32[units + 1]  first graphone id of each unit (graphones sorted by unit)
///       unigrams       u16[vocabulary] -ln P × 1000
///       per order n = 2 … order:
///         context keys u64[c]          the n-1 previous graphone ids, 16 bits each, oldest first; sorted
///         entry starts u32[c + 1]
///         backoffs     u16[c]          -ln(backoff weight) × 1000
///         entries      (u16 graphone, u16 -ln P × 1000), sorted by graphone within a context
///       trie first     u32[nodes]      first child of each node (children contiguous, sorted)
///       trie bytes     u8 letter[nodes], u8 child count[nodes], u8 flags[nodes]
///                      flags where a word ends (0 elsewhere): bit 0 = in wamerican, bit 1 = a word
///                      of a training source gloss, bits 2…7 = round(4 × log2(1 + its count
///                      in EDICT's glosses)), at most 63
///
/// P(g | h) is an interpolated Witten-Bell n-gram over graphones stored in backoff
/// form: the longest context of h that lists g gives its probability, each longer
/// context that does not list g adds its backoff weight.
public final class TransliterationModel: @unchecked Sendable {
    /// Why a transliteration model cannot be used: its file cannot be read, or its bytes fail validation.
    public enum LoadError: Error, CustomStringConvertible, Sendable {
        case unreadable(String, String)
        case malformed(String)
        /// A model file that fails validation: the path and what is wrong.
        case malformedFile(String, String)

        /// The error as one line, naming the file where there is one.
        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read transliteration model \(path): \(reason)"
            case .malformed(let what): "malformed transliteration model: \(what)"
            case .malformedFile(let path, let what): "\(path): malformed transliteration model: \(what)"
            }
        }
    }

    struct Level {
        let keys: UnsafePointer<UInt64>
        let starts: UnsafePointer<UInt32>
        let backoffs: UnsafePointer<UInt16>
        let entries: UnsafePointer<UInt32>  // low 16 bits graphone, high 16 bits -ln P × 1000
        let count: Int
    }

    static let scale = 1.0 / 1000.0

    let base: UnsafeRawPointer
    let byteCount: Int
    /// The bytes of a model read from a file (nil for the embedded one).
    private let owned: Memory?

    final class Memory {
        let pointer: UnsafeMutableRawPointer
        init(byteCount: Int) { pointer = .allocate(byteCount: max(byteCount, 8), alignment: 8) }
        deinit { pointer.deallocate() }
    }
    let unitCount: Int
    let vocabulary: Int
    let order: Int
    let nodeCount: Int
    let unitOffsets: UnsafePointer<UInt32>
    let unitText: UnsafePointer<UInt8>
    let graphones: UnsafeRawPointer
    let unitStarts: UnsafePointer<UInt32>
    let unigrams: UnsafePointer<UInt16>
    /// levels[0] is order 2.
    let levels: [Level]
    let trieFirst: UnsafePointer<UInt32>
    let trieLetter: UnsafePointer<UInt8>
    let trieCount: UnsafePointer<UInt8>
    let trieFlags: UnsafePointer<UInt8>

    /// The model built into Hashi.
    public static let builtin: TransliterationModel = {
        var length = 0
        let bytes = hashi_translit_model(&length)!
        // The embedded model is generated with the code and checked by tests (its
        // full validation too): only the header is read at start-up.
        return try! TransliterationModel(bytes: UnsafeRawPointer(bytes), count: length, owned: nil, validating: false)
    }()

    /// Reads a model file (e.g. one trained with `--exclude-dev` for tuning).
    public convenience init(contentsOfFile path: String) throws(LoadError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path, "no such file or not readable")
        }
        let memory = Memory(byteCount: data.count)
        data.withUnsafeBytes { if data.count > 0 { memory.pointer.copyMemory(from: $0.baseAddress!, byteCount: data.count) } }
        do {
            try self.init(bytes: UnsafeRawPointer(memory.pointer), count: data.count, owned: memory)
        } catch {
            // `memory` is freed with its last reference, whether or not the
            // initializer got as far as storing it.
            if case .malformed(let what) = error { throw .malformedFile(path, what) }
            throw error
        }
    }

    private init(bytes: UnsafeRawPointer, count: Int, owned: Memory?, validating: Bool = true) throws(LoadError) {
        base = bytes
        byteCount = count
        self.owned = owned
        guard count >= 20, Int(bitPattern: bytes) % 8 == 0,
            bytes.load(as: UInt32.self) == 0x3154_4248 /* "HBT1" */
        else {
            throw .malformed("bad header")
        }
        unitCount = Int(bytes.load(fromByteOffset: 4, as: UInt32.self))
        vocabulary = Int(bytes.load(fromByteOffset: 8, as: UInt32.self))
        order = Int(bytes.load(fromByteOffset: 12, as: UInt32.self))
        nodeCount = Int(bytes.load(fromByteOffset: 16, as: UInt32.self))
        guard (2...4).contains(order), unitCount > 0, vocabulary > 1, vocabulary <= 65536, nodeCount > 0 else {
            throw .malformed("bad counts")
        }
        let sections = 5 + 4 * (order - 1) + 2
        guard count >= 20 + 4 * (sections + 1) else { throw .malformed("truncated header") }
        var offsets: [Int] = []
        for k in 0...sections {
            offsets.append(Int(bytes.load(fromByteOffset: 20 + 4 * k, as: UInt32.self)))
        }
        guard offsets.last == count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
            offsets.dropLast().allSatisfy({ $0 % 8 == 0 })
        else {
            throw .malformed("bad section table")
        }
        func size(_ k: Int) -> Int { offsets[k + 1] - offsets[k] }
        func pointer<T>(_ k: Int, _ type: T.Type, count n: Int) throws(LoadError) -> UnsafePointer<T> {
            guard size(k) >= n * MemoryLayout<T>.stride else { throw .malformed("section \(k) too short") }
            return (bytes + offsets[k]).assumingMemoryBound(to: type)
        }
        unitOffsets = try pointer(0, UInt32.self, count: unitCount + 1)
        unitText = try pointer(1, UInt8.self, count: Int(unitOffsets[unitCount]))
        graphones = UnsafeRawPointer(try pointer(2, UInt64.self, count: vocabulary))
        unitStarts = try pointer(3, UInt32.self, count: unitCount + 1)
        unigrams = try pointer(4, UInt16.self, count: vocabulary)
        var levels: [Level] = []
        for n in 0..<(order - 1) {
            let k = 5 + 4 * n
            let contexts = size(k) / 8
            let starts = try pointer(k + 1, UInt32.self, count: contexts + 1)
            let entries = Int(starts[contexts])
            levels.append(
                Level(
                    keys: try pointer(k, UInt64.self, count: contexts),
                    starts: starts,
                    backoffs: try pointer(k + 2, UInt16.self, count: contexts),
                    entries: try pointer(k + 3, UInt32.self, count: entries),
                    count: contexts))
        }
        self.levels = levels
        let t = 5 + 4 * (order - 1)
        trieFirst = try pointer(t, UInt32.self, count: nodeCount)
        let trieBytes = try pointer(t + 1, UInt8.self, count: 3 * nodeCount)
        trieLetter = trieBytes
        trieCount = trieBytes + nodeCount
        trieFlags = trieBytes + 2 * nodeCount
        guard Int(unitStarts[unitCount]) == vocabulary else { throw .malformed("graphone table") }
        if validating { try validate() }
    }

    /// One linear pass over the tables the search indexes with values read from the
    /// file (so that no later read can leave the buffer): unit offsets and starts
    /// ascend and stay in range, graphones spell at most 5 letters, every context's
    /// entry range is in range, and every trie node's children are existing nodes.
    func validate() throws(LoadError) {
        let textSize = Int(unitOffsets[unitCount])
        for u in 0..<unitCount {
            guard unitOffsets[u] <= unitOffsets[u + 1] else { throw .malformed("unit \(u): offsets descend") }
            guard unitStarts[u] <= unitStarts[u + 1] else { throw .malformed("unit \(u): graphone starts descend") }
        }
        guard textSize >= 0 else { throw .malformed("unit text") }
        for g in 0..<vocabulary {
            let record = graphones + 8 * g
            guard record.load(fromByteOffset: 2, as: UInt8.self) <= 5 else {
                throw .malformed("graphone \(g): more than 5 letters")
            }
        }
        for (n, level) in levels.enumerated() {
            let entries = Int(level.starts[level.count])
            for c in 0..<level.count {
                guard level.starts[c] <= level.starts[c + 1], Int(level.starts[c + 1]) <= entries else {
                    throw .malformed("order \(n + 2) context \(c): entry range out of order")
                }
            }
        }
        for node in 0..<nodeCount {
            let first = Int(trieFirst[node]), children = Int(trieCount[node])
            guard first <= nodeCount, children <= nodeCount - first else {
                throw .malformed("trie node \(node): children \(first)..<\(first + children) out of range (\(nodeCount) nodes)")
            }
        }
    }

    // MARK: Units and graphones

    /// The id of a katakana unit (UTF-8 bytes), or nil when the model never saw it.
    func unitID(_ utf8: [UInt8]) -> Int? {
        var lo = 0, hi = unitCount
        while lo < hi {
            let mid = (lo + hi) / 2
            let start = Int(unitOffsets[mid]), end = Int(unitOffsets[mid + 1])
            let order = compare(UnsafeBufferPointer(start: unitText + start, count: end - start), utf8)
            if order == 0 { return mid }
            if order < 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    private func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// The graphone ids of a unit.
    @inline(__always)
    func graphones(ofUnit unit: Int) -> Range<Int> {
        Int(unitStarts[unit])..<Int(unitStarts[unit + 1])
    }

    /// The letters of a graphone (at most 5, ASCII a–z).
    @inline(__always)
    func letters(_ graphone: Int) -> UnsafeBufferPointer<UInt8> {
        let record = graphones + 8 * graphone
        let length = Int(record.load(fromByteOffset: 2, as: UInt8.self))
        return UnsafeBufferPointer(start: (record + 3).assumingMemoryBound(to: UInt8.self), count: length)
    }

    // MARK: n-gram

    /// The entry range of each context level for a history (oldest first, `order - 1`
    /// ids), longest context first; nil where the context was never seen.
    func contexts(_ history: History) -> ContextSet {
        var set = ContextSet()
        for n in stride(from: order - 1, through: 1, by: -1) {
            var key: UInt64 = 0
            for k in (order - 1 - n)..<(order - 1) { key = key << 16 | UInt64(history[k]) }
            let level = levels[n - 1]
            var lo = 0, hi = level.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if level.keys[mid] < key { lo = mid + 1 } else { hi = mid }
            }
            if lo < level.count && level.keys[lo] == key {
                set.append(level: n - 1, context: lo)
            }
        }
        return set
    }

    /// ln P(graphone | history) given the history's contexts.
    @inline(__always)
    func logProbability(_ graphone: Int, _ contexts: ContextSet) -> Double {
        var penalty = 0
        for k in 0..<contexts.count {
            let (n, c) = contexts[k]
            let level = levels[n]
            var lo = Int(level.starts[c]), hi = Int(level.starts[c + 1])
            while lo < hi {
                let mid = (lo + hi) / 2
                let g = Int(level.entries[mid] & 0xFFFF)
                if g == graphone { return -Double(penalty + Int(level.entries[mid] >> 16)) * Self.scale }
                if g < graphone { lo = mid + 1 } else { hi = mid }
            }
            penalty += Int(level.backoffs[c])
        }
        return -Double(penalty + Int(unigrams[graphone])) * Self.scale
    }

    // MARK: Lexicon trie

    /// The child of `node` for a letter, or nil.
    @inline(__always)
    func child(_ node: Int32, _ letter: UInt8) -> Int32? {
        let first = Int(trieFirst[Int(node)])
        var lo = first, hi = first + Int(trieCount[Int(node)])
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = trieLetter[mid]
            if c == letter { return Int32(mid) }
            if c < letter { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Word flags of a node: 0 when no word ends there (see the format above).
    @inline(__always)
    func flags(_ node: Int32) -> UInt8 { trieFlags[Int(node)] }

    /// Flags of a whole word (lowercase ASCII), 0 when the lexicon lacks it; a word
    /// ends at a node when bit 0 or 1 is set.
    func lexiconFlags<S: Sequence>(_ word: S) -> UInt8 where S.Element == UInt8 {
        var node: Int32 = 0
        for c in word {
            guard let next = child(node, c) else { return 0 }
            node = next
        }
        return flags(node)
    }

    /// Size of the model in bytes.
    public var size: Int { byteCount }
}

/// The previous graphone ids (oldest first; at most 3 for a 4-gram model).
struct History: Hashable {
    var ids: (UInt16, UInt16, UInt16) = (0, 0, 0)

    subscript(k: Int) -> UInt16 {
        switch k {
        case 0: ids.0
        case 1: ids.1
        default: ids.2
        }
    }

    static func == (a: History, b: History) -> Bool { a.ids == b.ids }
    func hash(into hasher: inout Hasher) { hasher.combine(ids.0); hasher.combine(ids.1); hasher.combine(ids.2) }

    /// Shifts in a new id, keeping `length` ids.
    func pushing(_ id: Int, length: Int) -> History {
        var h = self
        switch length {
        case 1: h.ids.0 = UInt16(id)
        case 2: h.ids = (ids.1, UInt16(id), 0)
        default: h.ids = (ids.1, ids.2, UInt16(id))
        }
        return h
    }
}

/// Up to three (level, context index) pairs, longest context first.
struct ContextSet {
    private var items: (Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    mutating func append(level: Int, context: Int) {
        switch count {
        case 0: items.0 = Int32(level); items.1 = Int32(context)
        case 1: items.2 = Int32(level); items.3 = Int32(context)
        default: items.4 = Int32(level); items.5 = Int32(context)
        }
        count += 1
    }

    subscript(k: Int) -> (Int, Int) {
        switch k {
        case 0: (Int(items.0), Int(items.1))
        case 1: (Int(items.2), Int(items.3))
        default: (Int(items.4), Int(items.5))
        }
    }
}

extension TransliterationModel.LoadError: HashiError {}
