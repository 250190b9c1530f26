/// One dated update of a situation: one version of its page.
public struct Update: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case published
        case draft
    }

    public struct Correction: Sendable, Hashable {
        public var date: IsoDate
        public var note: String
        /// Where the front matter gives its date.
        public var dateLocation: SourceLocation?
    }

    public var date: IsoDate
    /// Where the front matter gives the date, for diagnostics about it.
    public var dateLocation: SourceLocation
    public var riskLevel: String
    public var headline: String
    public var issue: Int?
    /// Where the front matter gives the issue number.
    public var issueLocation: SourceLocation?
    public var status: Status
    public var corrections: [Correction]
    /// The body, with the whole file's text (`body.fullText`) that the lock fingerprints.
    public var body: MarkdownSource

    public var isDraft: Bool { status == .draft }

    /// The day its text last changed: its latest correction's (corrections are in date order,
    /// none before the update), or its own.
    public var modified: IsoDate { corrections.last?.date ?? date }
}

/// A Markdown body with the file and line it starts at, so its diagnostics can be located.
public struct MarkdownSource: Sendable, Hashable {
    /// The body: in an update, the part of `fullText` after the front matter (a view of the
    /// file's text, not a copy of it).
    public var text: Substring
    public var file: String
    public var startLine: Int
    /// The whole file, to locate a column precisely.
    public var fullText: String

    public init(text: Substring, file: String, startLine: Int, fullText: String) {
        self.text = text
        self.file = file
        self.startLine = startLine
        self.fullText = fullText
    }

    public init(text: String, file: String, startLine: Int, fullText: String) {
        self.init(text: text[...], file: file, startLine: startLine, fullText: fullText)
    }
}

/// A plain page such as "About".
public struct Page: Sendable, Hashable {
    public var slug: String
    public var title: String
    public var body: MarkdownSource
}

/// The validated content of a whole site.
public struct SiteContent: Sendable, Hashable {
    public var site: Site
    public var situations: [Situation]
    public var pages: [Page]
    /// `versions.lock` as found, if any.
    public var lock: SourceFile?
    /// `<slug>/<date>` of every update file present, valid or not, drafts included.
    public var updateFiles: Set<String>
}
