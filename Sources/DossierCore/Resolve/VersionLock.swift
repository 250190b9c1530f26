import Foundation

/// `versions.lock`: the public record of what was published. One entry per published update:
/// a fingerprint of its file, how many corrections it carried, and the fact box published with it.
public struct VersionLock: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var sha256: String
        public var corrections: Int
        public var facts: [LockedFact]
    }

    public struct LockedFact: Sendable, Hashable, Codable {
        public var label: String
        public var value: String
        public var source: String?
    }

    public var format: Int
    /// Keyed `<slug>/<date>`.
    public var updates: [String: Entry]

    public init(format: Int = 1, updates: [String: Entry] = [:]) {
        self.format = format
        self.updates = updates
    }

    static func key(_ slug: String, _ date: IsoDate) -> String { "\(slug)/\(date)" }

    static func fingerprint(_ text: String) -> String {
        Digest.sha256(text: text)
    }

    /// Parses the lock file; a damaged lock is an error, never silently replaced. A lock with a
    /// merge conflict (two branches each published updates) is read as both sides together,
    /// with a warning that the build writes the merged record.
    static func parse(_ file: SourceFile?) -> Result<(lock: VersionLock, merged: Diagnostic?), Diagnostic> {
        guard let file else { return .success((VersionLock(), nil)) }
        if file.mergeConflict != nil {
            return MergeConflict(file.text).merged(file.path)
        }
        return decode(file.text, path: file.path).map { ($0, nil) }
    }

    private static func decode(_ text: String, path: String) -> Result<VersionLock, Diagnostic> {
        // A build reads the same lock up to three times (to plan, to resolve, to record) and
        // often the text it has just written: the last text seen is decoded only once.
        do {
            let lock: VersionLock
            if let known = LastLock.shared.lock(for: text) {
                lock = known
            } else {
                // Read in one pass (`LockReader`); what that does not expect, by `JSONDecoder`.
                lock = try LockReader.read(text) ?? JSONDecoder().decode(VersionLock.self, from: Data(text.utf8))
                LastLock.shared.remember(lock, text: text)
            }
            guard lock.format == 1 else {
                return .failure(.error(path, line: 1, column: 1, "versions.lock has format \(lock.format); this Dossier reads format 1"))
            }
            return .success(lock)
        } catch {
            return .failure(.error(path, line: 1, column: 1,
                "versions.lock is damaged and cannot be read (\(Self.reason(error))); restore it from version control"))
        }
    }

    /// What is wrong with a lock that does not decode, in a few words.
    private static func reason(_ error: any Error) -> String {
        func at(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: " → ") }
        switch error {
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty: return "it is not valid JSON"
        case DecodingError.keyNotFound(let key, let context): return "'\(at(context.codingPath + [key]))' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "'\(at(context.codingPath))' has a value of the wrong kind"
        default: return "\(error)"
        }
    }

    /// A lock with git's conflict markers: the text of each side, as that branch wrote it.
    private struct MergeConflict {
        var ours = "", theirs = ""
        /// The line of the first `<<<<<<<`.
        var line = 0
        var isComplete = true

        init(_ text: String) {
            enum Side { case both, ours, base, theirs }
            var side = Side.both
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                switch (side, line.prefix(7)) {
                case (.both, "<<<<<<<"):
                    side = .ours
                    if self.line == 0 { self.line = number + 1 }
                case (.ours, "|||||||"): side = .base
                case (.ours, "======="), (.base, "======="): side = .theirs
                case (.theirs, ">>>>>>>"): side = .both
                default:
                    if side == .both || side == .ours { ours += line + "\n" }
                    if side == .both || side == .theirs { theirs += line + "\n" }
                }
            }
            isComplete = side == .both
        }

        func merged(_ path: String) -> Result<(lock: VersionLock, merged: Diagnostic?), Diagnostic> {
            let cannot = "versions.lock has a merge conflict (line \(line)) that Dossier cannot merge"
            guard isComplete, case .success(let a) = decode(ours, path: path), case .success(let b) = decode(theirs, path: path) else {
                return .failure(.error(path, line: line, column: 1, "\(cannot): its conflict markers or one of its sides are damaged; "
                    + "restore it from version control, or merge it by hand, keeping the entries of both sides"))
            }
            var lock = a
            for (key, entry) in b.updates {
                if let other = lock.updates[key], other != entry {
                    return .failure(.error(path, line: line, column: 1, "\(cannot): the two sides record '\(key)' differently; "
                        + "keep the side whose record matches the update as it is now, and build again"))
                }
                lock.updates[key] = entry
            }
            let notice = Diagnostic.warning(path, line: line, column: 1,
                "versions.lock has a merge conflict: both sides' published updates are kept (\(a.updates.count) and \(b.updates.count), "
                + "\(lock.updates.count) in all); a build writes the merged file, which you then commit")
            return .success((lock, notice))
        }
    }

    /// The updates this record holds that `before` did not, and those it holds otherwise
    /// (re-recorded after a correction), by key.
    func changes(since before: VersionLock) -> LockChanges {
        let keys = updates.keys.sorted()
        return LockChanges(recorded: keys.filter { before.updates[$0] == nil },
                           rerecorded: keys.filter { before.updates[$0] != nil && before.updates[$0] != updates[$0] })
    }

    /// The lock file's bytes: stable key order, so the same record always reads the same.
    /// Written in one pass (`LockWriter`), or, for text that needs escaping, by `JSONEncoder`.
    public var text: String {
        let text = LockWriter.text(self) ?? encodedText
        LastLock.shared.remember(self, text: text)
        return text
    }

    /// The lock file's bytes as `JSONEncoder` writes them: what `LockWriter` writes too.
    var encodedText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// What a build adds to the public record.
