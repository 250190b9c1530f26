/// The machine-read files: the Atom feed, the sitemap and robots.txt. Dates come from the
/// content, never the clock, so two builds of the same content are identical.
struct Feeds: Sendable {
    let site: ResolvedSite

    /// The feed, the sitemap and robots.txt, each made by a call of its own (so they can be made at once).
    var makers: [@Sendable () -> OutputFile] {
        [{ OutputFile(path: "feed.xml", text: feed()) },
         { OutputFile(path: "sitemap.xml", text: sitemap()) },
         { OutputFile(path: "robots.txt", text: "User-agent: *\nAllow: /\n\nSitemap: \(site.site.baseURL)sitemap.xml\n") }]
    }

    private var base: String { site.site.baseURL }

    /// Every published update, newest first, as its situation's index and its own: read in
    /// place, where a list of (situation, version) pairs copied each of them whole.
    private var published: [(situation: Int, version: Int)] {
        let situations = site.situations
        // Each one's date taken once, not twice in each of the sort's 20,000 comparisons.
        var entries: [(situation: Int, version: Int, date: IsoDate)] = []
        for s in situations.indices {
            for v in situations[s].versions.indices where !situations[s].versions[v].update.isDraft {
                entries.append((s, v, situations[s].versions[v].update.date))
            }
        }
        let slugs = situations.map(\.situation.slug)
        return entries.sorted { a, b in
            a.date != b.date ? a.date > b.date : slugs[a.situation] > slugs[b.situation]
        }.map { ($0.situation, $0.version) }
    }

    private func timestamp(_ date: IsoDate) -> String { date.description + "T00:00:00Z" }

    func feed() -> String {
        let entries = published
        let situations = site.situations
        let updated = entries.map { situations[$0.situation].versions[$0.version].update.modified }.max()
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
        // Appended piece by piece, each text escaped straight into the feed: with an entry per
        // update, building a string for every value and every entry was most of the feed's time.
        xml.reserveCapacity(xml.utf8.count + entries.count * 700)
        for entry in entries {
            // Each value read in place: the situation and update taken whole were copies of every field.
            let s = entry.situation, v = entry.version
            let slug = situations[s].situation.slug, date = situations[s].versions[v].update.date
            let url = OutputPaths.absolute(OutputPaths.snapshot(slug, date), base: base)
            xml += "  <entry>\n    <title>"
            HTML.escape(situations[s].situation.name, into: &xml)
            xml += ": "
            HTML.escape(situations[s].versions[v].riskLevel.label, into: &xml)
            xml += ", "
            HTML.escape(date.long, into: &xml)
            xml += "</title>\n    <id>"
            HTML.escape(url, into: &xml)
            xml += "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\""
            HTML.escape(url, into: &xml)
            xml += "\"/>"
            if situations[s].versions[v].hasChanges {
                xml += "\n    <link rel=\"related\" type=\"text/html\" title=\"What changed\" href=\""
                HTML.escape(OutputPaths.absolute(OutputPaths.changes(slug, date), base: base), into: &xml)
                xml += "\"/>"
            }
            xml += "\n    <published>"
            xml += timestamp(date)
            xml += "</published>\n    <updated>"
            xml += timestamp(situations[s].versions[v].update.modified)
            xml += "</updated>\n    <summary>"
            HTML.escape(situations[s].versions[v].update.headline, into: &xml)
            xml += "</summary>\n  </entry>\n"
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
        let situations = site.situations
        for s in situations.indices {
            let slug = situations[s].situation.slug
            // The published updates' dates, changed dates and whether each has a redline (the
            // versions themselves are not copied).
            let versions = situations[s].versions.indices.filter { !situations[s].versions[$0].update.isDraft }.map { v in
                (date: situations[s].versions[v].update.date, modified: situations[s].versions[v].update.modified,
                 hasChanges: situations[s].versions[v].hasChanges)
            }
            guard let latest = versions.last else { continue }
            latestDates.append(latest.modified)
            urls.append((OutputPaths.latest(slug), latest.modified))
            urls.append((OutputPaths.versions(slug), versions.map(\.modified).max()))
            for (index, version) in versions.enumerated() {
                urls.append((OutputPaths.snapshot(slug, version.date), version.modified))
                if version.hasChanges {
                    let compared = index > 0 ? versions[index - 1].modified : version.modified
                    urls.append((OutputPaths.changes(slug, version.date), max(version.modified, compared)))
                }
            }
        }
        urls.insert((OutputPaths.index, latestDates.max()), at: 0)
        for page in site.pages { urls.append((OutputPaths.page(page.page.slug), nil)) }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        xml.reserveCapacity(urls.count * (base.utf8.count + 80))
        for (path, date) in urls {
            xml += "  <url><loc>"
            HTML.escape(OutputPaths.absolute(path, base: base), into: &xml)
            xml += "</loc>"
            if let date {
                xml += "<lastmod>"
                xml += date.description
                xml += "</lastmod>"
            }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    private func x(_ text: String) -> String { HTML.escape(text) }
}
