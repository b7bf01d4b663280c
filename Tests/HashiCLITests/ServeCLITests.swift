import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `hashi serve` started on a free loopback port: a few answers against the
/// command line's. scripts/check-serve.py (run by CI) checks the whole API, the
/// OpenAPI document and the page in a browser.
@Suite("hashi serve", .serialized)
struct ServeCLITests {
    /// The server, its base URL read from its first line on standard error.
    final class Server {
        let process = Process()
        let base: URL

        init(_ extra: [String] = []) throws {
            process.executableURL = CLITests.executable
            process.arguments = ["serve", "--port", "0"] + extra
            var environment = ProcessInfo.processInfo.environment
            environment["HASHI_EDICT_INDEX"] = "/nonexistent/hashi-test.idx"
            environment.removeValue(forKey: "HASHI_DICT")
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var line = Data()
            let deadline = Date().addingTimeInterval(60)
            while !line.contains(0x0A), Date() < deadline {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression) else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "hashi serve did not start: \(text)"])
            }
            base = URL(string: String(text[range]))!
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        func request(_ path: String, method: String = "GET", body: Data? = nil, type: String? = nil) async throws
            -> (status: Int, type: String, body: Data)
        {
            var request = URLRequest(url: URL(string: path, relativeTo: base)!)
            request.httpMethod = method
            request.httpBody = body
            if let type { request.setValue(type, forHTTPHeaderField: "Content-Type") }
            let sent = request
            return try await withCheckedThrowingContinuation { continuation in
                URLSession.shared.dataTask(with: sent) { data, response, error in
                    if let error { return continuation.resume(throwing: error) }
                    let http = response as! HTTPURLResponse
                    continuation.resume(returning: (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data ?? Data()))
                }.resume()
            }
        }
    }

    @Test func answersAsTheCommandLine() async throws {
        let server = try Server()
        let health = try await server.request("healthz")
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self).contains(#""status":"ok""#))

        let lookup = try await server.request("lookup?q=%E3%83%95%E3%82%A1%E3%83%BC%E3%82%A6%E3%82%A7%E3%82%A4")
        let cli = try CLITests.run(["lookup", "--json", "ファーウェイ"])
        #expect(lookup.status == 200)
        #expect(lookup.type == "application/json")
        #expect(String(decoding: lookup.body, as: UTF8.self) == cli.stdout)

        let text = "ファーウェイはAscend 910Cを発表した。ジェンスン・フアンCEOはコメントしなかった。\n"
        let annotated = try await server.request("annotate", method: "POST", body: Data(text.utf8), type: "text/plain")
        let expected = try CLITests.run(["annotate", "--format", "jsonl", "-"], stdin: text)
        #expect(annotated.status == 200)
        #expect(String(decoding: annotated.body, as: UTF8.self) == expected.stdout)

        let csv = try await server.request("glossary?format=csv", method: "POST", body: Data(text.utf8), type: "text/plain")
        let glossary = try CLITests.run(["glossary", "-"], stdin: text)
        #expect(csv.status == 200)
        #expect(csv.type.hasPrefix("text/csv"))
        #expect(String(decoding: csv.body, as: UTF8.self) == glossary.stdout)
    }

    @Test func badInputGetsJSONErrors() async throws {
        let server = try Server(["--max-body", "0.001"])
        let cases: [(String, String, Data?, String?, Int, String)] = [
            ("annotate", "POST", Data([0xE3, 0x83, 0xFF]), "text/plain", 400, "invalid_utf8"),
            ("annotate", "POST", Data("x".utf8), "application/xml", 415, "unsupported_media_type"),
            ("glossary?format=doc", "POST", Data("x".utf8), "text/plain", 400, "unknown_format"),
            ("annotate", "POST", Data(repeating: 0x61, count: 2000), "text/plain", 413, "body_too_large"),
            ("annotate", "GET", nil, nil, 405, "method_not_allowed"),
            ("nowhere", "GET", nil, nil, 404, "not_found"),
        ]
        for (path, method, body, type, status, code) in cases {
            let answer = try await server.request(path, method: method, body: body, type: type)
            #expect(answer.status == status, "\(method) \(path)")
            #expect(answer.type == "application/json", "\(method) \(path)")
            #expect(String(decoding: answer.body, as: UTF8.self).contains(#""code":"\#(code)""#), "\(method) \(path)")
        }
        let health = try await server.request("healthz")
        #expect(health.status == 200)
        // XLSX is a workbook, as hashi glossary --format xlsx writes it.
        let xlsx = try await server.request("glossary?format=xlsx", method: "POST", body: Data("ファーウェイ".utf8), type: "text/plain")
        #expect(xlsx.status == 200 && xlsx.type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(xlsx.body.starts(with: [0x50, 0x4B]))
    }
}
