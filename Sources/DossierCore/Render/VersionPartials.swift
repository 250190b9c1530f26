/// A situation's version partials (`TemplateLibrary.versionPartials`), rendered ahead for each
/// entry of its list of versions, from each folder its pages list the versions in: once as a link,
/// and once marked as the page's own where a page can be that version. Every page then takes its
/// entries' text ready-made, so the list costs two lookups per entry instead of a render.
///
/// The render stage prepares every situation's tables before any page renders and only reads them
/// after, so they need no lock.
final class VersionPartials: @unchecked Sendable {
    /// What the pages of a situation need: the version partials' names, the page templates that
    /// show them, and how one entry's partial is rendered on its own.
    struct Renderer: Sendable {
        var names: [String]
        var templates: Set<String>
        /// Whether a page's list may be one entry carrying the texts of all (`TemplateLibrary.listsCollapse`).
        var collapse: Bool
        var render: @Sendable (VersionLinkView, String) -> String?
    }

    /// One folder's texts, by entry, each a partial's text by its name.
    struct Table {
        var link: [[String: String]]
        var current: [[String: String]]?
    }

    private(set) var tables: [String: Table] = [:]
    /// Whether pages list the versions as one entry carrying the texts of all.
    let collapse: Bool

    init(collapse: Bool) {
        self.collapse = collapse
    }

    /// Renders the partials of every entry of `links` for each folder (its way back to the root);
    /// `current` says whether a page there marks one of them as its own.
    func prepare(_ links: PageContext.VersionLinks, roots: [String: Bool], with renderer: Renderer) {
        for (root, current) in roots {
            func texts(current: Bool) -> [[String: String]] {
                links.versions.map { entry in
                    let view = VersionLinkView(date: entry.view, href: root + entry.snapshot, isCurrent: current,
                                               isDraft: entry.isDraft)
                    var texts: [String: String] = [:]
                    for name in renderer.names { texts[name] = renderer.render(view, name) ?? "" }
                    return texts
                }
            }
            tables[root] = Table(link: texts(current: false), current: current ? texts(current: true) : nil)
        }
    }
}
