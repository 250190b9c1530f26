/// Builds the view model of every page of the site.
///
/// A class: every job and every view's closure holds it, and a reference is one count to keep
/// where a copy of its fields was one for each.
final class PageContext: Sendable {
    let site: ResolvedSite
    let stylesheet: String
    let printStylesheet: String
    /// Whether PDFs are built, so pages can link to them.
    let pdf: Bool
    /// The published paths of the templates' assets, for templates and for Markdown's `/assets/…`.
    let assets: AssetPaths
    /// Renders the entries of the lists of versions ahead, when the templates have version partials.
    let versionPartials: VersionPartials.Renderer?

    init(site: ResolvedSite, stylesheet: String, printStylesheet: String, pdf: Bool,
         assets: AssetPaths = AssetPaths([:]), versionPartials: VersionPartials.Renderer? = nil) {
        self.site = site
        self.stylesheet = stylesheet
        self.printStylesheet = printStylesheet
        self.pdf = pdf
        self.assets = assets
        self.versionPartials = versionPartials
    }

    /// The pages to render, in groups: each situation's pages (its version partials prepared
    /// first), then the site's own pages. A group's jobs are made when its task runs, on the
    /// cores, not all of them before the first page renders (8 ms on one core for 200 situations).
    func jobGroups() -> [@Sendable () -> [SiteRenderer.Job]] {
        var groups: [@Sendable () -> [SiteRenderer.Job]] = []
        groups.append { [self] in [.single(path: OutputPaths.index, template: "index", view: self.indexView())] }
        for index in site.situations.indices where !site.situations[index].reused && site.situations[index].latestIndex != nil {
            groups.append { [self] in situationJobs(site.situations[index]) }
        }
        groups.append { [self] in
            var jobs: [SiteRenderer.Job] = []
            for page in site.pages {
                let path = OutputPaths.page(page.page.slug)
                jobs.append(.single(path: path, template: "page",
                                    view: PlainPageView(layout: self.layout(at: path, title: page.page.title), title: page.page.title,
                                                        body: self.body(page.body, at: path) ?? page.body.html)))
            }
            // The 404 page is served at any missing address, so its links start from the site's own path.
            var notFound = layout(at: OutputPaths.notFound, title: "Page not found")
            notFound.root = Self.sitePath(site.site.baseURL)
            notFound.stylesheet = notFound.root + stylesheet
            notFound.noindex = true
            notFound.canonical = nil
            let notFoundLayout = notFound
            jobs.append(.single(path: OutputPaths.notFound, template: "404", view: NotFoundView(layout: notFoundLayout)))
            return jobs
        }
        return groups
    }

    /// A situation's pages: one job per update, and its list of versions. Its version partials
    /// are rendered first, for every page that lists them.
    private func situationJobs(_ situation: ResolvedSituation) -> [SiteRenderer.Job] {
        guard let latestDate = situation.latestDate else { return [] }
        var jobs: [SiteRenderer.Job] = []
        let slug = situation.situation.slug
        let links = VersionLinks(situation, partials: versionPartials.map { VersionPartials(collapse: $0.collapse) })
        // The folders the situation's pages list its versions in, and whether a page there is one of them.
        var roots: [String: Bool] = [:]
        for index in situation.versions.indices {
            // One job per update: its content is made once, and so are the partials that show only it.
            typealias View = @Sendable (UpdateContentView) -> any FieldView
            var pages: [(page: SiteRenderer.Job.Page, view: View)] = []
            func add(_ path: String, _ template: String, _ view: @escaping View) {
                pages.append((.init(path: path, template: template), view))
            }
            // What the update's pages are made of, held once by all the functions that make them
            // (each captured the situation and the version by value: dozens of reference counts each).
            let shown = Shown(situation: situation, version: situation.versions[index], links: links)
            let date = shown.version.update.date
            var paths = [OutputPaths.snapshot(slug, date)]
            if date == latestDate { paths.insert(OutputPaths.latest(slug), at: 0) }
            for path in paths {
                add(path, "situation") { [self] in situationView(shown.situation, shown.version, $0, at: path, links: shown.links) }
                let print = path == OutputPaths.latest(slug) ? OutputPaths.latestPrint(slug)
                                                             : OutputPaths.print(slug, date)
                add(print, "print") { [self] in printView(shown.situation, shown.version, $0, at: print, links: shown.links) }
                for (page, template) in [(path, "situation"), (print, "print")]
                where versionPartials?.templates.contains(template) == true {
                    // Only the latest page marks none of the versions as its own.
                    let root = OutputPaths.root(from: page)
                    roots[root] = roots[root] == true || page != OutputPaths.latest(slug)
                }
            }
            if shown.version.redline != nil {
                let path = OutputPaths.changes(slug, date)
                add(path, "changes") { [self] _ in changesView(shown.situation, shown.version, shown.version.redline!, at: path) }
            }
            let views = pages.map(\.view)
            jobs.append(SiteRenderer.Job(pages: pages.map(\.page)) { [self] in
                let content = self.content(shown.situation, shown.version)
                return (content, views.map { $0(content) })
            })
        }
        jobs.append(.single(path: OutputPaths.versions(situation.situation.slug), template: "versions",
                            view: self.versionsView(situation)))
        if let renderer = versionPartials, let partials = links.partials, !roots.isEmpty {
            partials.prepare(links, roots: roots, with: renderer)
        }
        return jobs
    }

