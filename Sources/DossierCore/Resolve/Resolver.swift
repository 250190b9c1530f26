/// The `resolve` stage: renders each body, numbers its citations, links versions and
/// collects the warnings only a whole situation can show (unused sources, missing sections, staleness).
public struct Resolver: Sendable {
    /// The day the staleness warning is measured against; never written into the output.
    public var today: IsoDate

    public init(today: IsoDate) {
        self.today = today
    }

    public func resolve(_ content: SiteContent) async -> (ResolvedSite, [Diagnostic]) {
        let renderer = MarkdownRenderer(options: .init(unsafeHTML: content.site.unsafeHTML))
        var diagnostics: [Diagnostic] = []
        var situations: [ResolvedSituation] = []

        // Bodies are independent: render them across the cores.
        let bodies = await withTaskGroup(of: (Int, Int, RenderedMarkdown).self) { group in
            for (s, situation) in content.situations.enumerated() {
                let context = MarkdownRenderer.CitationContext(
                    knownKeys: Set(situation.sources.map(\.key)),
                    sourcesFile: situation.file.replacingSuffix("situation.yaml", with: "sources.yaml"))
                for (u, update) in situation.updates.enumerated() {
                    group.addTask { (s, u, renderer.render(update.body, citations: context)) }
                }
            }
            var out: [Int: [Int: RenderedMarkdown]] = [:]
            for await (s, u, body) in group { out[s, default: [:]][u] = body }
            return out
        }

        for (s, situation) in content.situations.enumerated() {
            var versions: [Version] = []
            var cited = Set<String>()
            var previousPublished: (Update, RiskLevel)?
            for (u, update) in situation.updates.enumerated() {
                guard let body = bodies[s]?[u], let level = content.site.riskLevel(id: update.riskLevel) else { continue }
                diagnostics += body.diagnostics
                diagnostics += sectionWarnings(body, required: content.site.sections, file: update.body.file)
                cited.formUnion(body.citedKeys)
                let trend: Version.Trend
                if let (_, before) = previousPublished {
                    trend = level.rank < before.rank ? .escalated : level.rank > before.rank ? .deescalated : .unchanged
                } else {
                    trend = .first
                }
                versions.append(Version(update: update, riskLevel: level, body: body,
                                        citedSources: body.citedKeys.compactMap(situation.source(key:)),
                                        previous: previousPublished?.0, trend: trend))
                if !update.isDraft { previousPublished = (update, level) }
            }
            // Drafts sort after every published update so "latest" and the archive stay about the record.
            versions.sort { ($0.update.isDraft ? 1 : 0, $0.update.date) < ($1.update.isDraft ? 1 : 0, $1.update.date) }
            let factKeys = Set(situation.facts.compactMap(\.sourceKey))
            for source in situation.sources where !cited.contains(source.key) && !factKeys.contains(source.key) {
                diagnostics.append(.warning(at: source.location, "source '\(source.key)' is never cited"))
            }
            if let stale = content.site.staleAfterDays,
               let latest = versions.last(where: { !$0.update.isDraft }) {
                let age = today.daysSinceEpoch - latest.update.date.daysSinceEpoch
                if age > stale {
                    diagnostics.append(.warning(latest.update.body.file,
                        "situation '\(situation.slug)' is stale: its latest update is \(age) days old (stale_after_days: \(stale))"))
                }
            }
            situations.append(ResolvedSituation(situation: situation, versions: versions))
        }

        var pages: [ResolvedPage] = []
        for page in content.pages {
            let body = renderer.render(page.body)
            diagnostics += body.diagnostics
            pages.append(ResolvedPage(page: page, body: body))
        }
        return (ResolvedSite(site: content.site, situations: situations, pages: pages), diagnostics)
    }

    /// Warns when a required section is missing or out of the order site.yaml gives.
    func sectionWarnings(_ body: RenderedMarkdown, required: [String], file: String) -> [Diagnostic] {
        guard !required.isEmpty else { return [] }
        var out: [Diagnostic] = []
        let titles = body.sections.map(\.title)
        let present = required.filter { titles.contains($0) }
        for name in required where !titles.contains(name) {
            out.append(.warning(file, "missing section '## \(name)'; every update has the sections \(required.joined(separator: ", "))"))
        }
        let order = titles.filter { required.contains($0) }
        if order != present, let first = zip(order, present).first(where: { $0 != $1 }),
           let section = body.sections.first(where: { $0.title == first.0 }) {
            out.append(.warning(at: section.location, "section '\(first.0)' is out of order; expected \(required.joined(separator: ", "))"))
        }
        return out
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
