/// The machine-read files: the Atom feed, the sitemap and robots.txt. Dates come from the
/// content, never the clock, so two builds of the same content are identical.
struct Feeds {
    let site: ResolvedSite

    func files() -> [OutputFile] {
        [OutputFile(path: "feed.xml", text: feed()),
         OutputFile(path: "sitemap.xml", text: sitemap()),
         OutputFile(path: "robots.txt", text: "User-agent: *\nAllow: /\n\nSitemap: \(site.site.baseURL)sitemap.xml\n")]
    }

    private var base: String { site.site.baseURL }

    private var published: [(ResolvedSituation, Version)] {
        site.situations.flatMap { situation in
            situation.versions.filter { !$0.update.isDraft }.map { (situation, $0) }
        }.sorted { ($0.1.update.date, $0.0.situation.slug) > ($1.1.update.date, $1.0.situation.slug) }
    }

    private func timestamp(_ date: IsoDate) -> String { "\(date)T00:00:00Z" }

    func feed() -> String {
        let entries = published
        let updated = entries.map(\.1.update.modified).max()
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(x(site.site.language))">
          <title>\(x(site.site.title))</title>
          <id>\(x(base))</id>
          <link rel="alternate" type="text/html" href="\(x(base))"/>
          <link rel="self" type="application/atom+xml" href="\(x(base))feed.xml"/>
          <updated>\(timestamp(updated ?? IsoDate(epochSeconds: 0)))</updated>
          <author><name>\(x(site.site.organisation.name))</name></author>

        """
        for (situation, version) in entries {
            let update = version.update
            let url = OutputPaths.absolute(OutputPaths.snapshot(situation.situation.slug, update.date), base: base)
            let changed = update.modified
            var related = ""
            if version.hasChanges {
                let changes = OutputPaths.absolute(OutputPaths.changes(situation.situation.slug, update.date), base: base)
                related = "\n    <link rel=\"related\" type=\"text/html\" title=\"What changed\" href=\"\(x(changes))\"/>"
            }
            xml += """
              <entry>
                <title>\(x(situation.situation.name)): \(x(version.riskLevel.label)), \(x(update.date.long))</title>
                <id>\(x(url))</id>
                <link rel="alternate" type="text/html" href="\(x(url))"/>\(related)
                <published>\(timestamp(update.date))</published>
                <updated>\(timestamp(changed))</updated>
                <summary>\(x(update.headline))</summary>
              </entry>

            """
        }
        return xml + "</feed>\n"
    }

    /// Each page's `lastmod` is the day the content it shows last changed, corrections included:
    /// a snapshot its update's; a redline the later of its two updates'; the latest page its
    /// update's; a list of versions, and the front page (each situation's latest update), the
    /// latest of theirs.
    func sitemap() -> String {
        var urls: [(String, IsoDate?)] = []
        var latestDates: [IsoDate] = []
        for situation in site.situations {
            let slug = situation.situation.slug
            let versions = situation.versions.filter { !$0.update.isDraft }
            guard let latest = versions.last else { continue }
            latestDates.append(latest.update.modified)
            urls.append((OutputPaths.latest(slug), latest.update.modified))
            urls.append((OutputPaths.versions(slug), versions.map(\.update.modified).max()))
            for (index, version) in versions.enumerated() {
                urls.append((OutputPaths.snapshot(slug, version.update.date), version.update.modified))
                if version.hasChanges {
                    let compared = index > 0 ? versions[index - 1].update.modified : version.update.modified
                    urls.append((OutputPaths.changes(slug, version.update.date), max(version.update.modified, compared)))
                }
            }
        }
        urls.insert((OutputPaths.index, latestDates.max()), at: 0)
        for page in site.pages { urls.append((OutputPaths.page(page.page.slug), nil)) }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (path, date) in urls {
            xml += "  <url><loc>\(x(OutputPaths.absolute(path, base: base)))</loc>"
            if let date { xml += "<lastmod>\(date)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    private func x(_ text: String) -> String { HTML.escape(text) }
}
