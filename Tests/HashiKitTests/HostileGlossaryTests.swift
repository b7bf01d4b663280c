import Foundation
import Testing

@testable import HashiKit

/// `hashi glossary merge` input that is valid JSON but not a glossary Hashi could
/// have written (issue 16): refused with the file's name, never a trap.
@Suite("Hostile glossary JSON")
struct HostileGlossaryTests {
    /// A one-entry glossary JSON.
    static func json(
        count: String = "3", documents: String = "1", confidenceTotal: String = "285",
        variants: String = "[{\"surface\": \"テスト\", \"count\": 3}]", fileDocuments: String = "1"
    ) -> Data {
        Data(
            """
            {"format": "hashi-glossary", "version": 1, "documents": \(fileDocuments), "complete": true, "entries": [
              {"ja": "テスト", "en": "test", "type": "TERM", "count": \(count), "documents": \(documents),
               "reading": "テスト", "romaji": "tesuto", "variants": \(variants), "source": "curated",
               "confidence": 0.95, "confidence_total": \(confidenceTotal), "id": "t-test", "wikidata": "",
               "context": "テストです。", "key": "t-test"}]}
            """.utf8)
    }

    static func reason(_ data: Data) -> String? {
        do {
            _ = try Glossary.read(json: data, path: "part.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aValidEntryReads() throws {
        let g = try Glossary.read(json: Self.json(), path: "part.json")
        #expect(g.entries.count == 1 && g.entries[0].count == 3)
    }

    @Test(arguments: [
        (json(count: "-3", variants: "[{\"surface\": \"テスト\", \"count\": -3}]"), "no variants or a zero count"),
        (json(documents: "-1"), "documents -1"),
        (json(documents: "4"), "documents 4"),
        (json(variants: "[{\"surface\": \"テスト\", \"count\": 4}, {\"surface\": \"x\", \"count\": -1}]"), "variant count -1"),
        (json(variants: "[{\"surface\": \"テスト\", \"count\": 2}]"), "add up to 2"),
        (json(confidenceTotal: "-5"), "confidence_total -5"),
        (json(confidenceTotal: "301"), "confidence_total 301"),
        (json(fileDocuments: "-2"), "documents -2 is negative"),
        (
            json(
                count: "9223372036854775807",
                variants: "[{\"surface\": \"a\", \"count\": 9223372036854775807}, {\"surface\": \"b\", \"count\": 1}]"),
            "variant counts overflow"
        ),
    ])
    func inconsistentCountsAreRefused(data: Data, expected: String) {
        let reason = Self.reason(data)
        #expect(reason?.hasPrefix("part.json: entry 1: ") == true || reason?.hasPrefix("part.json: ") == true, "\(reason ?? "accepted")")
        #expect(reason?.contains(expected) == true, "\(reason ?? "accepted")")
    }

    @Test func overflowingSumsAreAnErrorNotATrap() throws {
        let max = String(Int.max)
        let huge = Self.json(
            count: max, documents: "1", confidenceTotal: max,
            variants: "[{\"surface\": \"テスト\", \"count\": \(max)}]")
        var merged = try Glossary.read(json: huge, path: "a.json")
        let again = try Glossary.read(json: huge, path: "b.json")
        #expect(throws: Glossary.MergeError.self) { try merged.merge(again) }
        // Inside one file: two entries with the same key.
        let twice = String(decoding: huge, as: UTF8.self).replacingOccurrences(
            of: "\"entries\": [",
            with: "\"entries\": [\n"
                + {
                    let text = String(decoding: huge, as: UTF8.self)
                    let start = text.range(of: "\"entries\": [")!.upperBound, end = text.range(of: "]}", options: .backwards)!.lowerBound
                    return String(text[start..<end]) + ","
                }())
        #expect(Self.reason(Data(twice.utf8))?.contains("count overflows when merged") == true)
        // Document totals.
        var a = try Glossary.read(json: Self.json(fileDocuments: max), path: "a.json")
        #expect(throws: Glossary.MergeError.self) { try a.merge(try Glossary.read(json: Self.json(fileDocuments: "1"), path: "b.json")) }
    }

    /// Merging two entries with n spellings each: the work grows linearly (a
    /// quadratic merge takes 16 times as long for 4 times the spellings).
    @Test func mergingManySpellingsIsLinear() throws {
        func entry(_ n: Int, prefix: String) -> Glossary.Entry {
            var e = Glossary.Entry(key: "k", id: "k", en: "K", type: .term, source: .curated)
            e.variants = (0..<n).map { .init(surface: "\(prefix)\($0)", count: 1) }
            e.count = n
            e.documents = 1
            return e
        }
        func seconds(_ n: Int) -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                var a = entry(n, prefix: "a"), b = entry(n, prefix: "b")
                b.variants += a.variants.prefix(n / 2)  // half shared
                b.count += n / 2
                let start = DispatchTime.now().uptimeNanoseconds
                _ = a.absorb(b)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
                #expect(a.variants.count == 2 * n && a.count == n + n + n / 2)
            }
            return best
        }
        let small = seconds(5_000), large = seconds(20_000)
        // Linear: about 4; quadratic: about 16.
        #expect(large / small < 9, "ratio \(large / small)")
    }
}
