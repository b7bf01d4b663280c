import Foundation
import Testing

@testable import HashiKit

/// A user's dictionary layered over the built-in lexicon (read in place) links
/// exactly as one lexicon compiled from both sets of rows.
@Suite("Lexicon layers")
struct LexiconLayerTests {
    /// A user dictionary that redefines built-in ids (with other forms), adds
    /// entities with relations to built-in ids, context cues and Latin forms.
    static let user = """
        id\ten\ttype\tja\taliases\twikidata\trelations\tcontext
        huawei\tHuawei Technologies (user)\tORG\tファーウェイ|華為\tHuaweii Corp\t\t\t通信
        nvidia\tNVIDIA Corp. (user)\tORG\tエヌビディア\tNvidiaa\t\t\tGPU|半導体
        my-chip\tMy Chip\tPRODUCT\tマイチップ|アセンド\tMyChipX\t\tmade_by:huawei\tAI|半導体
        my-lab\tMy Research Lab\tORG\t研究所\tMyResearchLab\t\tsubsidiary_of:nvidia;based_in:china\t
        gonyo\tgonyo\tTERM\tゴニョ\tgonyogonyo\t\t\t
        """

    static func texts() throws -> [String] {
        var texts = [
            "ファーウェイはNvidiaのH100に対抗するアセンド910Cを発表した。華為の研究所とマイチップ。",
            "MyChipX と Nvidiaa と Huaweii、エヌビディアの GPU、半導体の研究所、ゴニョ。",
        ]
        if let article = try? String(contentsOfFile: TestPaths.sharedArticle, encoding: .utf8) { texts.append(article) }
        let corpora = TestPaths.packageRoot.appendingPathComponent("corpora")
        for name in try FileManager.default.contentsOfDirectory(atPath: corpora.path).sorted() where name.hasSuffix(".txt") {
            texts.append(try String(contentsOf: corpora.appendingPathComponent(name), encoding: .utf8))
        }
        return texts
    }

    @Test func layeredLinksAsCompiledTogether() throws {
        let user = DictionaryParser.parse(Self.user, file: "user.tsv", source: .user)
        #expect(user.issues.filter { $0.severity == .error }.isEmpty)
        let layered = EntityLexicon(user.entities, over: .builtin)
        let together = EntityLexicon(user.entities + Dictionaries.builtin.entities)
        #expect(layered.visibleCount == together.count)
        let a = try Linker(lexicon: layered), b = try Linker(lexicon: together)
        var mentions = 0
        for text in try Self.texts() {
            let x = try a.annotated(text: text).mentions, y = try b.annotated(text: text).mentions
            #expect(x == y)
            mentions += x.count
        }
        #expect(mentions > 100)
        // The user's rows win, shadowed built-in rows are gone from every path.
        #expect(layered.entity(id: "huawei")?.en == "Huawei Technologies (user)")
        #expect(layered.lookup(key: MatchKey.of("華為技術")).isEmpty)
        #expect(together.lookup(key: MatchKey.of("華為技術")).isEmpty)
        for key in ["ファーウェイ", "アセンド", "研究所", "nvidia", "gonyo"] {
            #expect(layered.lookup(key: MatchKey.of(key)).map(\.id) == together.lookup(key: MatchKey.of(key)).map(\.id), "\(key)")
        }
        // Referrers across layers (a user row pointing at a built-in id) and typos.
        for id in ["huawei", "nvidia", "china", "my-chip"] {
            let l = layered.entitiesReferring(to: id).map { layered.entities[Int($0)].id }
            let t = together.entitiesReferring(to: id).map { together.entities[Int($0)].id }
            #expect(l == t, "\(id)")
        }
        for word in ["huaweii", "nvidiaa", "mychipx", "qualcom", "samsnug"] {
            let l = layered.fuzzyLatin(Array(word.utf8)).map { layered.entities[Int($0.entity)].id }
            let t = together.fuzzyLatin(Array(word.utf8)).map { together.entities[Int($0.entity)].id }
            #expect(l == t, "\(word)")
        }
    }

    @Test func lookUpOverLayers() throws {
        let user = DictionaryParser.parse(Self.user, file: "user.tsv", source: .user).entities
        let layered = TermLookup(lexicon: EntityLexicon(user, over: .builtin))
        let together = TermLookup(lexicon: EntityLexicon(user + Dictionaries.builtin.entities))
        for query in ["ファーウェイ", "華為技術", "Huawei", "nvidiaa", "gonyo", "ゴニョ", "マイチップ", "sony", "ソニー", "研究所"] {
            let l = layered.lookup(query, detail: .full), t = together.lookup(query, detail: .full)
            #expect(l.hits.map(\.id) == t.hits.map(\.id), "\(query)")
            #expect(l.suggestions.map(\.id) == t.suggestions.map(\.id), "\(query)")
        }
    }
}
