import Foundation
import Testing

/// `hashi lookup`: output shapes, batches, exit statuses.
@Suite("hashi lookup", .serialized)
struct LookupCLITests {
    typealias CLI = CLITests

    static func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func textShowsEveryFact() throws {
        let result = try CLI.run(["lookup", "ファーウェイ", "ﾌｧｰｳｪｲ"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ファーウェイ → Huawei [ORG] (curated; exact)")
        #expect(lines.contains("ﾌｧｰｳｪｲ → Huawei [ORG] (curated; variant of ファーウェイ)"))
        #expect(lines.contains { $0.hasPrefix("    ja ") && $0.hasSuffix("ファーウェイ, ファーウエイ, 華為技術, 華為") })
        #expect(lines.contains { $0.hasPrefix("    wikidata ") && $0.contains("Q") })
        #expect(lines.contains { $0.hasPrefix("    relations ") && $0.contains("country China (china)") })
        #expect(lines.contains(""), "queries are separated by a blank line")
    }

    @Test func englishToJapaneseAndForcedDirection() throws {
        let en = try CLI.run(["lookup", "nvidia"])
        #expect(en.status == 0)
        #expect(en.stdout.hasPrefix("nvidia → エヌビディア [ORG] (curated; variant of NVIDIA)\n"))
        #expect(en.stdout.contains("    en           Nvidia\n"))
        let forced = try CLI.run(["lookup", "--to", "en", "nvidia"])
        #expect(forced.stdout.hasPrefix("nvidia → Nvidia [ORG]"))
        let toJa = try CLI.run(["lookup", "--to", "ja", "ファーウェイ"])
        #expect(toJa.stdout.hasPrefix("ファーウェイ → ファーウェイ [ORG]"))
        let romaji = try CLI.run(["lookup", "faauei", "fāuei"])
        #expect(romaji.status == 0)
        #expect(romaji.stdout.hasPrefix("faauei → ファーウェイ [ORG] (curated; romaji of ファーウェイ)\n"))
    }

    @Test func jsonHasOneObjectPerQuery() throws {
        let result = try CLI.run(["lookup", "--json", "ファーウェイ", "Harmony OS", "ファーウエl"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let huawei = try Self.json(lines[0])
        #expect(huawei["query"] as? String == "ファーウェイ")
        #expect(huawei["to"] as? String == "en")
        #expect(huawei["found"] as? Bool == true)
        let hit = try #require((huawei["hits"] as? [[String: Any]])?.first)
        #expect(hit["en"] as? String == "Huawei")
        #expect(hit["type"] as? String == "ORG")
        #expect(hit["id"] as? String == "huawei")
        #expect((hit["ja"] as? [String])?.first == "ファーウェイ")
        #expect((hit["wikidata"] as? String)?.hasPrefix("Q") == true)
        #expect(hit["source"] as? String == "curated")
        #expect(hit["match"] as? String == "exact")
        let relations = try #require(hit["relations"] as? [[String: Any]])
        #expect(
            relations.contains { $0["kind"] as? String == "country" && $0["id"] as? String == "china" && $0["en"] as? String == "China" })
        let harmony = try Self.json(lines[1])
        #expect(harmony["to"] as? String == "ja")
        let miss = try Self.json(lines[2])
        #expect(miss["found"] as? Bool == false)
        #expect((miss["hits"] as? [Any])?.isEmpty == true)
        let suggestion = try #require((miss["suggestions"] as? [[String: Any]])?.first)
        #expect(suggestion["id"] as? String == "huawei")
        #expect(suggestion["distance"] as? Int == 1)
    }

    @Test func batchWritesOneTSVLinePerQuery() throws {
        let input = "ファーウェイ\nnvidia\r\nxyzzyq\n\nコンピュータ\nfaauei"
        let result = try CLI.run(["lookup", "--batch"], stdin: input)
        #expect(result.status == 1)
        #expect(result.stderr == "hashi: not found: xyzzyq\n")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "ファーウェイ\tHuawei\tファーウェイ\tORG\tcurated\texact",
                "nvidia\tNvidia\tエヌビディア\tORG\tcurated\tvariant",
                "xyzzyq\t\t\t\t\t",
                "\t\t\t\t\t",
                "コンピュータ\tcomputer\tコンピューター\tTERM\tcurated\texact",
                "faauei\tHuawei\tファーウェイ\tORG\tcurated\tromaji",
                "",
            ])
    }

    /// A batch answers in the schema of a single look-up (one object per query),
    /// with the best hit only and no suggestions; --json is the old --format json.
    @Test func batchJSONLines() throws {
        let result = try CLI.run(["lookup", "--batch", "--format", "json"], stdin: "華為技術\nnope-nope\n")
        #expect(result.status == 1)
        #expect(result.stderr == "hashi: not found: nope-nope\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try Self.json(lines[0])
        #expect(first["query"] as? String == "華為技術")
        #expect(first["found"] as? Bool == true)
        let hits = try #require(first["hits"] as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(hits[0]["en"] as? String == "Huawei")
        #expect((hits[0]["ja"] as? [String])?.first == "ファーウェイ")
        #expect(hits[0]["type"] as? String == "ORG")
        #expect(hits[0]["source"] as? String == "curated")
        #expect(hits[0]["match"] as? String == "exact")
        let miss = try Self.json(lines[1])
        #expect(miss["query"] as? String == "nope-nope")
        #expect(miss["found"] as? Bool == false)
        #expect((miss["hits"] as? [Any])?.isEmpty == true)
        #expect((miss["suggestions"] as? [Any])?.isEmpty == true)
        // The same keys as a single look-up's JSON.
        let single = try Self.json(try CLI.run(["lookup", "--format", "json", "華為技術"]).stdout.split(separator: "\n")[0])
        #expect(Set(single.keys) == Set(first.keys))
        let singleHit = try #require((single["hits"] as? [[String: Any]])?.first)
        #expect(Set(singleHit.keys) == Set(hits[0].keys))
        // The old spelling still works, and disagreeing with --format is a usage error.
        #expect(try CLI.run(["lookup", "--batch", "--json"], stdin: "華為技術\n").stdout == result.stdout.split(separator: "\n")[0] + "\n")
        #expect(try CLI.run(["lookup", "--json", "--format", "tsv", "x"]).status == 2)
    }

    @Test func exitStatuses() throws {
        #expect(try CLI.run(["lookup", "ファーウェイ", "Huawei"]).status == 0)
        let some = try CLI.run(["lookup", "ファーウェイ", "qqqzzz", "存在しない語"])
        #expect(some.status == 1)
        #expect(some.stderr == "hashi: not found: qqqzzz, 存在しない語\n")
        #expect(some.stdout.contains("qqqzzz: not found\n"))
        let all = try CLI.run(["lookup", "--batch"], stdin: "ファーウェイ\n")
        #expect(all.status == 0 && all.stderr.isEmpty)
        // Usage errors: 2, with the message and usage on standard error.
        let none = try CLI.run(["lookup"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no term"))
        #expect(try CLI.run(["lookup", "--batch", "ファーウェイ"], stdin: "").status == 2)
        let badTo = try CLI.run(["lookup", "--to", "fr", "x"])
        #expect(badTo.status == 2)
        #expect(badTo.stderr.contains("--to"))
        #expect(try CLI.run(["lookup", "--no-such-option", "x"]).status == 2)
        #expect(try CLI.run(["no-such-command"]).status == 2)
        // Help and version are not errors.
        let help = try CLI.run(["lookup", "--help"])
        #expect(help.status == 0)
        for needle in ["--batch", "--format", "--to", "romaji", "variant", "fuzzy", "guess", "did you mean", "Exit status"] {
            #expect(help.stdout.contains(needle), "help lacks \(needle)")
        }
        #expect(try CLI.run(["--version"]).status == 0)
    }

    @Test func userDictionaryAndEnvironment() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mine.tsv")
        try "id\ten\ttype\tja\taliases\twikidata\trelations\tcontext\nt-gonyo\tgonyo\tTERM\tゴニョ\t\t\t\t\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let option = try CLI.run(["lookup", "--dict", file.path, "ゴニョ"])
        #expect(option.status == 0)
        #expect(option.stdout.hasPrefix("ゴニョ → gonyo [TERM] (user; exact)"))
        let env = try CLI.run(["lookup", "--batch"], stdin: "gonyo\n", environment: ["HASHI_DICT": file.path])
        #expect(env.stdout == "gonyo\tgonyo\tゴニョ\tTERM\tuser\texact\n")
        let broken = dir.appendingPathComponent("broken.tsv")
        try "id\ten\n".write(to: broken, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["lookup", "--dict", broken.path, "ゴニョ"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("hashi: error: "))
    }
}
