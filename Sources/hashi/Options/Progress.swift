import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Progress on standard error (through ``Diagnostics``): documents, MB, MB/s and, when the total is
/// known, percent and ETA. At most a few updates a second; a final newline.
final class Progress {
    let enabled: Bool
    let totalBytes: Int?
    private var bytes = 0, documents = 0
    private let start = Date()
    private var lastShown = Date.distantPast

    init(enabled: Bool, totalBytes: Int?) {
        self.enabled = enabled
        self.totalBytes = totalBytes
    }

    func advance(bytes: Int) {
        self.bytes += bytes
        documents += 1
        guard enabled, Date().timeIntervalSince(lastShown) >= 0.2 else { return }
        show()
    }

    private func show() {
        lastShown = Date()
        let seconds = max(0.001, Date().timeIntervalSince(start))
        let mb = Double(bytes) / 1e6
        var line = String(format: "\r%d documents, %.1f MB, %.1f MB/s", documents, mb, mb / seconds)
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytes) / Double(totalBytes))
            line += String(format: ", %3.0f%%", fraction * 100)
            if fraction > 0 { line += String(format: ", ETA %.0f s", seconds / fraction - seconds) }
        }
        line += "   "
        Diagnostics.write(line)
    }

    func finish() {
        guard enabled, documents > 0 else { return }
        show()
        Diagnostics.write("\n")
    }
}
