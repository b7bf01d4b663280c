import Foundation
import HashiKit

/// Renders DOT with Graphviz's `dot` command.
enum Graphviz {
    /// Graphviz could not render: `dot` is missing, failed, or could not be started.
    struct Error: Swift.Error, CustomStringConvertible, Sendable {
        /// What went wrong, with `dot`'s own message or the hint to install it.
        let description: String
    }

    /// How to get `dot`, for the message when it is missing.
    static let installHint =
        "install Graphviz and a CJK font (Debian/Ubuntu: sudo apt-get install graphviz fonts-noto-cjk; macOS: brew install graphviz), or write --format dot and render it elsewhere"

    /// `$HASHI_DOT` when set, else `dot` found on `$PATH`.
    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["HASHI_DOT"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `dot -T<format>` on `source` and returns its output.
    static func render(_ source: String, format: String = "svg") throws -> Data {
        guard let dot = executable() else {
            throw Error(description: "--format \(format) needs Graphviz's 'dot', which was not found on PATH: \(installHint)")
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("hashi-graph-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = temporary.appendingPathComponent("graph.dot")
        let output = temporary.appendingPathComponent("graph.\(format)")
        let errors = temporary.appendingPathComponent("errors.txt")
        do {
            try Data(source.utf8).write(to: input)
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dot)
            process.arguments = ["-T\(format)", "-o", output.path, input.path]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                let message =
                    (try? String(contentsOf: errors, encoding: .utf8))?
                    .split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
                throw Error(description: "\(dot) failed: \(message)")
            }
            return try Data(contentsOf: output)
        } catch let error as Error {
            throw error
        } catch {
            throw Error(description: "cannot run \(dot): \(error.localizedDescription)")
        }
    }
}

extension Graphviz.Error: HashiError {}
