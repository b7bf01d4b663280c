import Foundation
import Testing

@testable import HashiKit

@Suite("Glossary")
struct GlossaryTests {
    static let lexicon: EntityLexicon = try! Dictionaries.lexicon(userPaths: [])

    static func glossary(_ texts: [String], includeUnlinked: Bool = true) throws -> Glossary {
        let linker = try Linker(lexicon: lexicon)
        var glossary = Glossary()
        for (k, text) in texts.enumerated() {
            glossary.add(try linker.annotated(text: text, name: "doc\(k)"), lexicon: lexicon, includeUnlinked: includeUnlinked)
        }
        return glossary
    }

    static let texts = [
        "ファーウェイは新しいアセンド910Cを発表した。華為技術の幹部は自信を見せた。\nエヌビディアのフアンCEOも注目している。\n",
        "ﾌｧｰｳｪｲとNvidiaが競う。ファーウエイの狙いはクラウドだ。\n",
        "エヌビディアのジェンスン・フアンCEOはサーバー向けGPUを語った。フアン氏はサーバ事業も強調した。\n",
    ]

    @Test func countsDocumentsVariantsAndContext() throws {
        let g = try Self.glossary(Self.texts)
        #expect(g.documentCount == 3)
        let huawei = try #require(g.entries.first { $0.id == "huawei" })
        #expect(huawei.count == 4)
        #expect(huawei.documents == 2)
        #expect(huawei.variants.map(\.surface) == ["ファーウェイ", "華為技術", "ﾌｧｰｳｪｲ", "ファーウエイ"])
        #expect(huawei.ja == "ファーウェイ")
        #expect(huawei.en == "Huawei")
        #expect(huawei.wikidata == "Q160120")
        #expect(huawei.context == "ファーウェイは新しいアセンド910Cを発表した。")
        let server = try #require(g.entries.first { $0.id == "t-server" })
        #expect(server.variants.map(\.surface) == ["サーバー", "サーバ"])
        #expect(g.entries.contains { $0.id == "jensen-huang" && $0.count >= 2 })
    }

    @Test func mostFrequentSurfaceIsJaAndTiesKeepFirstSeen() {
        var entry = Glossary.Entry(key: "x", id: "x", en: "X", type: .org, source: .curated)
        entry.variants = [.init(surface: "A", count: 2), .init(surface: "B", count: 3), .init(surface: "C", count: 3)]
        #expect(entry.ja == "B")
        #expect(entry.variantsByCount.map(\.surface) == ["B", "C", "A"])
    }

    @Test func mergingPartsEqualsTheWhole() throws {
        let whole = try Self.glossary(Self.texts)
        var merged = try Self.glossary(Array(Self.texts[0..<1]))
        try merged.merge(try Self.glossary(Array(Self.texts[1...])))
        #expect(merged == whole)
    }

    @Test func jsonReadsBackExactly() throws {
        let g = try Self.glossary(Self.texts)
        let json = try GlossaryWriter(format: .json).render(g, options: GlossaryOptions())
        let back = try Glossary.read(json: Data(json.utf8), path: "g.json")
        #expect(back.documentCount == g.documentCount)
        #expect(back.entries.count == g.entries.count)
        // Written again, the same bytes.
        #expect(try GlossaryWriter(format: .json).render(back, options: GlossaryOptions()) == json)
    }

