#if canImport(Glibc)
    import Glibc
#endif
/// The container format of the compiled lexicon (`dictionaries/lexicon.bin`):
/// a header, a table of sections, and the sections, each 8-byte aligned.
///
///     magic "HASHILEX" (8 bytes)
///     version UInt32, byte-order mark UInt32 (0x01020304, written little-endian)
///     section count UInt32, reserved UInt32
///     per section: tag UInt32, reserved UInt32, offset UInt64, length UInt64
///     the sections' bytes
///
/// Numbers are little-endian. A section is either an array of fixed-size numbers
/// (read with ``LexiconImage/array(_:of:)``) or a stream of records written with
/// ``LexiconImageWriter/Stream`` and read with ``LexiconImage/Cursor``, whose
/// every read is bounds-checked: a damaged image is a ``LexiconImage/Error``,
/// never a crash or a read outside the bytes.
public struct LexiconImage: @unchecked Sendable {
    /// The format version; bump it whenever a section changes meaning.
    public static let version: UInt32 = 2
    static let magic: [UInt8] = Array("HASHILEX".utf8)
    static let byteOrderMark: UInt32 = 0x0102_0304
    static let headerSize = 24
    static let entrySize = 24

    /// Why an image cannot be read.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable, Equatable {
        /// What is damaged, naming the section (by its four-letter tag) where one is involved.
        public let reason: String
        /// The error as one line, `damaged lexicon image: reason`.
        public var description: String { "damaged lexicon image: \(reason)" }
        init(_ reason: String) { self.reason = reason }
    }

    /// The image's bytes (static data of the binary, or memory the owner keeps alive).
    public let bytes: UnsafeRawBufferPointer
    private let sections: [UInt32: Range<Int>]

    /// Checks the header and the section table (every section inside the bytes,
    /// 8-byte aligned, no tag twice).
    public init(bytes: UnsafeRawBufferPointer) throws(Error) {
        self.bytes = bytes
        guard bytes.count >= Self.headerSize, let base = bytes.baseAddress else { throw Error("shorter than its header") }
        guard Int(bitPattern: base) % 8 == 0 else { throw Error("not 8-byte aligned in memory") }
        guard bytes.prefix(8).elementsEqual(Self.magic) else { throw Error("not a lexicon image (bad magic)") }
        let version = Self.u32(bytes, 8)
        guard Self.u32(bytes, 12) == Self.byteOrderMark else { throw Error("byte order mark mismatch") }
        guard version == Self.version else { throw Error("version \(version), not the supported version \(Self.version)") }
        let count = Int(Self.u32(bytes, 16))
        guard count <= (bytes.count - Self.headerSize) / Self.entrySize else { throw Error("section table runs past the end") }
        var sections: [UInt32: Range<Int>] = [:]
        for k in 0..<count {
            let entry = Self.headerSize + k * Self.entrySize
            let tag = Self.u32(bytes, entry)
            let offset = Self.u64(bytes, entry + 8), length = Self.u64(bytes, entry + 16)
            guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else {
                throw Error("section \(Self.name(of: tag)) lies outside the image")
            }
            guard offset % 8 == 0 else { throw Error("section \(Self.name(of: tag)) is not 8-byte aligned") }
            guard sections[tag] == nil else { throw Error("section \(Self.name(of: tag)) appears twice") }
            sections[tag] = Int(offset)..<Int(offset + length)
        }
        self.sections = sections
    }

    /// A section's bytes; a missing section is an error.
    public func section(_ tag: UInt32) throws(Error) -> UnsafeRawBufferPointer {
        guard let range = sections[tag] else { throw Error("section \(Self.name(of: tag)) is missing") }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// A section read as an array of `T` (a fixed-size number type), in place.
    public func array<T: FixedWidthInteger>(_ tag: UInt32, of type: T.Type) throws(Error) -> UnsafeBufferPointer<T> {
        let raw = try section(tag)
        guard raw.count % MemoryLayout<T>.stride == 0 else {
            throw Error("section \(Self.name(of: tag)) is not a whole number of \(MemoryLayout<T>.stride)-byte items")
        }
        guard let base = raw.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: raw.count / MemoryLayout<T>.stride)
    }

    /// Section `tag` as a read-only ``Table`` of fixed-width numbers (see ``array(_:of:)``).
    func table<T: FixedWidthInteger>(_ tag: UInt32, of type: T.Type) throws(Error) -> Table<T> {
        Table(try array(tag, of: type))
    }

    /// A cursor over a record-stream section.
    public func cursor(_ tag: UInt32) throws(Error) -> Cursor { Cursor(try section(tag), name: Self.name(of: tag)) }

    /// A four-letter tag as a number (`tag("ENTS")`).
    public static func tag(_ name: StaticString) -> UInt32 {
        precondition(name.utf8CodeUnitCount == 4)
        let p = name.utf8Start
        return UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    static func name(of tag: UInt32) -> String {
        String(decoding: (0..<4).map { UInt8(truncatingIfNeeded: tag >> (8 * $0)) }, as: UTF8.self)
    }

    private static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    private static func u64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// Sequential, bounds-checked reads of a record stream.
    public struct Cursor {
        private let bytes: UnsafeRawBufferPointer
        private let name: String
        /// Byte offset of the next read from the start of the section.
        public private(set) var offset = 0
        init(_ bytes: UnsafeRawBufferPointer, name: String) {
            self.bytes = bytes
            self.name = name
        }

        /// Whether every byte of the section has been read.
        public var isAtEnd: Bool { offset == bytes.count }

        /// Bytes left after the cursor.
        public var remaining: Int { bytes.count - offset }

        private mutating func take(_ n: Int) throws(Error) -> Int {
            guard n >= 0, n <= bytes.count - offset else { throw Error("section \(name) ends inside a record") }
            defer { offset += n }
            return offset
        }

        /// The next byte.
        /// - Throws: ``LexiconImage/Error`` when the section has no byte left.
        public mutating func u8() throws(Error) -> UInt8 { bytes[try take(1)] }

        /// An unsigned LEB128 number (at most 10 bytes).
        public mutating func uint() throws(Error) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try u8()
                guard shift < 64 else { throw Error("section \(name) has an overlong number") }
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
        }

        /// A count or index that must fit below `limit`.
        public mutating func int(below limit: Int) throws(Error) -> Int {
            let v = try uint()
            guard v < UInt64(limit) else { throw Error("section \(name) has a number out of range (\(v) ≥ \(limit))") }
            return Int(v)
        }

        /// A signed number (zigzag).
        public mutating func sint() throws(Error) -> Int64 {
            let v = try uint()
            return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
        }

        /// The next `count` bytes as they are, without a copy (a view into the image).
        /// - Throws: ``LexiconImage/Error`` when fewer than `count` bytes are left.
        public mutating func bytes(_ count: Int) throws(Error) -> UnsafeRawBufferPointer {
            let start = try take(count)
            return UnsafeRawBufferPointer(rebasing: bytes[start..<start + count])
        }

        /// A length-prefixed UTF-8 string; invalid UTF-8 is an error.
        public mutating func string() throws(Error) -> String {
            let raw = try bytes(try int(below: bytes.count + 1)).bindMemory(to: UInt8.self)
            if raw.isEmpty { return "" }
            // Decoding repairs invalid UTF-8 (with U+FFFD); a repaired string is not
            // the bytes it was made of. (Cheaper than String(validating:), which is generic.)
            let s = String(decoding: raw, as: UTF8.self)
            var t = s
            let same = t.withUTF8 { $0.count == raw.count && memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }
            guard same else { throw Error("section \(name) has a string that is not UTF-8") }
            return s
        }

        /// A count-prefixed list of strings (an empty list allocates nothing).
        public mutating func strings() throws(Error) -> [String] {
            let count = try int(below: bytes.count + 1)
            if count == 0 { return [] }
            var list: [String] = []
            list.reserveCapacity(count)
            for _ in 0..<count { list.append(try string()) }
            return list
        }

        /// A length-prefixed list of UTF-16 units.
        public mutating func units() throws(Error) -> [UInt16] {
            let count = try int(below: bytes.count + 1)
            var out: [UInt16] = []
            out.reserveCapacity(count)
            for _ in 0..<count { out.append(UInt16(try int(below: 0x10000))) }
            return out
        }
    }
}

