import Foundation
import HashiKit

/// Longest line of standard input taken as one query (bytes): memory stays
/// bounded on endless input without line breaks.
let maxQueryLineBytes = 1 << 16

/// Calls `body` with every line of file descriptor `fd` (without its line break;
/// a final line without one counts too), and `afterChunk` after the lines of
/// each read, so that answers flow while the input is still open. A line over
/// ``maxQueryLineBytes`` is an error naming its number.
func forEachLine(of fd: Int32, _ body: (String) throws -> Void, afterChunk: () throws -> Void) throws {
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var lineNumber = 0
    func tooLong() -> InputError {
        .unreadable(path: "standard input", reason: "line \(lineNumber + 1) is longer than \(maxQueryLineBytes) bytes")
    }
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw InputError.unreadable(path: "standard input", reason: String(cString: strerror(errno)))
        }
        if n == 0 { break }
        var start = 0
        for i in 0..<n where chunk[i] == 0x0A {
            if pending.count + (i - start) > maxQueryLineBytes { throw tooLong() }
            lineNumber += 1
            if pending.isEmpty {
                try body(line(chunk[start..<i]))
            } else {
                pending.append(contentsOf: chunk[start..<i])
                try body(line(pending[...]))
                pending.removeAll(keepingCapacity: true)
            }
            start = i + 1
        }
        if pending.count + (n - start) > maxQueryLineBytes { throw tooLong() }
        pending.append(contentsOf: chunk[start..<n])
        try afterChunk()
    }
    if !pending.isEmpty { try body(line(pending[...])) }
}

private func line(_ bytes: ArraySlice<UInt8>) -> String {
    var bytes = bytes
    if bytes.last == 0x0D { bytes = bytes.dropLast() }
    return String(decoding: bytes, as: UTF8.self)
}