    /// A situation, one of its versions and the links to the others: what the functions that make
    /// the version's pages share.
    private final class Shown: Sendable {
        let situation: ResolvedSituation
        let version: Version
        let links: VersionLinks

        init(situation: ResolvedSituation, version: Version, links: VersionLinks) {
            self.situation = situation
            self.version = version
            self.links = links
        }
    }

    /// The pages in folders of their own that `jobGroups` makes, in the order it makes them, each
    /// with the content file it is written from: none for a redline or a list of versions, which
    /// show several. A reused situation's pages are kept, not made.
    static func pages(of site: ResolvedSite) -> [(path: String, origin: String?)] {
        var out: [(path: String, origin: String?)] = []
        for situation in site.situations where !situation.reused && situation.latestIndex != nil {
            let slug = situation.situation.slug
            // Read in place: a loop over the versions copied each one whole.
            for index in situation.versions.indices {
                let date = situation.versions[index].update.date, file = situation.versions[index].update.body.file
                if index == situation.latestIndex {
                    out += [(OutputPaths.latest(slug), file), (OutputPaths.latestPrint(slug), file)]
                }
                out += [(OutputPaths.snapshot(slug, date), file), (OutputPaths.print(slug, date), file)]
                if situation.versions[index].redline != nil { out.append((OutputPaths.changes(slug, date), nil)) }
            }
            out.append((OutputPaths.versions(slug), nil))
        }
        for page in site.pages { out.append((OutputPaths.page(page.page.slug), page.page.body.file)) }
        return out
    }

