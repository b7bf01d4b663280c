import Foundation
import Testing

@testable import HashiKit

/// Damaged transliteration models (issue 16): every file is refused with an error
/// naming it, or loads and then answers without reading outside its buffer.
@Suite("Hostile transliteration models")
struct HostileModelTests {
    static let modelPath = TestPaths.packageRoot.appendingPathComponent("dictionaries/transliteration/model.bin").path

    /// The model's bytes and the start of each section.
    static func sections() throws -> (bytes: [UInt8], offsets: [Int], order: Int, nodes: Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath)))
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        let order = u32(12), nodes = u32(16)
        let sections = 5 + 4 * (order - 1) + 2
        return (bytes, (0...sections).map { u32(20 + 4 * $0) }, order, nodes)
    }

    static func put(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    /// Loads `bytes` from a temporary file.
    static func load(_ bytes: [UInt8]) throws -> TransliterationModel {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-model-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            return try TransliterationModel(contentsOfFile: path)
        } catch {
            // The message names the file.
            #expect(error.description.hasPrefix(path + ": malformed transliteration model"))
            throw error
        }
    }

    /// The embedded model skips the linear check at start-up (it is built with the
    /// code); this is where that check runs on it.
    @Test func theEmbeddedModelPassesTheFullCheck() throws {
        try TransliterationModel.builtin.validate()
    }

    @Test func trieChildIndexPastTheEndIsRefused() throws {
        var (bytes, offsets, order, nodes) = try Self.sections()
        let trieFirst = offsets[5 + 4 * (order - 1)]
        // Node 0's first child far beyond the last node.
        Self.put(UInt32(nodes + 1000), at: trieFirst, in: &bytes)
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
        // A child range that starts in range and runs past the end.
        (bytes, _, _, _) = try Self.sections()
        Self.put(UInt32(nodes - 1), at: trieFirst + 4 * 5, in: &bytes)
        let trieBytes = offsets[5 + 4 * (order - 1) + 1]
        bytes[trieBytes + nodes + 5] = 200  // child count of node 5
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
    }

    @Test func graphoneLongerThanFiveLettersIsRefused() throws {
        var (bytes, offsets, _, _) = try Self.sections()
        bytes[offsets[2] + 8 * 3 + 2] = 250
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
    }

    @Test func descendingOffsetsAreRefused() throws {
        var (bytes, offsets, _, _) = try Self.sections()
        // Unit text offsets: the second unit starts past the end of the text.
        Self.put(0xFFFF_FF00, at: offsets[0] + 4, in: &bytes)
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
        // n-gram entry starts of the first context of order 2 beyond its neighbour.
        (bytes, _, _, _) = try Self.sections()
        Self.put(0xFFFF_0000, at: offsets[6], in: &bytes)
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
        // Unit graphone starts.
        (bytes, _, _, _) = try Self.sections()
        Self.put(0x7FFF_0000, at: offsets[3] + 8, in: &bytes)
        #expect(throws: TransliterationModel.LoadError.self) { _ = try Self.load(bytes) }
    }

    /// Random damage to the tables: refused, or usable without a fault (a read
    /// outside the buffer would kill the test process).
    @Test func randomDamageIsRefusedOrHarmless() throws {
        let (original, offsets, _, _) = try Self.sections()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<60 {
            var bytes = original
            // Damage inside the tables, not the header (a bad header is refused early).
            for _ in 0..<(1 + round % 8) {
                let at = Int.random(in: offsets[0]..<bytes.count, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            guard let model = try? Self.load(bytes) else { continue }
            let transliterator = BackTransliterator(model: model)
            for word in ["コンピューター", "マシンラーニング", "ジェネレーティブ・エーアイ", "ヴァ"] {
                _ = try? transliterator.candidates(for: word)
                _ = transliterator.plausibility(of: "computer", for: word)
            }
        }
    }
}
