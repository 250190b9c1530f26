/// The site after `resolve`: updates linked into versions, Markdown rendered, citations numbered.
public struct ResolvedSite: Sendable {
    public var site: Site
    public var situations: [ResolvedSituation]
    public var pages: [ResolvedPage]
    /// The record after this build: the lock as read plus newly published or corrected updates.
    public var lock: VersionLock
    /// What `lock` adds to the file on disk, when a successful build should write it (nil when
    /// the file already holds it).
    public var lockChanges: LockChanges?
}

public struct ResolvedSituation: Sendable {
    public var situation: Situation
    /// Unchanged since the last build: its pages are kept from it, not rendered again.
    public var reused = false
    /// Oldest first. Drafts come after the published ones only in a build with drafts.
    public var versions: [Version]

    /// The newest published version, or the newest draft when nothing is published yet.
    public var latest: Version? { latestIndex.map { versions[$0] } }
    /// Where `latest` is in `versions`; for its date, without copying the whole version.
    public var latestIndex: Int? {
        // A loop over the indices: `lastIndex(where:)` copied each version it looked at.
        var index = versions.count - 1
        while index >= 0 {
            if !versions[index].update.isDraft { return index }
            index -= 1
        }
        return versions.isEmpty ? nil : versions.count - 1
    }
    /// The date of `latest` (asked by every page).
    public var latestDate: IsoDate? { latestIndex.map { versions[$0].update.date } }
}

/// One update placed among the others.
public struct Version: Sendable {
    public enum Trend: String, Sendable {
        case first, escalated, deescalated = "de-escalated", unchanged
    }

    public var update: Update
    public var riskLevel: RiskLevel
    public var body: RenderedMarkdown
    /// The sources this update cites, in note order.
    public var citedSources: [Source]
    public var previous: Update?
    public var trend: Trend
    /// The fact box as published with this update (from the lock), or the current one if new.
    public var facts: [Fact]
    /// Changes against the previous published update; nil for the first, and not computed
    /// for a situation kept from the last build.
    public var redline: Redline?
    /// Whether there is a previous published update, so a changes page.
    public var hasChanges: Bool { previous != nil }
}

public struct ResolvedPage: Sendable {
    public var page: Page
    public var body: RenderedMarkdown
}
