import CHashiServeAssets
import Foundation
import HashiKit
import Hummingbird
import Logging

/// A header name (HTTPTypes' `HTTPField.Name`, reached through Hummingbird's `HTTPFields`).
typealias FieldName = HTTPFields.Element.Name

/// Settings of `hashi serve`.
public struct ServeConfiguration: Sendable {
    /// The address to listen on: a host name or IP address. The default, loopback, keeps
    /// the server local (and then only requests naming a loopback host are answered).
    public var host = "127.0.0.1"
    /// 0: any free port (the one chosen is reported to `onListening`).
    public var port = 8080
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes = 4 << 20
    /// Longest a request may take, in seconds.
    public var timeLimit = 30.0
    /// Requests that annotate, build glossaries or transliterate at once (each on a core).
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// What /healthz reports as the version.
    public var version = ""

    /// The defaults: loopback on port 8080, 4 MiB bodies, 30 s per request, a worker per core.
    public init() {}

    /// Whether `host` names a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }
}

/// An error answered as `{"error": {"status", "code", "message"}}`.
public struct APIError: Error, Sendable {
    /// The HTTP status code (400, 404, 503, ...).
    public var status: Int
    /// A stable, machine-readable error code in snake case (`invalid_parameter`, `time_limit`).
    public var code: String
    /// A one-line explanation for people.
    public var message: String
    /// Extra response headers as (name, value) pairs, such as `Allow` for a 405.
    public var headers: [(String, String)] = []

    /// Creates an error answered with HTTP `status`, machine-readable `code` and human `message`.
    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    var json: [UInt8] {
        Array("{\"error\":{\"status\":\(status),\"code\":\(TermService.quoted(code)),\"message\":\(TermService.quoted(message))}}\n".utf8)
    }
}

/// The HTTP side of `hashi serve`: routes, request parsing, limits and errors, over a ``TermService``.
public struct HashiServer: Sendable {
    /// The service that computes the answers.
    public let service: TermService
    /// The settings the server runs with (address, limits, workers).
    public let configuration: ServeConfiguration
    let heavy: HeavyQueue

    /// Creates a server for `service`; nothing listens until ``run(onListening:)``.
    public init(service: TermService, configuration: ServeConfiguration) {
        self.service = service
        self.configuration = configuration
        self.heavy = HeavyQueue(slots: configuration.workers)
    }

    /// Every path and the methods it answers (HEAD too, for each GET). The OpenAPI
    /// document describes exactly these; a test checks both ways.
    public static let routes: [(path: String, methods: [String])] = [
        ("/", ["GET"]), ("/app.js", ["GET"]), ("/style.css", ["GET"]), ("/openapi.yaml", ["GET"]),
        ("/healthz", ["GET"]), ("/lookup", ["GET", "POST"]), ("/annotate", ["POST"]),
        ("/glossary", ["POST"]), ("/transliterate", ["POST"]),
    ]