public struct LockChanges: Sendable, Hashable {
    /// Updates published for the first time, as `<slug>/<date>`.
    public var recorded: [String]
    /// Published updates recorded again after a correction.
    public var rerecorded: [String]

    /// Updates named in a message: all of a few; of a whole archive recorded at once (a first
    /// build), three and how many more.
    public static func list(_ updates: [String]) -> String {
        updates.count <= 5 ? updates.joined(separator: ", ")
            : updates.prefix(3).joined(separator: ", ") + " and \(updates.count - 3) other updates"
    }

    /// The message of `--locked` when the committed record lacks what the build publishes.
    func lockedMessage() -> String {
        var parts: [String] = []
        if !recorded.isEmpty { parts.append("does not record \(Self.list(recorded)), published by this build") }
        if !rerecorded.isEmpty { parts.append("records \(Self.list(rerecorded)) as before its latest correction") }
        let what = parts.isEmpty ? "has a merge conflict that this build would settle" : parts.joined(separator: ", and ")
        return "versions.lock \(what); with --locked the record must already be committed: "
            + "build without --locked and commit the versions.lock it writes"
    }
}

/// The last lock text decoded or written, with its record.
private final class LastLock: @unchecked Sendable {
    static let shared = LastLock()
    private let mutex = NSLock()
    private var last: (text: String, lock: VersionLock)?

    func lock(for text: String) -> VersionLock? {
        mutex.withLock { last.flatMap { $0.text == text ? $0.lock : nil } }
    }

    func remember(_ lock: VersionLock, text: String) {
        mutex.withLock { last = (text, lock) }
    }
}

extension VersionLock {
    /// Feeds every entry to `hasher` in key order, each field length-prefixed: the same record
    /// always gives the same digest, without writing it out as JSON first.
    func add(to hasher: inout Hasher256) {
        hasher.add("format \(format)")
        for (key, entry) in updates.sorted(by: { $0.key < $1.key }) {
            hasher.add(key)
            hasher.add(entry.sha256)
            hasher.add("\(entry.corrections) \(entry.facts.count)")
            for fact in entry.facts {
                hasher.add(fact.label)
                hasher.add(fact.value)
                hasher.add(fact.source.map { "+" + $0 } ?? "-")
            }
        }
    }
}

extension VersionLock.LockedFact {
    init(_ fact: Fact) {
        self.init(label: fact.label, value: fact.value, source: fact.sourceKey)
    }

    var fact: Fact { Fact(label: label, value: value, sourceKey: source) }
}
