import Foundation

/// A generated site: `situations` × `updates`, about 6 KB of Markdown per update with citations,
/// written as Dossier content and, side by side, as plain Hugo pages with the same bodies.
struct SyntheticSite {
    var situations: Int
    var updates: Int

    static let words = ("civilians authorities detention forced labour displacement report inquiry council resolution "
        + "accountability sanctions protection violence border refugees humanitarian access monitoring evidence "
        + "testimony prosecution tribunal ceasefire negotiations investigation detainees families abuses").split(separator: " ")

    /// Deterministic text: the same site every run, so runs compare.
    func paragraph(_ seed: Int, sentences: Int) -> String {
        var state = UInt64(truncatingIfNeeded: seed &* 2654435761 &+ 1)
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var out: [String] = []
        for s in 0..<sentences {
            let length = 12 + next() % 10
            var sentence = (0..<length).map { _ in String(Self.words[next() % Self.words.count]) }
            sentence[0] = sentence[0].capitalized
            var text = sentence.joined(separator: " ")
            if s % 3 == 0 { text += ", with *emphasis* and a [link](https://example.org/\(next() % 100))" }
            text += "."
            if s % 2 == 0 { text += "[@source-\(next() % 5)]" }
            out.append(text)
        }
        return out.joined(separator: " ")
    }

    /// Like real updates, each one keeps most of the previous text: every paragraph is rewritten
    /// only every few updates, and the analysis gains the newest developments.
    func body(_ situation: Int, _ update: Int) -> String {
        var text = ""
        for (index, section) in ["Background", "Analysis", "Necessary Action"].enumerated() {
            text += "## \(section)\n\n"
            for p in 0..<3 {
                let revision = (update + p + index) / 4
                text += paragraph(situation * 100_000 + index * 1000 + p * 100 + revision, sentences: 3) + "\n\n"
            }
            if index == 1 { text += paragraph(situation * 100_000 + 50_000 + update, sentences: 3) + "\n\n" }
            if index == 2 { text += "- First recommendation for the authorities.\n- Second recommendation.\n\n" }
        }
        return text
    }

    static func date(_ update: Int) -> String {
        String(format: "%04d-%02d-15", 2020 + update / 12, update % 12 + 1)
    }

    /// Writes `Content/` for Dossier (templates come from the project) into `root`.
    func writeDossier(to root: URL) throws -> [String] {
        let content = root.appendingPathComponent("Content")
        try write("""
        title: Benchmark Watch
        base_url: https://bench.example.org/
        language: en
        organisation:
          name: Benchmark Watch
          address: ["1 Example Street"]
        risk_levels:
          - {id: current-crisis, label: Current Crisis, definition: Crimes are occurring.}
          - {id: imminent-risk, label: Imminent Risk, definition: Crimes are likely.}
          - {id: serious-concern, label: Serious Concern, definition: Crimes are possible.}
        sections: [Background, Analysis, Necessary Action]

        """, to: content.appendingPathComponent("site.yaml"))
        var bodies: [String] = []
        for s in 0..<situations {
            let folder = content.appendingPathComponent("situations/country-\(s)")
            try write("name: Country \(s)\nregion: Region \(s % 7)\npopulations_at_risk: Civilians.\nfacts:\n  - label: Inquiry\n    value: Report \(s)\n    source: source-0\n",
                      to: folder.appendingPathComponent("situation.yaml"))
            var sources = ""
            for k in 0..<5 { sources += "source-\(k):\n  title: Report \(k) on country \(s)\n  publisher: Example Council\n  date: 2019-0\(k + 1)\n  url: https://docs.example.org/\(s)/\(k)\n" }
            try write(sources, to: folder.appendingPathComponent("sources.yaml"))
            for u in 0..<updates {
                let body = self.body(s, u)
                bodies.append(body)
                let risk = ["current-crisis", "imminent-risk", "serious-concern"][(s + u / 3) % 3]
                try write("---\ndate: \(Self.date(u))\nrisk_level: \(risk)\nheadline: Country \(s)'s update \(u).\nissue: \(u + 1)\n---\n" + body,
                          to: folder.appendingPathComponent("updates/\(Self.date(u)).md"))
            }
        }
        return bodies
    }

    /// Hugo's configuration with three pages per body, as many files as Dossier makes.
    static let hugoThreePagesConfig = "hugo-three-pages.toml"
    /// Hugo's configuration that also makes the site's files Dossier makes besides its pages.
    static let hugoSiteFilesConfig = "hugo-site-files.toml"

    /// The same bodies as plain Hugo pages with trivial templates, and nothing else. A second
    /// configuration (`hugoThreePagesConfig`) makes three pages of each body, as Dossier makes a
    /// snapshot, a print view and a redline of each update: Hugo renders the body once and writes
    /// it three times. A third (`hugoSiteFilesConfig`) adds what Dossier makes of the whole site:
    /// a feed with an entry for every page, a sitemap, robots.txt and a 404 page. That is Hugo's
    /// default output, taxonomies left out (Dossier has none).
    func writeHugo(to root: URL, bodies: [String]) throws {
        let common = "baseURL = 'https://bench.example.org/'\ntitle = 'Benchmark'\n"
        let config = common + "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n"
        try write(config, to: root.appendingPathComponent("hugo.toml"))
        try write(common + "enableRobotsTXT = true\ndisableKinds = ['taxonomy', 'term']\n[services.rss]\n  limit = -1\n",
                  to: root.appendingPathComponent(Self.hugoSiteFilesConfig))
        var three = config
        for format in ["print", "changes"] {
            three += "[outputFormats.\(format)]\n  mediaType = 'text/html'\n  path = '\(format)'\n  isHTML = true\n  permalinkable = true\n"
            try write("<!DOCTYPE html><html><head><title>{{ .Title }} (\(format))</title></head><body>{{ .Content }}</body></html>\n",
                      to: root.appendingPathComponent("layouts/_default/single.\(format).html"))
        }
        three += "[outputs]\n  page = ['html', 'print', 'changes']\n"
        try write(three, to: root.appendingPathComponent(Self.hugoThreePagesConfig))
        try write("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n",
                  to: root.appendingPathComponent("layouts/_default/single.html"))
        try write("<!DOCTYPE html><html><head><title>Not found</title></head><body>Not found</body></html>\n",
                  to: root.appendingPathComponent("layouts/404.html"))
        try write("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n",
                  to: root.appendingPathComponent("layouts/_default/list.html"))
        for (index, body) in bodies.enumerated() {
            try write("---\ntitle: Page \(index)\n---\n" + body, to: root.appendingPathComponent("content/p\(index).md"))
        }
    }

    /// The same bodies as plain files for the `cmark` command line.
    func writePlain(to root: URL, bodies: [String]) throws -> [String] {
        try bodies.enumerated().map { index, body in
            let url = root.appendingPathComponent("md/\(index).md")
            try write(body, to: url)
            return url.path
        }
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
