// libFuzzer entry points for the files Hashi reads (issue 16). Built only by
// scripts/fuzz.sh (HASHI_FUZZ=1, -sanitize=fuzzer,address); one binary, the
// target chosen by $HASHI_FUZZ_TARGET:
//   document  the document reader and its decoders (first byte: forced encoding, read and
//             line sizes), then linking
//   dict      a --dict TSV file: parse, validate, lexicon, the look-up index and a query
//   glossary  the glossary JSON of `hashi glossary merge`: read, merge with itself, write
//   edict     an EDICT file: import, write the index, read it back
//   index     an EDICT index file: open and look up
//   model     a transliteration model: a raw file (first byte != 0) or byte patches
//             over the built-in model (first byte 0, then 5-byte offset/value pairs)
import CHashiData
import Foundation
import HashiKit

enum FuzzTarget: String, CaseIterable {
    case document, dict, glossary, edict, index, model
}

nonisolated(unsafe) var target = FuzzTarget.document
nonisolated(unsafe) var scratch = ""
nonisolated(unsafe) var linker: Linker?
nonisolated(unsafe) var builtinModel: [UInt8] = []

/// Words every model and index is asked about.
let words = ["サーバー", "ドライブ", "インテル", "キリン", "コンピューター", "マシンラーニング", "ジェネレーティブ・エーアイ", "ヴァ", "フアン", "技術"]

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry point as `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("HashiFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv, fuzzOneInput)
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    let name = ProcessInfo.processInfo.environment["HASHI_FUZZ_TARGET"] ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("HASHI_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    target = chosen
    let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    scratch = (directory as NSString).appendingPathComponent("hashi-fuzz-\(getpid())")
    switch chosen {
    case .document: linker = try! Linker(lexicon: Dictionaries.lexicon())
    case .model:
        var length = 0
        let bytes = hashi_translit_model(&length)!
        builtinModel = Array(UnsafeBufferPointer(start: bytes, count: length))
    default: break
    }
    atexit {
        try? FileManager.default.removeItem(atPath: scratch); try? FileManager.default.removeItem(atPath: scratch + ".idx")
    }
    return 0
}

/// Writes `bytes` to `path` (replacing it).
func put(_ bytes: UnsafeBufferPointer<UInt8>, _ path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        precondition(n > 0, "cannot write \(path)")
        done += n
    }
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: size == 0 ? nil : data, count: size)
    switch target {
    case .document: document(bytes)
    case .dict: dictionary(bytes)
    case .glossary: glossary(bytes)
    case .edict: edict(bytes)
    case .index: put(bytes, scratch); index(scratch)
    case .model: model(bytes)
    }
    return 0
}

func document(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let selector = bytes.first else { return }
    let encodings: [TextEncoding?] = [nil, .utf8, .icu("Shift_JIS"), .icu("EUC-JP"), .icu("UTF-16")]
    put(UnsafeBufferPointer(rebasing: bytes.dropFirst()), scratch)
    var reader = DocumentReader(encoding: encodings[Int(selector) % encodings.count])
    reader.chunkSize = 64 + Int(selector) % 7  // lines that straddle reads
    reader.maxLineBytes = 40 + Int(selector) % 200  // and lines cut into pieces
    var text: [UInt8] = []
    do {
        try reader.readLines(of: InputDocument(name: "fuzz", path: scratch)) { line, _ in text.append(contentsOf: line) }
    } catch {
        return
    }
    _ = try? linker!.annotated(text: String(decoding: text, as: UTF8.self))
}

func dictionary(_ bytes: UnsafeBufferPointer<UInt8>) {
    put(bytes, scratch)
    guard let parsed = try? Dictionaries.parse(files: [scratch], source: .user) else { return }
    _ = DictionaryValidator.validate(parsed.entities)
    let lexicon = EntityLexicon(parsed.entities)
    for entity in parsed.entities.prefix(3) { _ = lexicon.lookup(key: MatchKey.of(entity.en)) }
    guard let lookup = try? TermLookup(dictionaries: [scratch]) else { return }
    for query in ["server", "サーバー"] + parsed.entities.prefix(2).map(\.en) { _ = lookup.lookup(query) }
}

func glossary(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard var glossary = try? Glossary.read(json: Data(buffer: bytes), path: "fuzz.json") else { return }
    let copy = glossary
    try? glossary.merge(copy)
    for format in [GlossaryFormat.json, .csv, .tbx] {
        _ = try? GlossaryWriter(format: format).render(glossary, options: GlossaryOptions())
    }
}

func edict(_ bytes: UnsafeBufferPointer<UInt8>) {
    put(bytes, scratch)
    guard let entries = try? EdictImporter.read(scratch, source: .edict), !entries.isEmpty else { return }
    _ = EdictImporter.commonWordsTSV(entries)
    guard (try? EdictIndex.write(entries, to: scratch + ".idx")) != nil else { return }
    index(scratch + ".idx", extra: entries.prefix(3).map(\.headword))
}

func index(_ path: String, extra: [String] = []) {
    guard let index = try? EdictIndex(path: path) else { return }
    for word in words + extra {
        let key = MatchKey.of(word)
        _ = index.best(key: key, surface: word)
        _ = index.lookup(key: key)
    }
}

func model(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let mode = bytes.first else { return }
    if mode == 0 {
        var patched = builtinModel
        var k = 1
        while k + 5 <= bytes.count {
            let offset = Int(bytes[k]) | Int(bytes[k + 1]) << 8 | Int(bytes[k + 2]) << 16 | Int(bytes[k + 3]) << 24
            patched[offset % patched.count] = bytes[k + 4]
            k += 5
        }
        patched.withUnsafeBufferPointer { put($0, scratch) }
    } else {
        put(UnsafeBufferPointer(rebasing: bytes.dropFirst()), scratch)
    }
    guard let model = try? TransliterationModel(contentsOfFile: scratch) else { return }
    let transliterator = BackTransliterator(model: model)
    for word in words.prefix(3) {
        _ = try? transliterator.candidates(for: word)
        _ = transliterator.plausibility(of: "server", for: word)
    }
}
