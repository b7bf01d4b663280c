import ArgumentParser
import Foundation
import HashiKit
import HashiServe
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve look-ups, annotation and glossaries over HTTP, with a page for translators.",
        discussion: """
            Loads the dictionaries once and answers HTTP requests on this machine:

              GET  /               the page: paste or drop Japanese text, see its
                                   terms highlighted in English, the glossary
                                   (downloads in every format), a look-up box
              GET  /lookup?q=TERM  as 'hashi lookup --json TERM' (&to=en|ja,
                                   &guess=false)
              POST /lookup         a JSON array, {"queries": [...]} or text
                                   lines: a JSON array of such answers
              POST /annotate       text/plain, {"id","text"}, an array of them
                                   or JSON Lines: mentions as 'hashi annotate
                                   --format jsonl' (?format=text: inline)
              POST /glossary       the same bodies: the glossary as JSON, or
                                   CSV, TSV, TBX or pairs (?format= or Accept)
              POST /transliterate  katakana words: 'hashi transliterate --json'
              GET  /healthz, GET /openapi.yaml (the API's description)

            Errors are JSON, {"error": {"status", "code", "message"}}, with the
            HTTP status: 400 invalid UTF-8, JSON or parameters, 404, 405, 406 a
            format it cannot give, 413 a body over --max-body, 415 a content type
            it does not take, 503 past --time-limit.

            Listens on 127.0.0.1 only, unless --host says otherwise (there is no
            authentication: expose it with care). --port 0 takes a free port; the
            address is printed on standard error. Stops on Ctrl-C or SIGTERM.

            Examples:
              hashi serve                       # then open http://127.0.0.1:8080/
              curl 'http://127.0.0.1:8080/lookup?q=ファーウェイ'
              curl -H 'Content-Type: text/plain' --data-binary @article.txt \\
                   'http://127.0.0.1:8080/glossary?format=csv'
            """)

    @Option(name: .long, help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "port"))
    var port = 8080

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address to listen on: 127.0.0.1 is this machine only, 0.0.0.0 every interface.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Largest request body accepted, in MB.", valueName: "MB"))
    var maxBody = 4.0

    @Option(name: .long, help: ArgumentHelp("Longest time a request may take, in seconds.", valueName: "seconds"))
    var timeLimit = 30.0

    @OptionGroup var dictionary: DictionaryOptions
    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if !(maxBody > 0) { throw ValidationError("--max-body must be more than 0") }
        if !(timeLimit > 0) { throw ValidationError("--time-limit must be more than 0") }
    }

    func run() throws {
        try runReportingErrors {
            let service = try TermService(
                userDictionaries: Environment.userDictionaryPaths(dictionary.dictionaries),
                edict: try dictionary.edict())
            var configuration = ServeConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.maxBodyBytes = Int(maxBody * 1_048_576)
            configuration.timeLimit = timeLimit
            configuration.workers = threadOptions.count
            configuration.version = Hashi.configuration.version
            let server = HashiServer(service: service, configuration: configuration)
            let entities = service.lexicon.visibleCount
            let edict = service.edict != nil ? ", EDICT index" : ""
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await server.run { host, port in
                        let shown = host.contains(":") ? "[\(host)]" : host
                        Diagnostics.status("hashi serve: http://\(shown):\(port)/ (\(entities) entities\(edict); Ctrl-C stops)")
                    }
                } catch {
                    outcome.error.withLock { $0 = error }
                }
                done.signal()
            }
            done.wait()
            if let error = outcome.error.withLock({ $0 }) {
                Diagnostics.error("cannot serve on \(host):\(port): \(error)")
                return false
            }
            return true
        }
    }

    /// The server's error, handed from its task to the main thread.
    private final class Outcome: Sendable {
        let error = Mutex<(any Error)?>(nil)
    }
}
