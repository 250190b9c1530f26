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

    /// Parses the lock file; a damaged lock is an error, never silently replaced.
    static func parse(_ file: SourceFile?) -> Result<VersionLock, Diagnostic> {
        guard let file else { return .success(VersionLock()) }
        // A build reads the same lock up to three times (to plan, to resolve, to record) and
        // often the text it has just written: the last text seen is decoded only once.
        do {
            let lock: VersionLock
            if let known = LastLock.shared.lock(for: file.text) {
                lock = known
            } else {
                lock = try JSONDecoder().decode(VersionLock.self, from: Data(file.text.utf8))
                LastLock.shared.remember(lock, text: file.text)
            }
            guard lock.format == 1 else {
                return .failure(.error(file.path, line: 1, column: 1, "versions.lock has format \(lock.format); this Dossier reads format 1"))
            }
            return .success(lock)
        } catch {
            return .failure(.error(file.path, line: 1, column: 1,
                "versions.lock is damaged and cannot be read (\(error.localizedDescription)); restore it from version control"))
        }
    }

    /// The lock file's bytes: stable key order, so the same record always reads the same.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        let text = String(decoding: data, as: UTF8.self) + "\n"
        LastLock.shared.remember(self, text: text)
        return text
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
