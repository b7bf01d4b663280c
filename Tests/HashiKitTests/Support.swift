import Foundation

@testable import HashiKit

/// Paths for tests: the package root, fixtures, and the shared material beside the clone.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static let sharedArticle = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpora/000_3a678e2742afd61d.txt").path
}

/// Surfaces of the non-space tokens of `text`.
func words(_ text: String, unit: SegmentationUnit = .long, lexicon: SegmentationLexicon = SegmentationLexicon()) throws -> [String] {
    try Tokenizer(unit: unit, lexicon: lexicon).tokens(in: text).filter { !$0.isSpace }.map(\.surface)
}

/// Reads a whole document through the streaming reader into one string.
func readAll(_ path: String, encoding: TextEncoding? = nil, chunkSize: Int = 1 << 20) throws -> String {
    var reader = DocumentReader(encoding: encoding)
    reader.chunkSize = chunkSize
    var bytes: [UInt8] = []
    try reader.readLines(of: InputDocument(name: path, path: path)) { line, _ in bytes.append(contentsOf: line) }
    return String(decoding: bytes, as: UTF8.self)
}
