import Foundation
import HashiKit

/// What the command line takes from the environment (the library reads none of
/// it: it is given paths).
enum Environment {
    /// The variable listing user dictionaries (files or directories, `:`-separated).
    static let dictionaryVariable = "HASHI_DICT"

    /// User dictionaries: the `--dict` options, then `$HASHI_DICT`'s entries.
    static func userDictionaryPaths(_ options: [String]) -> [String] {
        let env = ProcessInfo.processInfo.environment[dictionaryVariable]?.split(separator: ":").map(String.init) ?? []
        return options + env.filter { !$0.isEmpty }
    }

    /// Where `hashi dict import` writes the EDICT index and where hashi looks for it:
    /// `$HASHI_EDICT_INDEX`, else `$XDG_DATA_HOME/hashi/edict.idx`, else
    /// `~/.local/share/hashi/edict.idx`.
    static var edictIndexPath: String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["HASHI_EDICT_INDEX"], !path.isEmpty { return path }
        let base =
            env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("hashi/edict.idx")
    }

    /// The index at ``edictIndexPath`` if it exists; a file there that is not a
    /// valid index is an error (rebuild it), not silently ignored.
    static func openEdictIndex() throws -> EdictIndex? {
        let path = edictIndexPath
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try EdictIndex(path: path)
    }
}