/// Writes a lexicon image (the build side of ``LexiconImage``).
public struct LexiconImageWriter {
    private var sections: [(tag: UInt32, bytes: [UInt8])] = []

    /// An empty image, with no section yet.
    public init() {}

    /// Adds a section of raw bytes.
    public mutating func add(_ tag: UInt32, bytes: [UInt8]) {
        precondition(!sections.contains { $0.tag == tag }, "section added twice")
        sections.append((tag, bytes))
    }

    /// Adds an array of fixed-size numbers, little-endian.
    public mutating func add<T: FixedWidthInteger>(_ tag: UInt32, array: [T]) {
        var out: [UInt8] = []
        out.reserveCapacity(array.count * MemoryLayout<T>.size)
        for v in array {
            let le = v.littleEndian
            withUnsafeBytes(of: le) { out.append(contentsOf: $0) }
        }
        add(tag, bytes: out)
    }

    /// The image's bytes: the same sections in the same order give the same bytes.
    public func bytes() -> [UInt8] {
        var out = LexiconImage.magic
        Self.append32(LexiconImage.version, to: &out)
        Self.append32(LexiconImage.byteOrderMark, to: &out)
        Self.append32(UInt32(sections.count), to: &out)
        Self.append32(0, to: &out)
        var offset = LexiconImage.headerSize + sections.count * LexiconImage.entrySize
        offset = (offset + 7) & ~7
        for section in sections {
            Self.append32(section.tag, to: &out)
            Self.append32(0, to: &out)
            Self.append64(UInt64(offset), to: &out)
            Self.append64(UInt64(section.bytes.count), to: &out)
            offset = (offset + section.bytes.count + 7) & ~7
        }
        for section in sections {
            while out.count % 8 != 0 { out.append(0) }
            out += section.bytes
        }
        while out.count % 8 != 0 { out.append(0) }
        return out
    }

