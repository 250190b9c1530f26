/// Everything read from the content folder, parsed but not yet validated.
public struct LoadedContent: Sendable {
    public struct YAMLFile: Sendable {
        public var file: SourceFile
        public var root: YAMLNode
    }

    public struct MarkdownFile: Sendable {
        public var file: SourceFile
        /// The file name without `.md`: a date for an update, a slug for a page.
        public var stem: String
        public var frontMatter: FrontMatter
    }

    public struct SituationFolder: Sendable {
        public var slug: String
        /// Displayed path of the folder, e.g. `Content/situations/dprk`.
        public var path: String
        public var situation: YAMLFile?
        public var sources: YAMLFile?
        /// sources.yaml exists but could not be read; its problem is reported already.
        public var sourcesUnreadable = false
        public var updates: [MarkdownFile]
        /// An update file could not be read or is misnamed; its problem is reported already.
        public var updatesUnreadable = false
        /// The dates of every update file present, including those that could not be read.
        public var updateDates: [String] = []
    }

    public var root: String
    public var site: YAMLFile?
    public var situations: [SituationFolder]
    public var pages: [MarkdownFile]
    public var lock: SourceFile?
    /// Every text read, by displayed path, so diagnostics can quote their line.
    public var texts: [String: String]
    public var diagnostics: [Diagnostic]
}
