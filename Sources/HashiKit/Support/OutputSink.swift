import Foundation
import Synchronization

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
    /// Written in place (a device, FIFO or link to one): no temporary file.
    private var direct = false
    private var temporarySlot: Int?

    /// Errors writing output.
    public struct WriteError: Error, CustomStringConvertible {
        /// The file that could not be written, or `standard output`.
        public let path: String
        /// The system's message for the failure (`strerror`).
        public let reason: String
        /// The error as one line, `path: cannot write: reason`.
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
        var path = path
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            // A device, a FIFO, a link to a terminal or a pipe: written directly (a
            // file renamed over it would replace the device or the link).
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
            if opened < 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            fd = opened
            target = path
            temporary = nil
            direct = true
            buffer.reserveCapacity(flushThreshold * 2)
            return
        }
        // A symbolic link to a regular file: the file it names is replaced, the link stays.
        var linkInfo = stat()
        if lstat(path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) {
            path = String(cString: resolved)
            free(resolved)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var template = Array((dir + "/.hashi-\((path as NSString).lastPathComponent).XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if made < 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        fd = made
        target = path
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.temporary = temporary
        // Removed on SIGINT or SIGTERM too.
        temporarySlot = TemporaryFiles.register(temporary)
        buffer.reserveCapacity(flushThreshold * 2)
    }

    deinit {
        if let temporary, !committed {
            close(fd)
            unlink(temporary)
        }
        if direct && !committed { close(fd) }
        if let temporarySlot { TemporaryFiles.unregister(temporarySlot) }
    }

    /// Appends `bytes` to the buffer, writing it out once it holds 64 KiB or more.
    /// - Throws: ``WriteError`` when writing out fails.
    @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends the UTF-8 of `string` to the buffer, writing it out once it holds 64 KiB or more.
    /// - Throws: ``WriteError`` when writing out fails.
    @inline(__always)
    public func write(_ string: String) throws {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends one byte to the buffer, writing it out once it holds 64 KiB or more.
    /// - Throws: ``WriteError`` when writing out fails.
    @inline(__always)
    public func write(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes the buffered bytes to the output (the temporary file for a file target), retrying interrupted writes; a
    /// memory sink keeps them.
    /// - Throws: ``WriteError`` when the system write fails (the buffered bytes are then dropped).
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
        if direct, let target {
            committed = true
            if close(fd) != 0 { throw WriteError(path: target, reason: String(cString: strerror(errno))) }
            return
        }
        guard let target, let temporary else { return }
        if fsync(fd) != 0 || close(fd) != 0 {
            throw WriteError(path: target, reason: String(cString: strerror(errno)))
        }
        committed = true
        if let temporarySlot { TemporaryFiles.unregister(temporarySlot) }
        temporarySlot = nil
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

/// Temporary output files to remove when SIGINT or SIGTERM ends the process
/// (the handler may only call async-signal-safe functions: it walks a fixed
/// table of C strings, unlinks them, and re-raises the signal).
enum TemporaryFiles {
    static let capacity = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    /// Guards the table (the handler only reads it) and whether the handlers are installed.
    private static let installed = Mutex(false)

    /// Registers `path`; nil when the table is full (the file is still removed
    /// on errors and normal exits, only not on a signal).
    static func register(_ path: String) -> Int? {
        installed.withLock { installed in register(path, installed: &installed) }
    }

    private static func register(_ path: String, installed: inout Bool) -> Int? {
        if !installed {
            installed = true
            var unblock = sigset_t()
            sigemptyset(&unblock)
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                let previous = signal(sig) { sig in
                    for k in 0..<TemporaryFiles.capacity {
                        if let path = TemporaryFiles.slots[k] { unlink(path) }
                    }
                    signal(sig, SIG_DFL)
                    raise(sig)
                }
                // A signal the parent ignores (nohup) stays ignored.
                if let previous, unsafeBitCast(previous, to: Int.self) == 1 /* SIG_IGN */ {
                    signal(sig, SIG_IGN)
                } else {
                    sigaddset(&unblock, sig)
                }
            }
            // Blocked signals (a parent's mask is inherited) would wait until exit.
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        }
        for k in 0..<capacity where slots[k] == nil {
            slots[k] = strdup(path)
            return k
        }
        return nil
    }

    static func unregister(_ slot: Int) {
        installed.withLock { _ in
            let path = slots[slot]
            slots[slot] = nil
            free(path)
        }
    }
}

extension OutputSink.WriteError: HashiError {}
