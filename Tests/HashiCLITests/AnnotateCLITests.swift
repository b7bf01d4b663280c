import Foundation
import Testing

/// `hashi annotate` end to end: thread count does not change the output.
@Suite("hashi annotate")
struct AnnotateCLITests {
    @Test func outputIsTheSameForAnyThreadCount() throws {
        // One document made of the whole sample corpus, so that resolution (evidence,
        // coreference across lines) runs over many lines in parallel chunks.
        let dir = CLITests.root.appendingPathComponent("corpora")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        var text = ""
        for file in files { text += try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8) + "\n" }
        let one = try CLITests.run(["annotate", "--format", "jsonl", "--threads", "1", "-"], stdin: text)
        let three = try CLITests.run(["annotate", "--format", "jsonl", "--threads", "3", "-"], stdin: text)
        #expect(one.status == 0 && three.status == 0)
        #expect(one.stdout.split(separator: "\n").count > 500)
        #expect(one.stdout == three.stdout)
    }
}
