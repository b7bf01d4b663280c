/// Cross-row checks of a set of dictionaries: duplicate ids, relations that
/// point nowhere, and two entities claiming the same match key with no way to
/// tell them apart (neither has context cues).
public enum DictionaryValidator {
    /// Checks `entities` (every dictionary to be used together) and returns the problems found,
    /// sorted by file and line; an empty array means no problem.
    ///
    /// Ids need only be unique within one ``EntitySource`` (a user entry may reuse a curated id).
    /// Issues are placed with each entity's ``Entity/location``; all are errors except a Japanese
    /// form whose match key is empty, which is a warning.
    public static func validate(_ entities: [Entity]) -> [DictionaryIssue] {
        var issues: [DictionaryIssue] = []
        func issue(_ entity: Entity, _ message: String, _ severity: DictionaryIssue.Severity = .error) {
            let parts = entity.location.split(separator: ":")
            let line = parts.last.flatMap { Int($0) } ?? 0
            let file = parts.dropLast().joined(separator: ":")
            issues.append(DictionaryIssue(file: file, line: line, message: message, severity: severity))
        }
        var firstByID: [String: Entity] = [:]
        for entity in entities {
            if let first = firstByID[entity.id], first.source == entity.source {
                issue(entity, "duplicate id '\(entity.id)' (first at \(first.location))")
            } else if firstByID[entity.id] == nil {
                firstByID[entity.id] = entity
            }
        }
        for entity in entities {
            for relation in entity.relations where firstByID[relation.target] == nil {
                issue(entity, "\(entity.id): relation \(relation.kind.rawValue):\(relation.target) points to no entity")
            }
        }
        // Key conflicts.
        var claims: [String: [Entity]] = [:]
        for entity in entities {
            var seen = Set<String>()
            for form in entity.ja {
                let key = MatchKey.of(form)
                if key.isEmpty {
                    issue(entity, "\(entity.id): Japanese form '\(form)' has an empty match key", .warning)
                    continue
                }
                if seen.insert(key).inserted { claims[key, default: []].append(entity) }
            }
        }
        for key in claims.keys.sorted() {
            let owners = claims[key]!
            let ids = Set(owners.map(\.id))
            guard ids.count > 1 else { continue }
            for entity in owners where entity.context.isEmpty {
                let others = owners.filter { $0.id != entity.id }.map { "\($0.id) (\($0.location))" }.joined(separator: ", ")
                issue(
                    entity,
                    "\(entity.id): Japanese form with key '\(key)' is also claimed by \(others); add context cues to tell them apart")
            }
        }
        return issues.sorted { ($0.file, $0.line, $0.message) < ($1.file, $1.line, $1.message) }
    }
}
