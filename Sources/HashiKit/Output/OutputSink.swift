import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered output to standard output or to a file that appears only when
/// complete: bytes go to a temporary file beside the target, renamed into
/// place by ``commit()``. Without a commit (an error, a crash) the target is
/// untouched and the temporary file is removed.
public final class OutputSink {
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let fd: Int32
    private let target: String?
    private let temporary: String?
    private var committed = false
    private let flushThreshold = 1 << 16

    /// Errors writing output.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write: \(reason)" }
    }

    /// Writes to standard output.
    public init() {
        fd = 1
        target = nil
        temporary = nil
        buffer.reserveCapacity(flushThreshold * 2)
    }

    /// Keeps the bytes in memory (``collected``), for a server that answers with
    /// what a command prints.
    public static func memory() -> OutputSink { OutputSink(fd: -1) }

    private init(fd: Int32) {
        self.fd = fd
        target = nil
        temporary = nil
    }

    /// Everything written so far, for a sink made by ``memory()``.
    public var collected: [UInt8] { buffer }

    /// Writes to `path` atomically (`-` means standard output).
    public init(path: String) throws {
        if path == "-" {
            fd = 1
            target = nil
            temporary = nil
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var template = Array((dir + "/.hashi-\((path as NSString).lastPathComponent).XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if made < 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        fd = made
        target = path
        temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        buffer.reserveCapacity(flushThreshold * 2)
    }

    deinit {
        if let temporary, !committed {
            close(fd)
            unlink(temporary)
        }
    }

    @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    @inline(__always)
    public func write(_ string: String) throws {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= flushThreshold { try flush() }
    }

    @inline(__always)
    public func write(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func flush() throws {
        guard fd >= 0 else { return }  // in memory
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeAll(keepingCapacity: true)
                throw WriteError(path: target ?? "standard output", reason: reason)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file output, syncs and renames it into place.
    public func commit() throws {
        try flush()
        guard let target, let temporary else { return }
        if fsync(fd) != 0 || close(fd) != 0 {
            throw WriteError(path: target, reason: String(cString: strerror(errno)))
        }
        committed = true
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: target, reason: reason)
        }
        // mkstemp creates 0600; give the file the usual permissions (umask applies).
        let mask = umask(0)
        umask(mask)
        chmod(target, 0o666 & ~mask)
    }
}
