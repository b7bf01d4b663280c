/// A read-only table of a lexicon image: a typed view of memory that never
/// changes while the view exists (embedded in the binary, or kept by the
/// lexicon's ``TableStorage``). `@unchecked Sendable` for that reason: it is
/// the one escape hatch of the lexicon runtime, every view is built on it.
struct Table<Element>: RandomAccessCollection, @unchecked Sendable {
    /// The memory viewed.
    let buffer: UnsafeBufferPointer<Element>

    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }

    /// An empty table.
    init() { buffer = UnsafeBufferPointer(start: nil, count: 0) }

    var startIndex: Int { 0 }
    var endIndex: Int { buffer.count }

    @inline(__always)
    subscript(position: Int) -> Element { buffer[position] }

    /// Elements `range` as a buffer of their own.
    @inline(__always)
    func rows(_ range: Range<Int>) -> UnsafeBufferPointer<Element> { UnsafeBufferPointer(rebasing: buffer[range]) }
}

/// A copy of an image compiled in memory (user dictionaries, tests), 8-byte
/// aligned, for as long as the lexicon reading it lives.
final class TableStorage: Sendable {
    /// The copied bytes.
    let bytes: Table<UInt8>

    init(copying source: [UInt8]) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(source.count, 8), alignment: 8)
        source.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { memory.copyMemory(from: base, byteCount: bytes.count) }
        }
        bytes = Table(UnsafeBufferPointer(start: memory.assumingMemoryBound(to: UInt8.self), count: source.count))
    }

    /// The bytes as raw memory (for ``LexiconImage/init(bytes:)``).
    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes.buffer) }

    deinit { UnsafeMutableRawPointer(mutating: bytes.buffer.baseAddress!).deallocate() }
}
