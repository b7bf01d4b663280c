import CHashiICU

/// An ICU collator (`UCollator`), owned: closed in `deinit`.
/// `ucol_strcoll` and `ucol_getSortKey` are thread-safe on a shared collator.
public final class Collator: @unchecked Sendable {
    /// The ICU locale id whose collation rules the collator uses.
    public let locale: String
    private let handle: OpaquePointer

    /// Opens a collator for `locale` (an ICU locale id; default `ja`). Opening is costly:
    /// for Japanese, reuse the shared ``japanese``. Throws ``ICUError`` when ICU cannot open it.
    public init(locale: String = "ja") throws(ICUError) {
        var status: Int32 = 0
        let opened = hashi_collator_open(locale, &status)
        try status.check("opening the collator for locale \(locale)")
        guard let opened else { throw ICUError(code: 1, operation: "opening a collator") }
        self.handle = opened
        self.locale = locale
    }

    deinit { hashi_collator_close(handle) }

    /// The shared Japanese collator (opening one is costly; reuse this).
    public static let japanese: Collator? = try? Collator(locale: "ja")

    /// Compares two strings by the collation rules: -1 when `a` sorts before `b`, 0 when
    /// they are equal for collation, 1 when `a` sorts after `b`.
    public func compare(_ a: String, _ b: String) -> Int {
        let ua = Array(a.utf16), ub = Array(b.utf16)
        return Int(
            ua.withUnsafeBufferPointer { pa in
                ub.withUnsafeBufferPointer { pb in
                    hashi_collator_compare(handle, pa.baseAddress, Int32(pa.count), pb.baseAddress, Int32(pb.count))
                }
            })
    }

    /// A binary sort key: comparing keys bytewise orders strings like `compare`.
    public func sortKey(_ text: String) -> [UInt8] {
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { src in
            var capacity = src.count * 4 + 16
            while true {
                var key = [UInt8](repeating: 0, count: capacity)
                let length = Int(hashi_collator_sort_key(handle, src.baseAddress, Int32(src.count), &key, Int32(capacity)))
                if length <= capacity {
                    // The key ends with a 0 byte that ICU counts in length.
                    return Array(key[0..<max(length - 1, 0)])
                }
                capacity = length
            }
        }
    }
}