    /// The content file each page is written from, for locating problems found in the output.
    static func origins(of site: ResolvedSite) -> [String: String] {
        Dictionary(pages(of: site).compactMap { page in page.origin.map { (page.path, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The paths of `pages(of:)`: for making their folders ahead of the pages (`Staging.makeFolders(ahead:)`).
    static func pagePaths(of site: ResolvedSite) -> [String] {
        pages(of: site).map(\.path)
    }

    /// `https://example.org/rtop/` → `/rtop/`.
    static func sitePath(_ baseURL: String) -> String {
        guard let schemeEnd = baseURL.range(of: "://") else { return "/" }
        let afterHost = baseURL[schemeEnd.upperBound...].drop { $0 != "/" }
        return afterHost.isEmpty ? "/" : String(afterHost)
    }

    func layout(at path: String, title: String, description: String? = nil, noindex: Bool = false) -> LayoutView {
        let root = OutputPaths.root(from: path)
        return LayoutView(
            language: site.site.language,
            title: title == site.site.title ? title : "\(title) · \(site.site.title)",
            pageTitle: title,
            siteTitle: site.site.title,
            description: description,
            canonical: noindex ? nil : OutputPaths.absolute(path, base: site.site.baseURL),
            noindex: noindex,
            root: root,
            stylesheet: root + stylesheet,
            pages: site.pages.map { .init(title: $0.page.title, href: OutputPaths.page($0.page.slug)) },
            organisation: .init(name: site.site.organisation.name, address: site.site.organisation.address),
            asset: assets)
    }

    func indexView() -> IndexView {
        let groups: [IndexView.Group] = site.site.riskLevels.compactMap { level in
            let entries: [IndexView.Entry] = site.situations.compactMap { resolved in
                guard let latest = resolved.latest, latest.riskLevel.id == level.id else { return nil }
                let before = resolved.versions.last { !$0.update.isDraft && $0.update.date < latest.update.date }
                return .init(name: resolved.situation.name, href: OutputPaths.latest(resolved.situation.slug),
                             headline: latest.update.headline, date: DateView(latest.update.date),
                             riskChanged: latest.trend == .escalated || latest.trend == .deescalated,
                             riskBefore: RiskView(before?.riskLevel ?? latest.riskLevel), trend: TrendView(latest.trend))
            }.sorted { $0.name < $1.name }
            return entries.isEmpty ? nil : .init(risk: RiskView(level), situations: entries)
        }
        return IndexView(layout: layout(at: OutputPaths.index, title: site.site.title,
                                        description: "Situations monitored for the risk of mass atrocity crimes."),
                         siteTitle: site.site.title, groups: groups)
    }

    /// What all of an update's pages show alike.
    func content(_ resolved: ResolvedSituation, _ version: Version) -> UpdateContentView {
        let situation = resolved.situation
        let update = version.update
        let latestDate = resolved.latestDate ?? version.update.date

        // Notes: the body's citations in order of first use, then sources only the fact box cites.
        var keys = version.body.citedKeys
        for key in version.facts.compactMap(\.sourceKey) where !keys.contains(key) { keys.append(key) }
        let facts = version.facts.enumerated().map { index, fact in
            FactView(label: fact.label, value: fact.value, anchor: "fact-\(index + 1)",
                     source: fact.sourceKey.flatMap { keys.firstIndex(of: $0) }.map { .init(number: $0 + 1) })
        }
        let sources: [SourceView] = keys.enumerated().compactMap { index, key in
            guard let source = situation.source(key: key) else { return nil }
            let number = index + 1
            var anchors = version.body.citations.filter { $0.number == number }.map(\.anchor)
            anchors += facts.filter { $0.source?.number == number }.map(\.anchor)
            return SourceView(number: number, title: source.title, publisher: source.publisher, symbol: source.symbol,
                              published: source.date.map(DateView.init), url: source.url,
                              backlinks: SourceView.backlinks(to: anchors))
        }
        return UpdateContentView(
            name: situation.name,
            region: situation.region,
            risk: RiskView(version.riskLevel),
            headline: update.headline,
            date: DateView(update.date),
            issue: update.issue,
            isDraft: update.isDraft,
            latestDate: DateView(latestDate),
            populationsAtRisk: situation.populationsAtRisk,
            body: version.body.html,
            hasFacts: !facts.isEmpty,
            facts: facts,
            hasSources: !sources.isEmpty,
            sources: sources,
            hasCorrections: !update.corrections.isEmpty,
            corrections: update.corrections.map { CorrectionView(date: DateView($0.date), note: $0.note) },
            previousDate: version.redline.map { DateView($0.previousDate) })
    }

    /// A situation's versions, newest first, made once for all its pages: each page only adds
    /// the way back to the root and marks its own.
    struct VersionLinks: Sendable {
        let versions: [(date: IsoDate, view: DateView, snapshot: String, isDraft: Bool)]
        /// The situation's version partials, rendered once per distinct entry for all its pages.
        let partials: VersionPartials?

        init(_ resolved: ResolvedSituation, partials: VersionPartials? = nil) {
            // Read in place: a map over the versions copied each one whole.
            versions = resolved.versions.indices.reversed().map { index in
                let date = resolved.versions[index].update.date
                return (date, DateView(date), OutputPaths.snapshot(resolved.situation.slug, date), resolved.versions[index].update.isDraft)
            }
            self.partials = partials
        }

        func views(from path: String, current: IsoDate?) -> [VersionLinkView] {
            let root = OutputPaths.root(from: path)
            let table = partials?.tables[root]
            if let table, partials?.collapse == true, let first = versions.first {
                // The templates show only the partials' texts, one entry after another: one entry
                // carrying them all, joined, shows the same.
                var joined: [String: String] = [:]
                for (index, other) in versions.enumerated() {
                    for (name, text) in (other.date == current ? table.current?[index] : table.link[index]) ?? [:] {
                        joined[name, default: ""] += text
                    }
                }
                return [VersionLinkView(date: first.view, href: root + first.snapshot, isCurrent: first.date == current,
                                        isDraft: first.isDraft, versionPartials: joined)]
            }
            return versions.enumerated().map { index, other in
                let isCurrent = other.date == current
                return VersionLinkView(date: other.view, href: root + other.snapshot, isCurrent: isCurrent,
                                       isDraft: other.isDraft,
                                       versionPartials: isCurrent ? table?.current?[index] : table?.link[index])
            }
        }
    }

    func situationView(_ resolved: ResolvedSituation, _ version: Version, _ content: UpdateContentView,
                       at path: String, links: VersionLinks) -> SituationPageView {
        let situation = resolved.situation
        let update = version.update
        let latestDate = resolved.latestDate ?? version.update.date
        let isLatestPage = path == OutputPaths.latest(situation.slug)
        let versions = links.views(from: path, current: isLatestPage ? nil : update.date)
        let title = "\(situation.name)" + (isLatestPage ? "" : " (\(update.date.long))")
        return SituationPageView(
            content: content,
            layout: layout(at: path, title: title, description: update.headline, noindex: update.isDraft),
            isArchived: !update.isDraft && update.date < latestDate,
            latestHref: OutputPaths.href(from: path, to: OutputPaths.latest(situation.slug)),
            permalinkHref: isLatestPage ? OutputPaths.href(from: path, to: OutputPaths.snapshot(situation.slug, update.date)) : nil,
            versions: versions,
            versionsHref: OutputPaths.href(from: path, to: OutputPaths.versions(situation.slug)),
            changesHref: version.redline.map { _ in OutputPaths.href(from: path, to: OutputPaths.changes(situation.slug, update.date)) },
            printHref: OutputPaths.href(from: path, to: isLatestPage ? OutputPaths.latestPrint(situation.slug)
                                                                      : OutputPaths.print(situation.slug, update.date)),
            pdfHref: pdf ? OutputPaths.href(from: path, to: OutputPaths.pdf(situation.slug, update.date)) : nil,
            body: body(version.body, at: path))
    }

    /// A body's HTML with its links from the site's root made relative to the page at `path`;
    /// nil when it has none, so the page shows the body as rendered.
    func body(_ body: RenderedMarkdown, at path: String, printed: Bool = false) -> String? {
        guard body.linksFromRoot else { return nil }
        return RootLinks.relative(body.html, root: OutputPaths.root(from: path), sitePath: Self.sitePath(site.site.baseURL),
                                  assets: assets.paths, printedBase: printed ? site.site.baseURL : nil)
    }

    func printView(_ resolved: ResolvedSituation, _ version: Version, _ content: UpdateContentView,
                   at path: String, links: VersionLinks) -> PrintPageView {
        let slug = resolved.situation.slug
        let update = version.update
        let snapshot = OutputPaths.snapshot(slug, update.date)
        var page = situationView(resolved, version, content, at: path, links: links)
        page.isArchived = false
        page.body = body(version.body, at: path, printed: true)
        let modified = update.modified
        return PrintPageView(
            page: page,
            paper: site.site.paper == .a4 ? "A4" : "letter",
            printStylesheet: OutputPaths.href(from: path, to: printStylesheet),
            cssOrganisation: Self.cssString(site.site.organisation.name),
            cssRunningTitle: Self.cssString("\(resolved.situation.shortName ?? resolved.situation.name) · As of \(update.date.long)"),
            permanentURL: OutputPaths.absolute(snapshot, base: site.site.baseURL),
            canonicalHref: OutputPaths.href(from: path, to: snapshot),
            modified: DateView(modified))
    }

    /// A quoted CSS string; `<` is escaped so the text can never close the `<style>` element.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": out += "\\" + String(scalar)
            case "<": out += "\\3c "
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func changesView(_ resolved: ResolvedSituation, _ version: Version, _ redline: Redline, at path: String) -> ChangesPageView {
        let slug = resolved.situation.slug
        let previous = resolved.versions.lastIndex { $0.update.date == redline.previousDate }
        let notes = ChangesPageView.ParagraphView.Notes(
            current: version.body.citedKeys,
            currentPage: OutputPaths.snapshot(version.update.date, fromChangesOf: version.update.date),
            previous: previous.map { resolved.versions[$0].body.citedKeys } ?? [],
            previousPage: OutputPaths.snapshot(redline.previousDate, fromChangesOf: version.update.date))
        let sections = redline.sections.map { section in
            ChangesPageView.SectionView(
                title: section.title, anchor: section.id,
                statusLabel: Self.statusLabel(section.status),
                isChanged: section.status != .unchanged,
                wordsInserted: section.wordsInserted, wordsDeleted: section.wordsDeleted,
                citationsInserted: section.citationsInserted, citationsDeleted: section.citationsDeleted,
                wordCounts: Self.counts(section),
                paragraphs: section.paragraphs.map { .init(runs: $0, notes: notes) })
        }
        return ChangesPageView(
            layout: layout(at: path, title: "\(resolved.situation.name): changes on \(version.update.date.long)",
                           description: "What changed in the update of \(version.update.date.long) since \(redline.previousDate.long).",
                           noindex: version.update.isDraft),
            name: resolved.situation.name,
            date: DateView(version.update.date),
            previousDate: DateView(redline.previousDate),
            snapshotHref: OutputPaths.href(from: path, to: OutputPaths.snapshot(slug, version.update.date)),
            previousHref: OutputPaths.href(from: path, to: OutputPaths.snapshot(slug, redline.previousDate)),
            versionsHref: OutputPaths.href(from: path, to: OutputPaths.versions(slug)),
            riskChanged: redline.riskBefore != redline.riskAfter,
            riskBefore: RiskView(redline.riskBefore),
            risk: RiskView(redline.riskAfter),
            trend: TrendView(version.trend),
            headlineChanged: redline.headlineChanged,
            headlineRuns: redline.headline.map(ChangesPageView.RunView.init),
            headlineHTML: ChangesPageView.ParagraphView(runs: redline.headline).html,
            hasSectionChanges: sections.contains { $0.isChanged },
            sections: sections,
            hasSourcesAdded: !redline.sourcesAdded.isEmpty,
            sourcesAdded: redline.sourcesAdded.map { .init(title: $0.title) },
            hasSourcesRemoved: !redline.sourcesRemoved.isEmpty,
            sourcesRemoved: redline.sourcesRemoved.map { .init(title: $0.title) },
            hasFactChanges: !redline.factChanges.isEmpty,
            factChanges: redline.factChanges.map { .init(label: $0.label, before: $0.before, after: $0.after) },
            isDraft: version.update.isDraft)
    }

    /// "3 words added, 1 removed", and "1 citation added, 1 removed" when the notes changed.
    static func counts(_ section: Redline.Section) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let words = "\(plural(section.wordsInserted, "word")) added, \(section.wordsDeleted) removed"
        guard section.citationsInserted + section.citationsDeleted > 0 else { return words }
        let citations = "\(plural(section.citationsInserted, "citation")) added, \(section.citationsDeleted) removed"
        return section.wordsInserted + section.wordsDeleted == 0 ? citations : words + "; " + citations
    }

    /// How the redline page names a section's status.
    static func statusLabel(_ status: Redline.Section.Status) -> String {
        switch status {
        case .added: "New section"
        case .removed: "Section removed"
        case .changed: "Changed"
        case .unchanged: "Unchanged"
        }
    }

    func versionsView(_ resolved: ResolvedSituation) -> VersionsPageView {
        let path = OutputPaths.versions(resolved.situation.slug)
        let rows = resolved.versions.reversed().map { version in
            VersionRowView(date: DateView(version.update.date),
                           href: OutputPaths.href(from: path, to: OutputPaths.snapshot(resolved.situation.slug, version.update.date)),
                           issue: version.update.issue, headline: version.update.headline,
                           risk: RiskView(version.riskLevel), trend: TrendView(version.trend),
                           isDraft: version.update.isDraft,
                           changesHref: version.redline.map { _ in
                               OutputPaths.href(from: path, to: OutputPaths.changes(resolved.situation.slug, version.update.date))
                           })
        }
        return VersionsPageView(layout: layout(at: path, title: "\(resolved.situation.name): all versions"),
                                name: resolved.situation.name, versions: rows)
    }

    /// `a` to `z` for a backlink's label, then numbers. Made from the scalar: the alphabet was
    /// split into an array of characters at every backlink.
    static func letter(_ index: Int) -> String {
        index < 26 ? String(Unicode.Scalar(UInt8(ascii: "a") + UInt8(index))) : "\(index + 1)"
    }
}