    @Test func badJSONNamesTheFile() {
        #expect(throws: Glossary.ReadError.self) { try Glossary.read(json: Data("{\"format\": 1".utf8), path: "bad.json") }
        do {
            _ = try Glossary.read(json: Data("[1, 2]".utf8), path: "list.json")
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("list.json: not a Hashi glossary JSON"))
        }
    }

    @Test func filtersAndOrders() throws {
        let g = try Self.glossary(Self.texts)
        var options = GlossaryOptions()
        options.types = [.org]
        options.includeGuesses = false
        let orgs = g.rows(options)
        #expect(!orgs.isEmpty && orgs.allSatisfy { $0.type == .org })
        #expect(zip(orgs, orgs.dropFirst()).allSatisfy { $0.count >= $1.count })
        options.minCount = 3
        #expect(g.rows(options).allSatisfy { $0.count >= 3 })
        options = GlossaryOptions()
        options.order = .en
        let en = g.rows(options).map { ($0.en ?? "").lowercased() }
        #expect(en == en.sorted())
        options.order = .ja
        let ja = g.rows(options).map(\.ja)
        // Japanese collation: katakana and hiragana sort by kana order, before kanji.
        #expect(ja.firstIndex(of: "エヌビディア")! < ja.firstIndex(of: "ファーウェイ")!)
    }

    @Test func csvQuotesAndNeutralizesFormulas() {
        let csv = GlossaryWriter.csv([["=1+2", "a,b", "say \"hi\"", "-x", "@sum", "ok", "line\nbreak"]])
        #expect(csv == "'=1+2,\"a,b\",\"say \"\"hi\"\"\",'-x,'@sum,ok,\"line\nbreak\"\r\n")
        let tsv = GlossaryWriter.tsv([["+1", "tab\there", "two\nlines"]])
        #expect(tsv == "'+1\ttab here\ttwo lines\n")
    }

    @Test func tbxEscapesMarkup() throws {
        var entry = Glossary.Entry(key: "k", id: "k", en: "R&D <lab>", type: .term, source: .user)
        entry.count = 1
        entry.documents = 1
        entry.variants = [.init(surface: "研究&開発", count: 1)]
        let cells = GlossaryWriter.Cells(
            ja: "研究&開発", en: "R&D <lab>", type: "TERM", count: "1", documents: "1", reading: "",
            romaji: "", variants: "研究&開発", source: "user", confidence: "1", id: "k",
            wikidata: "", context: "\"x\" < y")
        let tbx = GlossaryWriter.tbx([(entry, cells)])
        #expect(tbx.contains("<term>研究&amp;開発</term>"))
        #expect(tbx.contains("<term>R&amp;D &lt;lab&gt;</term>"))
        #expect(tbx.contains("&quot;x&quot; &lt; y"))
    }

    @Test func contextIsShortenedAroundTheMention() throws {
        let long = String(repeating: "あ", count: 80) + "ファーウェイ" + String(repeating: "い", count: 80) + "。\n"
        let g = try Self.glossary([long])
        let huawei = try #require(g.entries.first { $0.id == "huawei" })
        #expect(huawei.context.hasPrefix("…") && huawei.context.hasSuffix("…"))
        #expect(huawei.context.contains("ファーウェイ"))
        #expect(huawei.context.unicodeScalars.count <= 62)
    }

    @Test func readingAndRomajiForKana() {
        #expect(GlossaryWriter.reading(of: "ファーウェイ") == "ファーウェイ")
        #expect(GlossaryWriter.reading(of: "すまほ") == "スマホ")
        #expect(GlossaryWriter.reading(of: "華為") == "")
    }

    @Test func builderIsTheSameForAnyThreadCount() throws {
        let dir = TestPaths.packageRoot.appendingPathComponent("corpora")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        func build(threads: Int) throws -> String {
            let builder = try GlossaryBuilder(lexicon: Self.lexicon, edict: nil, threads: threads)
            builder.largeDocument = 4000  // some documents take the line-parallel path
            for file in files {
                let path = dir.appendingPathComponent(file).path
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
                try builder.add(.file(InputDocument(name: path, path: path), size: size))
            }
            return try GlossaryWriter(format: .json).render(try builder.finish(), options: GlossaryOptions())
        }
        let one = try build(threads: 1)
        #expect(try build(threads: 3) == one)
        #expect(one.contains("\"documents\": \(files.count)"))
    }

    @Test func xlsxIsAWorkbookWithTextCellsAndTheSameBytesEachTime() throws {
        let glossary = try Self.glossary(["ファーウェイはアセンド910Cを出荷した。", "=SUM(A1) と <b>&</b> の ファーウェイ"])
        let writer = GlossaryWriter(format: .xlsx)
        let bytes = try writer.renderBytes(glossary, options: GlossaryOptions())
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))  // a ZIP archive
        #expect(try writer.renderBytes(glossary, options: GlossaryOptions()) == bytes)
        #expect(throws: GlossaryWriterError.self) { _ = try writer.render(glossary, options: GlossaryOptions()) }
        #expect(GlossaryFormat.implied(byPath: "out/Glossary.XLSX") == .xlsx)
        // The sheet: header frozen, text as inline strings (escaped, never a formula), numbers as numbers.
        let sheet = XLSXWriter.sheet([["ja", "count"], ["=1+1 <&>", "3"], ["ファーウェイ", "x"]], numeric: [1], widths: [20, 8])
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">=1+1 &lt;&amp;&gt;</t></is></c>"#))
        #expect(sheet.contains(#"<c r="B2"><v>3</v></c>"#))
        #expect(sheet.contains(#"<c r="B3" t="inlineStr"><is><t xml:space="preserve">x</t></is></c>"#))
        #expect(!sheet.contains("<f>"))
        #expect(XLSXWriter.columnName(0) == "A" && XLSXWriter.columnName(25) == "Z" && XLSXWriter.columnName(27) == "AB")
    }
}
