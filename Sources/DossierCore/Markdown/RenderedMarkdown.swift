/// What the Markdown renderer produces for one body.
public struct RenderedMarkdown: Sendable, Hashable {
    /// The HTML fragment, ready to place in a template unescaped.
    public var html: String
    /// Level-2 sections in order of appearance.
    public var sections: [RenderedSection]
    /// Every citation in order of appearance.
    public var citations: [CitationUse]
    /// Cited source keys in the order of first use: the note numbers are their positions + 1.
    public var citedKeys: [String]
    public var diagnostics: [Diagnostic]
    /// Whether a link or image starts from the site's root (`/pages/about/`): each page that
    /// shows the HTML makes those relative to itself (`RootLinks`).
    public var linksFromRoot = false
    /// Where text before the first level-2 section begins, if there is any: it belongs to no
    /// section, so no redline compares it.
    public var leadingText: SourceLocation? = nil

    /// Stands in for a body that was not rendered again (its situation is kept from the last build).
    static let empty = RenderedMarkdown(html: "", sections: [], citations: [], citedKeys: [], diagnostics: [])
}

/// One level-2 section of a body: a deep-link id and its text, for checks and redlines.
public struct RenderedSection: Sendable, Hashable {
    public var title: String
    public var id: String
    public var location: SourceLocation
    /// Plain text of the section's blocks, one paragraph per block.
    public var paragraphs: [String]
}

/// One `@key` inside a citation.
public struct CitationUse: Sendable, Hashable {
    public var key: String
    public var locator: String?
    /// The source's note number, in order of first use.
    public var number: Int
    /// This use's anchor id, which the source list links back to.
    public var anchor: String
}
