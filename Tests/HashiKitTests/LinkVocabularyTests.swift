import Foundation
import Testing

@testable import HashiKit

/// The one vocabulary of where a link came from and how it matched: its raw
/// values are the strings every output has always written.
@Suite("Link vocabulary")
struct LinkVocabularyTests {
    static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> (json: String, back: T) {
        let data = try JSONEncoder().encode([value])
        return (String(decoding: data, as: UTF8.self), try JSONDecoder().decode([T].self, from: data)[0])
    }

    @Test func linkSourcesAreTheDocumentedStrings() throws {
        #expect(LinkSource.allCases.map(\.rawValue) == ["user", "curated", "edict", "enamdict", "latin", "compound", "guess"])
        for source in LinkSource.allCases {
            let (json, back) = try Self.roundTrip(source)
            #expect(json == "[\"\(source.rawValue)\"]")
            #expect(back == source)
        }
    }

    @Test func matchKindsAreTheDocumentedStrings() throws {
        #expect(
            MatchKind.allCases.map(\.rawValue) == ["exact", "variant", "fuzzy", "romaji", "coreference", "guess", "unknown"])
        for kind in MatchKind.allCases {
            let (json, back) = try Self.roundTrip(kind)
            #expect(json == "[\"\(kind.rawValue)\"]")
            #expect(back == kind)
        }
    }

    @Test func entitySourcesAreTheFirstLinkSources() {
        #expect(EntitySource.allCases.map { LinkSource($0) } == Array(LinkSource.allCases.prefix(EntitySource.allCases.count)))
        #expect(EntitySource.allCases.map(\.rawValue) == EntitySource.allCases.map { LinkSource($0).rawValue })
    }

    @Test func mentionEncodesSourceAndMatchAsStrings() throws {
        let mention = Mention(
            document: "-", sentence: 0, start: 0, end: 3, byteStart: 0, byteEnd: 9, surface: "ゴルフ", normalized: "ゴルフ",
            id: "compound:ゴルフ", en: "golf", type: .term, source: .compound, match: .variant, confidence: 0.5)
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(mention)) as? [String: Any])
        #expect(object["source"] as? String == "compound")
        #expect(object["match"] as? String == "variant")
        #expect(try JSONDecoder().decode(Mention.self, from: JSONEncoder().encode(mention)) == mention)
    }

    @Test func glossaryJSONWithAnUnknownSourceIsRejected() {
        let json = """
            {"format": "hashi-glossary", "version": 1, "documents": 1, "complete": true, "entries": [
              {"key": "k", "id": "k", "en": "K", "type": "TERM", "count": 1, "documents": 1,
               "variants": [{"surface": "ケー", "count": 1}], "source": "wikipedia", "confidence_total": 100,
               "wikidata": "", "context": ""}]}
            """
        #expect {
            try Glossary.read(json: Data(json.utf8), path: "g.json")
        } throws: { error in
            "\(error)" == "g.json: entry 1: unknown source \"wikipedia\""
        }
    }
}
