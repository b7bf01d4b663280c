import Foundation
import Testing

@testable import HashiKit

/// Library errors state the problem only; the command line adds the hints that
/// name its commands (Tests/HashiCLITests checks those).
@Suite("Library error messages")
struct ErrorMessageTests {
    @Test func aForeignEdictIndexNamesTheFileAndNoCommand() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).idx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try EdictIndex(path: path)
        } throws: { error in
            "\(error)" == "\(path): not a Hashi EDICT index (bad magic)"
        }
    }

    @Test func aBadUserDictionaryCountsItsProblemsAndNamesNoCommand() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\na\tA\tGADGET\tア\t\t\t\t\nb\tB\tGIZMO\tビ\t\t\t\t\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try Dictionaries.lexicon(userPaths: [path])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(path):2: error: unknown type 'GADGET'") && text.hasSuffix(" (and 1 more problems)")
                && !text.contains("hashi ")
        }
    }

    @Test func aLexiconImageOfAnotherVersionNamesNoProgram() throws {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes.replaceSubrange(0..<8, with: Array("HASHILEX".utf8))
        bytes[8] = 99
        bytes[12] = 0x04
        bytes[13] = 0x03
        bytes[14] = 0x02
        bytes[15] = 0x01
        let aligned = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { aligned.deallocate() }
        aligned.copyBytes(from: bytes)
        #expect {
            _ = try LexiconImage(bytes: UnsafeRawBufferPointer(aligned))
        } throws: { error in
            "\(error)" == "damaged lexicon image: version 99, not the supported version \(LexiconImage.version)"
        }
    }
}
