/// One monitored situation: its stable facts, its sources and its dated updates.
public struct Situation: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var shortName: String?
    public var region: String?
    public var populationsAtRisk: String?
    public var facts: [Fact]
    /// In the order of `sources.yaml`.
    public var sources: [Source]
    /// Oldest first, drafts included.
    public var updates: [Update]
    public var file: String
    /// sources.yaml could not be read: citations are not checked, to avoid a cascade of errors.
    public var sourcesUnreadable = false
    /// An update failed validation and is left out: the warnings that need every update
    /// (sources never cited, staleness, facts against the latest) are not given, since they
    /// would be about the wrong set of updates and the error already says what to fix.
    public var updatesUnreadable = false

    public func source(key: String) -> Source? {
        sources.first { $0.key == key }
    }
}

public struct Fact: Sendable, Hashable {
    public var label: String
    public var value: String
    public var sourceKey: String?
}

public struct Source: Sendable, Hashable {
    public var key: String
    public var title: String
    public var publisher: String?
    public var symbol: String?
    public var date: PartialDate?
    public var url: String?
    public var location: SourceLocation
}
