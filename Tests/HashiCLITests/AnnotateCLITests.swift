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

    @Test func directoriesAreAnnotatedInInputOrderOnAnyThreadCount() throws {
        // Many documents: annotated whole, several at a time, written in input order.
        let one = try CLITests.run(["annotate", "--format", "jsonl", "--threads", "1", "--glob", "*.txt", "corpora/"])
        let three = try CLITests.run(["annotate", "--format", "jsonl", "--threads", "3", "--glob", "*.txt", "corpora/"])
        #expect(one.status == 0 && three.status == 0)
        #expect(one.stdout == three.stdout)
        let documents = one.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "\"document\":\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        var order: [String] = []
        for document in documents where order.last != document { order.append(document) }
        #expect(order == order.sorted() && Set(order).count == order.count && order.count >= 8)
    }

    @Test func keepGoingReportsABadFileAndAnnotatesTheRest() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "ファーウェイ\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try Data([0x41, 0x00, 0x42]).write(to: dir.appendingPathComponent("b.txt"))
        try "エヌビディア\n".write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let result = try CLITests.run(["annotate", "--keep-going", dir.path])
        #expect(result.status == 1)
        #expect(result.stdout == "ファーウェイ[Huawei]\nエヌビディア[Nvidia]\n")
        #expect(result.stderr.contains("b.txt: binary file"))
        let stop = try CLITests.run(["annotate", dir.path])
        #expect(stop.status == 1 && !stop.stdout.contains("Nvidia"))
    }
}