    /// Serves until SIGINT or SIGTERM. `onListening` gets the address the server listens on.
    public func run(onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        var logger = Logger(label: "hashi-serve")
        logger.logLevel = .warning
        let responder = Responder(server: self)
        let host = configuration.host
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .seconds(75))),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "hashi"),
            onServerRunning: { channel in
                onListening(host, channel.localAddress?.port ?? 0)
            },
            logger: logger)
        try await app.runService()
    }

    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let server: HashiServer

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            let head = request.method == .head
            var response: Response
            do {
                response = try await server.route(request)
            } catch let error as APIError {
                response = Self.error(error)
            } catch is TimeLimitExceeded {
                response = Self.error(
                    APIError(
                        503, "time_limit",
                        "the request took longer than the time limit of \(Self.seconds(server.configuration.timeLimit)) s (--time-limit)"))
            } catch {
                response = Self.error(APIError(500, "internal", "\(error)"))
            }
            return head ? response.createHeadResponse() : response
        }

        static func seconds(_ s: Double) -> String {
            s == s.rounded() ? String(Int(s)) : String(s)
        }

        static func error(_ error: APIError) -> Response {
            var response = HashiServer.response(
                ServeOutput(contentType: "application/json", bytes: error.json),
                status: error.status)
            for (name, value) in error.headers {
                if let field = FieldName(name) { response.headers[field] = value }
            }
            return response
        }
    }

    static func response(_ output: ServeOutput, status: Int = 200, extra: [(FieldName, String)] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = output.contentType
        headers[.contentLength] = String(output.bytes.count)
        headers[FieldName("X-Content-Type-Options")!] = "nosniff"
        headers[.cacheControl] = "no-store"
        if let filename = output.filename {
            headers[.contentDisposition] = "inline; filename=\"\(filename)\""
        }
        for (name, value) in extra { headers[name] = value }
        var buffer = ByteBufferAllocator().buffer(capacity: output.bytes.count)
        buffer.writeBytes(output.bytes)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: buffer))
    }

    // MARK: Routing

    func route(_ request: Request) async throws -> Response {
        try checkHost(request)
        let path = request.uri.path
        guard let route = Self.routes.first(where: { $0.path == path }) else {
            throw APIError(404, "not_found", "no such path: \(path) (see /openapi.yaml)")
        }
        var method = request.method.rawValue
        if method == "HEAD" && route.methods.contains("GET") { method = "GET" }
        guard route.methods.contains(method) else {
            var error = APIError(
                405, "method_not_allowed",
                "\(path) answers \(route.methods.joined(separator: " and ")), not \(request.method.rawValue)")
            error.headers = [("Allow", (route.methods + (route.methods.contains("GET") ? ["HEAD"] : [])).joined(separator: ", "))]
            throw error
        }
        let query = try Query(request.uri.query)
        switch (path, method) {
        case ("/", _): return asset("index.html", "text/html; charset=utf-8", page: true)
        case ("/app.js", _): return asset("app.js", "text/javascript; charset=utf-8")
        case ("/style.css", _): return asset("style.css", "text/css; charset=utf-8")
        case ("/openapi.yaml", _): return asset("openapi.yaml", "application/yaml; charset=utf-8")
        case ("/healthz", _): return health()
        case ("/lookup", "GET"): return try lookupOne(query)
        case ("/lookup", _): return try await lookupMany(request, query)
        case ("/annotate", _): return try await annotate(request, query)
        case ("/glossary", _): return try await glossary(request, query)
        default: return try await transliterate(request, query)
        }
    }

    /// With a loopback address, only requests naming a loopback host are answered:
    /// a web page elsewhere cannot reach the service through DNS rebinding.
    func checkHost(_ request: Request) throws {
        guard configuration.isLoopback else { return }
        let host = request.head.authority ?? ""
        var name = host
        if name.hasPrefix("[") {
            name = String(name.prefix { $0 != "]" }) + "]"
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        if !name.isEmpty && !ServeConfiguration.isLoopback(name) {
            throw APIError(
                421, "host_not_allowed",
                "this server listens on loopback only and answers requests for localhost, not \(host)")
        }
    }

    func asset(_ name: String, _ type: String, page: Bool = false) -> Response {
        var length = 0
        guard let bytes = hashi_serve_asset(name, &length) else {
            return Responder.error(APIError(404, "not_found", "no asset \(name)"))
        }
        var extra: [(FieldName, String)] = []
        if page {
            extra.append(
                (
                    .contentSecurityPolicy,
                    "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data: blob:; connect-src 'self'"
                ))
        }
        return Self.response(
            ServeOutput(contentType: type, bytes: Array(UnsafeBufferPointer(start: bytes, count: length))),
            extra: extra)
    }

    func health() -> Response {
        let json = """
            {"status":"ok","version":\(TermService.quoted(configuration.version)),"entities":\(service.lexicon.visibleCount),\
            "edict":\(service.edict != nil),"workers":\(configuration.workers),"max_body_bytes":\(configuration.maxBodyBytes),\
            "time_limit_seconds":\(configuration.timeLimit)}

            """
        return Self.response(ServeOutput(contentType: "application/json", bytes: Array(json.utf8)))
    }

    // MARK: Look-up

    func lookupOne(_ query: Query) throws -> Response {
        guard let q = query["q"] else {
            throw APIError(400, "missing_parameter", "give the term to look up as ?q=")
        }
        try query.allow(["q", "to", "guess"])
        let to = try query.language()
        let guess = try query.bool("guess") ?? true
        try checkQuery(q)
        // A single look-up takes microseconds (a guess about 2 ms): answered here.
        let output = try service.lookup([q], to: to, guess: guess, array: false)
        return Self.response(output)
    }

    func checkQuery(_ q: String) throws {
        if q.unicodeScalars.count > 1000 {
            throw APIError(400, "query_too_long", "a query has at most 1000 characters")
        }
    }

    func lookupMany(_ request: Request, _ query: Query) async throws -> Response {
        try query.allow(["to", "guess"])
        var to = try query.language()
        var guess = try query.bool("guess") ?? true
        let body = try await readBody(request)
        let queries: [String]
        switch try mediaType(request, accepting: ["application/json", "text/plain"]) {
        case "text/plain":
            queries = try Self.utf8(body).split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(String.init)
        default:
            let json = try Self.json(body)
            if let list = json as? [Any] {
                queries = try Self.strings(list, what: "the body")
            } else if let object = json as? [String: Any] {
                guard let list = object["queries"] as? [Any] else {
                    throw APIError(400, "invalid_body", "expected {\"queries\": [\"…\"]} or a JSON array of strings")
                }
                queries = try Self.strings(list, what: "queries")
                if let t = object["to"] {
                    guard let s = t as? String, let lang = LookupLanguage(rawValue: s) else {
                        throw APIError(400, "invalid_parameter", "to must be \"en\" or \"ja\"")
                    }
                    to = lang
                }
                if let g = object["guess"] {
                    guard let b = g as? Bool else { throw APIError(400, "invalid_parameter", "guess must be true or false") }
                    guess = b
                }
            } else {
                throw APIError(400, "invalid_body", "expected {\"queries\": [\"…\"]} or a JSON array of strings")
            }
        }
        for q in queries { try checkQuery(q) }
        let forced = to, guessing = guess
        let output = try await heavy.run(timeLimit: configuration.timeLimit) { deadline in
            try service.lookup(queries, to: forced, guess: guessing, array: true, deadline: deadline)
        }
        return Self.response(output)
    }

    // MARK: Annotation and glossary

    func annotate(_ request: Request, _ query: Query) async throws -> Response {
        try query.allow(["format", "linked_only"])
        let format: MentionFormat
        switch query["format"] ?? "jsonl" {
        case "jsonl": format = .jsonl
        case "text": format = .text
        case let other: throw APIError(400, "unknown_format", "unknown format \(other): use jsonl or text")
        }
        let linkedOnly = try query.bool("linked_only") ?? false
        let documents = try await readDocuments(request)
        let output = try await heavy.run(timeLimit: configuration.timeLimit) { deadline in
            try service.annotate(documents, format: format, linkedOnly: linkedOnly, deadline: deadline)
        }
        return Self.response(output)
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The glossary format: `?format=` first, else the `Accept` header, else JSON.
    func glossaryFormat(_ request: Request, _ query: Query) throws -> GlossaryFormat {
        if let name = query["format"] {
            if let format = GlossaryFormat(rawValue: name.lowercased()) { return format }
            throw APIError(400, "unknown_format", "unknown format \(name): use csv, tsv, tbx, json, pairs or xlsx")
        }
        guard let accept = request.headers[.accept], !accept.isEmpty else { return .json }
        let byType: [String: GlossaryFormat] = [
            "application/json": .json, "text/csv": .csv, "text/tab-separated-values": .tsv,
            "application/x-tbx+xml": .tbx, "application/tbx+xml": .tbx, "application/xml": .tbx, "text/xml": .tbx,
            Self.xlsxType: .xlsx,
        ]
        // Highest quality first; ties in the order given.
        var ranges: [(type: String, q: Double, order: Int)] = []
        for (k, part) in accept.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = pieces.first, !type.isEmpty else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 1 }
            if q > 0 { ranges.append((type, q, k)) }
        }
        ranges.sort { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }
        for range in ranges {
            if let format = byType[range.type] { return format }
            if range.type == "*/*" || range.type == "application/*" { return .json }
            if range.type == "text/*" { return .csv }
        }
        throw APIError(
            406, "not_acceptable",
            "cannot answer with \(accept): accept application/json, text/csv, text/tab-separated-values, application/x-tbx+xml or \(Self.xlsxType) (or use ?format=)"
        )
    }

    func glossary(_ request: Request, _ query: Query) async throws -> Response {
        try query.allow(["format", "min_count", "types", "sort", "linked_only", "bom"])
        let format = try glossaryFormat(request, query)
        var options = GlossaryOptions()
        if let n = query["min_count"] {
            guard let count = Int(n), count >= 1 else {
                throw APIError(400, "invalid_parameter", "min_count must be a whole number of at least 1")
            }
            options.minCount = count
        }
        var guesses = true
        if let types = query["types"] {
            var set = Set<EntityType>()
            guesses = false
            for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                if name.lowercased() == "guess" { guesses = true; continue }
                guard let type = EntityType(rawValue: name.uppercased()) else {
                    throw APIError(400, "invalid_parameter", "types: unknown type \(name) (use ORG, PRODUCT, PERSON, PLACE, TERM, guess)")
                }
                set.insert(type)
            }
            options.types = set
        }
        let linkedOnly = try query.bool("linked_only") ?? false
        options.includeGuesses = guesses && !linkedOnly
        if let sort = query["sort"] {
            guard let order = GlossaryOptions.Order(rawValue: sort) else {
                throw APIError(400, "invalid_parameter", "sort must be count, ja or en")
            }
            options.order = order
        }
        let bom = try query.bool("bom") ?? false
        let documents = try await readDocuments(request)
        let chosen = options
        let output = try await heavy.run(timeLimit: configuration.timeLimit) { deadline in
            try service.glossary(documents, format: format, options: chosen, bom: bom, deadline: deadline)
        }
        return Self.response(output)
    }

    // MARK: Transliteration

    func transliterate(_ request: Request, _ query: Query) async throws -> Response {
        try query.allow(["top"])
        var top = 5
        if let t = query["top"] {
            guard let n = Int(t), (1...50).contains(n) else {
                throw APIError(400, "invalid_parameter", "top must be a whole number from 1 to 50")
            }
            top = n
        }
        let body = try await readBody(request)
        let words: [String]
        switch try mediaType(request, accepting: ["application/json", "text/plain"]) {
        case "text/plain":
            words = try Self.utf8(body).split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).map(String.init)
        default:
            let json = try Self.json(body)
            if let list = json as? [Any] {
                words = try Self.strings(list, what: "the body")
            } else if let object = json as? [String: Any], let list = object["words"] as? [Any] {
                words = try Self.strings(list, what: "words")
                if let t = object["top"] {
                    guard let n = t as? Int, (1...50).contains(n) else {
                        throw APIError(400, "invalid_parameter", "top must be a whole number from 1 to 50")
                    }
                    top = n
                }
            } else {
                throw APIError(400, "invalid_body", "expected {\"words\": [\"…\"]} or a JSON array of strings")
            }
        }
        for w in words { try checkQuery(w) }
        let n = top
        let output = try await heavy.run(timeLimit: configuration.timeLimit) { deadline in
            try service.transliterate(words, top: n, deadline: deadline)
        }
        return Self.response(output)
    }

    // MARK: Request bodies

    /// The body, at most ``ServeConfiguration/maxBodyBytes``.
    func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        let tooLarge = APIError(
            413, "body_too_large",
            "the request body is larger than the limit of \(limit) bytes (--max-body)")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            if bytes.count + chunk.readableBytes > limit { throw tooLarge }
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    /// The request's media type, one of `accepting` (without parameters); 415 otherwise,
    /// or when a charset other than UTF-8 is named.
    func mediaType(_ request: Request, accepting: [String]) throws -> String {
        let header = request.headers[.contentType] ?? ""
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let type = parts.first ?? ""
        let known = accepting.joined(separator: ", ")
        guard accepting.contains(type) else {
            throw APIError(
                415, "unsupported_media_type",
                header.isEmpty
                    ? "no Content-Type: send one of \(known)"
                    : "Content-Type \(header) is not accepted here: send one of \(known)")
        }
        for p in parts.dropFirst() where p.hasPrefix("charset=") {
            let charset = p.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if charset != "utf-8" && charset != "utf8" {
                throw APIError(415, "unsupported_charset", "only UTF-8 is accepted, not charset \(charset)")
            }
        }
        return type
    }

    /// Documents from text/plain (one document, named `-` as standard input is),
    /// application/json (`{"id","text"}` or an array of them) or application/x-ndjson
    /// (one `{"id","text"}` a line).
    func readDocuments(_ request: Request) async throws -> [ServeDocument] {
        let type = try mediaType(request, accepting: ["text/plain", "application/json", "application/x-ndjson", "application/jsonl"])
        let body = try await readBody(request)
        switch type {
        case "text/plain":
            var text = try Self.utf8(body)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return [ServeDocument(id: "-", text: text)]
        case "application/json":
            let json = try Self.json(body)
            if let list = json as? [Any] {
                return try list.enumerated().map { k, item in try Self.document(item, index: k + 1) }
            }
            return [try Self.document(json, index: 1)]
        default:
            let text = try Self.utf8(body)
            var documents: [ServeDocument] = []
            for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty { continue }
                do {
                    documents.append(try Self.document(try Self.json(Array(line.utf8)), index: documents.count + 1))
                } catch let error as APIError {
                    throw APIError(400, error.code, "line \(k + 1): \(error.message)")
                }
            }
            return documents
        }
    }

    static func document(_ json: Any, index: Int) throws -> ServeDocument {
        if let text = json as? String { return ServeDocument(id: "\(index)", text: text) }
        guard let object = json as? [String: Any], let text = object["text"] as? String else {
            throw APIError(400, "invalid_body", "a document is {\"id\": \"…\", \"text\": \"…\"} (id optional)")
        }
        var id = "\(index)"
        if let value = object["id"] {
            if let s = value as? String {
                id = s
            } else if let n = value as? NSNumber {
                id = n.stringValue
            } else {
                throw APIError(400, "invalid_body", "a document's id is a string or a number")
            }
        }
        return ServeDocument(id: id, text: text)
    }

    /// The body as text; 400 with the byte offset of the first invalid byte.
    static func utf8(_ bytes: [UInt8]) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        throw APIError(
            400, "invalid_utf8",
            "the request body is not valid UTF-8 (byte offset \(firstInvalidByte(bytes)))")
    }

    /// The offset of the first byte that does not start a well-formed UTF-8
    /// sequence (Unicode's table 3-7), or the count when all are fine.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= bytes.count, (lower...upper).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return i
    }

    static func json(_ bytes: [UInt8]) throws -> Any {
        _ = try utf8(bytes)
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw APIError(400, "invalid_json", "the request body is not valid JSON")
        }
    }

    static func strings(_ list: [Any], what: String) throws -> [String] {
        try list.map {
            guard let s = $0 as? String else { throw APIError(400, "invalid_body", "\(what): expected strings") }
            return s
        }
    }
}