    static func append32(_ v: UInt32, to out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    static func append64(_ v: UInt64, to out: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }

    /// A record stream (read back with ``LexiconImage/Cursor``).
    public struct Stream {
        /// The record bytes written so far, the section's contents for ``LexiconImageWriter/add(_:bytes:)``.
        public private(set) var bytes: [UInt8] = []
        /// An empty stream.
        public init() {}
        /// Appends one byte.
        public mutating func u8(_ v: UInt8) { bytes.append(v) }
        /// Bytes as they are (the reader must know their count).
        public mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
        /// Appends an unsigned number as LEB128 (7 bits a byte, low bits first); read with ``LexiconImage/Cursor/uint()``.
        public mutating func uint<I: BinaryInteger>(_ value: I) {
            var v = UInt64(value)
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
        /// Appends a signed number zigzag-encoded as LEB128; read with ``LexiconImage/Cursor/sint()``.
        public mutating func sint<I: BinaryInteger>(_ value: I) {
            let v = Int64(value)
            uint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        }
        /// Appends the UTF-8 byte count and then the bytes of `s`; read with ``LexiconImage/Cursor/string()``.
        public mutating func string(_ s: String) {
            uint(s.utf8.count)
            bytes.append(contentsOf: s.utf8)
        }
        /// Appends the unit count and then each UTF-16 unit as LEB128; read with ``LexiconImage/Cursor/units()``.
        public mutating func units<C: Collection>(_ u: C) where C.Element == UInt16 {
            uint(u.count)
            for x in u { uint(x) }
        }
    }
}

/// The tags of the sections of a compiled lexicon (see ``LexiconCompiler`` for what each holds).
enum LexiconTag {
    static let entities = LexiconImage.tag("ENTS")
    static let entityOffsets = LexiconImage.tag("EOFF")
    static let entityMeta = LexiconImage.tag("EMET")
    static let issues = LexiconImage.tag("ISSU")
    static let idHashes = LexiconImage.tag("IDHS")
    static let idEntities = LexiconImage.tag("IDEN")
    static let edgeFirst = LexiconImage.tag("EFST")
    static let edgeUnits = LexiconImage.tag("EUNI")
    static let edgeChildren = LexiconImage.tag("ECHD")
    static let rootChildren = LexiconImage.tag("EROT")
    static let valueStarts = LexiconImage.tag("VSTR")
    static let values = LexiconImage.tag("VALS")
    static let latinStarts = LexiconImage.tag("LTST")
    static let latinBytes = LexiconImage.tag("LTKB")
    static let latinEntities = LexiconImage.tag("LTEN")
    static let latinShapes = LexiconImage.tag("LTSH")
    static let latinByLength = LexiconImage.tag("LTBL")
    static let referrerHashes = LexiconImage.tag("RFHS")
    static let referrerStarts = LexiconImage.tag("RFST")
    static let referrers = LexiconImage.tag("REFS")
    static let formHashes = LexiconImage.tag("FHSH")
    static let formHashMax = LexiconImage.tag("FHMX")
    static let cueStarts = LexiconImage.tag("CUST")
    static let cues = LexiconImage.tag("CUES")
    static let cueCount = LexiconImage.tag("CCNT")
    static let cueEdgeFirst = LexiconImage.tag("CFST")
    static let cueEdgeUnits = LexiconImage.tag("CUNI")
    static let cueEdgeChildren = LexiconImage.tag("CCHD")
    static let cueAtNode = LexiconImage.tag("CNOD")
    typealias Segmentation = (pool: UInt32, lengths: UInt32, costs: UInt32, offsets: UInt32, slots: UInt32)
    static let short: Segmentation = (
        LexiconImage.tag("SPOL"), LexiconImage.tag("SLEN"), LexiconImage.tag("SCST"), LexiconImage.tag("SOFS"), LexiconImage.tag("SSLT")
    )
    static let long: Segmentation = (
        LexiconImage.tag("LPOL"), LexiconImage.tag("LLEN"), LexiconImage.tag("LCST"), LexiconImage.tag("LOFS"), LexiconImage.tag("LSLT")
    )
    static let longPrefixes = LexiconImage.tag("LPFX")
    static let longPrefixMax = LexiconImage.tag("LPMX")
    static let hiraganaRules = LexiconImage.tag("HIRA")
    static let commonWords = (size: LexiconImage.tag("CWSZ"), hashes: LexiconImage.tag("CWHS"), offsets: LexiconImage.tag("CWOF"))
}

extension LexiconImage.Error: HashiError {}
