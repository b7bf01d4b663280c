import Foundation
import HashiKit
import Synchronization

/// The query string: `a=b&c=d`, `+` for a space, %-escapes decoded as UTF-8.
struct Query {
    private(set) var values: [String: String] = [:]

    init(_ string: String?) throws {
        guard let string, !string.isEmpty else { return }
        for pair in string.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            if values[name] != nil {
                throw APIError(400, "invalid_parameter", "parameter \(name) given twice")
            }
            values[name] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// 400 for a parameter the endpoint does not know (a typo should not pass silently).
    func allow(_ names: Set<String>) throws {
        for name in values.keys.sorted() where !names.contains(name) {
            throw APIError(
                400, "unknown_parameter",
                "unknown parameter \(name) (this endpoint takes \(names.sorted().joined(separator: ", ")))")
        }
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = values[name] else { return nil }
        switch value.lowercased() {
        case "", "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError(400, "invalid_parameter", "\(name) must be true or false")
        }
    }

    func language() throws -> LookupLanguage? {
        guard let value = values["to"] else { return nil }
        guard let language = LookupLanguage(rawValue: value) else {
            throw APIError(400, "invalid_parameter", "to must be en or ja")
        }
        return language
    }

    static func decode(_ part: Substring) throws -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(part.utf8)[...]
        while let byte = utf8.popFirst() {
            switch byte {
            case 0x2B: bytes.append(0x20)
            case 0x25:
                guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
                    throw APIError(400, "invalid_query", "a bad %-escape in the query string")
                }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError(
                400, "invalid_utf8",
                "the query string is not valid UTF-8 once decoded (byte offset \(HashiServer.firstInvalidByte(bytes)))")
        }
        return text
    }
}

/// Runs CPU-heavy requests (annotation, glossaries, batches) on their own
/// threads, at most `slots` at once, each with a time limit. When the limit
/// passes, the caller gets ``TimeLimitExceeded`` at once; the work stops at its
/// next check of the deadline and keeps its slot until then, so that timed-out
/// requests cannot pile up work.
final class HeavyQueue: Sendable {
    private let slots: DispatchSemaphore
    private let queue = DispatchQueue(label: "hashi.serve.heavy", attributes: .concurrent)

    init(slots: Int) {
        self.slots = DispatchSemaphore(value: max(1, slots))
    }

    func run<T: Sendable>(timeLimit: Double, _ body: @escaping @Sendable (Deadline) throws -> T) async throws -> T {
        let deadline = Deadline(seconds: timeLimit)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            once.failsAt(deadline.end)
            queue.async { [slots] in
                guard slots.wait(timeout: deadline.end) == .success else {
                    once.resume(with: .failure(TimeLimitExceeded()))
                    return
                }
                defer { slots.signal() }
                if deadline.expired {
                    once.resume(with: .failure(TimeLimitExceeded()))
                    return
                }
                once.resume(with: Result { try body(deadline) })
            }
        }
    }

    /// Resumes a continuation the first time only, and then cancels the request's time-out.
    private final class Once<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var timer: DispatchWorkItem?
        }
        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<T, any Error>) { state = Mutex(State(continuation: continuation)) }

        /// Resumes with ``TimeLimitExceeded`` at `end`, unless resumed before.
        func failsAt(_ end: DispatchTime) {
            state.withLock { state in
                guard state.continuation != nil else { return }
                let timer = DispatchWorkItem { self.resume(with: .failure(TimeLimitExceeded())) }
                state.timer = timer
                DispatchQueue.global().asyncAfter(deadline: end, execute: timer)
            }
        }

        func resume(with result: Result<T, any Error>) {
            let taken = state.withLock { state in
                let taken = state.continuation
                state.continuation = nil
                state.timer?.cancel()
                state.timer = nil
                return taken
            }
            taken?.resume(with: result)
        }
    }
}
