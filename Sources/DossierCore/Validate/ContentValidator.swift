import Foundation

/// The `validate` stage: turns loaded YAML and front matter into typed models,
/// collecting every problem as a located diagnostic.
public struct ContentValidator: Sendable {
    public init() {}

    public func validate(_ content: LoadedContent) -> (SiteContent?, [Diagnostic]) {
        var diagnostics = content.diagnostics
        guard let siteFile = content.site, let site = validateSite(siteFile, into: &diagnostics) else {
            return (nil, diagnostics)
        }
        // Situations are independent: validated across the cores, their problems kept in order.
        let checked = content.situations.concurrentMap { folder in
            var problems: [Diagnostic] = []
            let situation = validateSituation(folder, site: site, into: &problems)
            return (situation, problems)
        }
        var situations: [Situation] = []
        for (situation, problems) in checked {
            diagnostics += problems
            if let situation { situations.append(situation) }
        }
        var pages: [Page] = []
        for file in content.pages {
            if let page = validatePage(file, into: &diagnostics) { pages.append(page) }
        }
        // Returned even with errors (leaving out what was invalid), so later stages can report
        // their own problems too: an editor sees every error of a run at once.
        let updateFiles = Set(content.situations.flatMap { folder in folder.updateDates.map { "\(folder.slug)/\($0)" } })
        return (SiteContent(site: site, situations: situations, pages: pages, lock: content.lock, updateFiles: updateFiles),
                diagnostics)
    }

    // MARK: site.yaml

    func validateSite(_ file: LoadedContent.YAMLFile, into diagnostics: inout [Diagnostic]) -> Site? {
        guard var reader = MappingReader(file.root, what: "site.yaml", diagnostics: &diagnostics) else { return nil }
        let title = reader.requiredString("title")
        var baseURL = reader.requiredString("base_url")
        if let url = baseURL, let node = reader.value("base_url") {
            if !LinkPolicy.isWebURL(url) {
                reader.diagnostics.append(.error(at: node.location, "'base_url' must be an absolute http(s) address such as https://www.example.org/"))
                baseURL = nil
            } else if !url.hasSuffix("/") {
                baseURL = url + "/"
            }
        }
        var language = reader.optionalString("language") ?? "en"
        if let node = reader.value("language"), !Self.isLanguageTag(language) {
            // Browsers, screen readers and WeasyPrint read `lang` as a BCP 47 tag: a name such as
            // "English" would leave the page in no language they know.
            reader.diagnostics.append(.error(at: node.location,
                "'language' must be a language tag such as en, fr or pt-BR (BCP 47), found '\(language)'"))
            language = "en"
        }
        var paper = Site.Paper.a4
        if let text = reader.optionalString("paper"), let node = reader.value("paper") {
            if let value = Site.Paper.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
                paper = value
            } else {
                reader.diagnostics.append(.error(at: node.location, "unknown paper '\(text)'; expected A4 or Letter"))
            }
        }
        let stale = reader.optionalInt("stale_after_days", range: 1...36_500)
        let unsafeHTML = reader.optionalBool("unsafe_html") ?? false

        var organisation: Site.Organisation?
        if let node = reader.value("organisation") {
            if var org = MappingReader(node, what: "organisation", diagnostics: &reader.diagnostics) {
                let name = org.requiredString("name")
                var address: [String] = []
                for item in org.list("address") ?? [] {
                    if let line = item.scalar { address.append(line) } else {
                        org.diagnostics.append(.error(at: item.location, "each address line must be text"))
                    }
                }
                reader.diagnostics += org.finish()
                if let name { organisation = Site.Organisation(name: name, address: address) }
            }
        } else {
            reader.diagnostics.append(.error(at: file.root.location, "site.yaml is missing the required field 'organisation'"))
        }

        var riskLevels: [RiskLevel] = []
        for (index, item) in (reader.list("risk_levels", required: true) ?? []).enumerated() {
            guard var level = MappingReader(item, what: "a risk level", diagnostics: &reader.diagnostics) else { continue }
            let id = level.requiredString("id")
            let label = level.requiredString("label")
            let definition = level.requiredString("definition")
            reader.diagnostics += level.finish()
            guard let id, let label, let definition else { continue }
            if !Slug.isValid(id) {
                reader.diagnostics.append(.error(at: item.location, Slug.problem(id, what: "risk level id")))
            } else if riskLevels.contains(where: { $0.id == id }) {
                reader.diagnostics.append(.error(at: item.location, "risk level '\(id)' is defined twice"))
            } else {
                riskLevels.append(RiskLevel(id: id, label: label, definition: definition, rank: index))
            }
        }
        if riskLevels.isEmpty, reader.value("risk_levels") != nil {
            reader.diagnostics.append(.error(at: file.root.location, "site.yaml must define at least one risk level"))
        }
        var sections: [String] = []
        for item in reader.list("sections") ?? [] {
            if let text = item.scalar { sections.append(text) } else {
                reader.diagnostics.append(.error(at: item.location, "each section must be a heading's text"))
            }
        }
        diagnostics += reader.finish()
        guard let title, let baseURL, let organisation, !riskLevels.isEmpty else { return nil }
        return Site(title: title, baseURL: baseURL, language: language, paper: paper, staleAfterDays: stale,
                    organisation: organisation, riskLevels: riskLevels, sections: sections, unsafeHTML: unsafeHTML)
    }

    // MARK: situation.yaml, sources.yaml, updates

    func validateSituation(_ folder: LoadedContent.SituationFolder, site: Site, into diagnostics: inout [Diagnostic]) -> Situation? {
        let sources = folder.sources.map { validateSources($0, into: &diagnostics) } ?? []
        let sourceKeys = Set(sources.map(\.key))
        guard let file = folder.situation,
              var reader = MappingReader(file.root, what: "situation.yaml", diagnostics: &diagnostics) else { return nil }
        let name = reader.requiredString("name")
        let shortName = reader.optionalString("short_name")
        let region = reader.optionalString("region")
        let populations = reader.optionalString("populations_at_risk")
        var facts: [Fact] = []
        for item in reader.list("facts") ?? [] {
            guard var fact = MappingReader(item, what: "a fact", diagnostics: &reader.diagnostics) else { continue }
            let label = fact.requiredString("label")
            let value = fact.requiredString("value")
            let source = fact.optionalString("source")
            if let source, let node = fact.value("source"), !sourceKeys.contains(source), !folder.sourcesUnreadable {
                fact.diagnostics.append(.error(at: node.location, unknownSource(source, known: sourceKeys, file: folder.sources?.file.path)))
            }
            reader.diagnostics += fact.finish()
            if let label, let value { facts.append(Fact(label: label, value: value, sourceKey: source)) }
        }
        diagnostics += reader.finish()

        var updates: [Update] = []
        var updatesUnreadable = folder.updatesUnreadable
        for markdown in folder.updates {
            if let update = validateUpdate(markdown, site: site, into: &diagnostics) {
                updates.append(update)
            } else {
                updatesUnreadable = true
            }
        }
        updates.sort { $0.date < $1.date }
        diagnostics += Self.issueOrder(updates)
        guard let name else { return nil }
        return Situation(slug: folder.slug, name: name, shortName: shortName, region: region,
                         populationsAtRisk: populations, facts: facts, sources: sources,
                         updates: updates, file: file.file.path, sourcesUnreadable: folder.sourcesUnreadable,
                         updatesUnreadable: updatesUnreadable)
    }

    /// The shape of a BCP 47 language tag: a language of two or three letters (ISO 639; the
    /// syntax's longer ones are reserved, and a name such as "English" would pass for one), then
    /// subtags of one to eight letters and digits (`en`, `fr-CA`, `zh-Hant-TW`, `es-419`).
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// A situation's updates, in date order, number their issues upwards: an issue number that is
    /// not above the one before is most likely mistyped (74 for 47) or copied.
    static func issueOrder(_ updates: [Update]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var before: (issue: Int, date: IsoDate)?
        for update in updates {
            guard let issue = update.issue, let location = update.issueLocation else { continue }
            if let before, issue <= before.issue {
                found.append(.warning(at: location, "issue \(issue) is not higher than issue \(before.issue) of the update of \(before.date): "
                    + "each update takes a higher issue number than the one before; check the number"))
            }
            before = (issue, update.date)
        }
        return found
    }

    /// An address copied without its scheme (`undocs.org/A/HRC/25/63`, `//undocs.org/…`), as a
    /// browser's address bar shows it: the https:// address it stands for; nil for anything else.
    static func webAddress(completing text: String) -> String? {
        let candidate = text.hasPrefix("//") ? "https:" + text : "https://" + text
        let afterScheme = candidate.dropFirst("https://".count)
        let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // A host with a path after it, or one that starts with www.: not a file name like report.pdf.
        guard !text.hasPrefix("/") || text.hasPrefix("//"), !host.contains(":"), !host.contains(" "),
              host.contains("."), !host.hasPrefix("."), !host.hasSuffix("."),
              host.count < afterScheme.count || host.hasPrefix("www."),
              LinkPolicy.isWebURL(candidate) else { return nil }
        return candidate
    }

    func unknownSource(_ key: String, known: Set<String>, file: String?) -> String {
        var message = "unknown source '\(key)'"
        if let guess = known.min(by: { editDistance(key, $0) < editDistance(key, $1) }), editDistance(key, guess) <= 3 {
            message += "; did you mean '\(guess)'?"
        }
        message += known.isEmpty ? " (no sources.yaml defines any sources)" : " (sources are the keys of \(file ?? "sources.yaml"))"
        return message
    }

    func validateSources(_ file: LoadedContent.YAMLFile, into diagnostics: inout [Diagnostic]) -> [Source] {
        guard let pairs = file.root.pairs else {
            if !file.root.isNull {
                diagnostics.append(.error(at: file.root.location, "sources.yaml must map source keys to sources, found \(file.root.kindName)"))
            }
            return []
        }
        var sources: [Source] = []
        for pair in pairs {
            if !isCitationKey(pair.key) {
                diagnostics.append(.error(at: pair.keyLocation, "source key '\(pair.key)' may only use letters, digits, '-', '_', '.' and ':'"))
                continue
            }
            guard var reader = MappingReader(pair.value, what: "source '\(pair.key)'", diagnostics: &diagnostics) else { continue }
            let title = reader.requiredString("title")
            let publisher = reader.optionalString("publisher")
            let symbol = reader.optionalString("symbol")
            var date: PartialDate?
            if let text = reader.optionalString("date"), let node = reader.value("date") {
                date = PartialDate(text)
                if date == nil {
                    reader.diagnostics.append(.error(at: node.location, "'date' must be YYYY, YYYY-MM or YYYY-MM-DD (a real date), found '\(text)'"))
                }
            }
            var url = reader.optionalString("url")
            if let text = url, let node = reader.value("url"), !LinkPolicy.isWebURL(text) {
                var message = "'url' must be an http:// or https:// address, found '\(text)'"
                if let guess = Self.webAddress(completing: text) { message += ": did you mean '\(guess)'?" }
                reader.diagnostics.append(.error(at: node.location, message))
                url = nil
            }
            diagnostics += reader.finish()
            if let title {
                sources.append(Source(key: pair.key, title: title, publisher: publisher, symbol: symbol,
                                      date: date, url: url, location: pair.keyLocation))
            }
        }
        return sources
    }

    func validateUpdate(_ markdown: LoadedContent.MarkdownFile, site: Site, into diagnostics: inout [Diagnostic]) -> Update? {
        guard var reader = MappingReader(markdown.frontMatter.yaml, what: "the update's front matter", diagnostics: &diagnostics) else { return nil }
        let date = reader.requiredDate("date")
        if let (value, node) = date, value.description != markdown.stem {
            reader.diagnostics.append(.error(at: node.location, "date \(value) does not match the file name \(markdown.stem).md"))
        }
        var riskLevel = reader.requiredString("risk_level")
        if let id = riskLevel, let node = reader.value("risk_level"), site.riskLevel(id: id) == nil {
            let ids = site.riskLevels.map(\.id).joined(separator: ", ")
            reader.diagnostics.append(.error(at: node.location, "unknown risk level '\(id)'; expected one of \(ids)"))
            riskLevel = nil
        }
        let headline = reader.requiredString("headline")
        let issue = reader.optionalInt("issue", range: 1...1_000_000)
        var status = Update.Status.published
        if let text = reader.optionalString("status"), let node = reader.value("status") {
            if let value = Update.Status(rawValue: text) { status = value } else {
                reader.diagnostics.append(.error(at: node.location, "unknown status '\(text)'; expected published or draft"))
            }
        }
        var corrections: [Update.Correction] = []
        for item in reader.list("corrections") ?? [] {
            guard var correction = MappingReader(item, what: "a correction", diagnostics: &reader.diagnostics) else { continue }
            let when = correction.requiredDate("date")
            let note = correction.requiredString("note")
            if let (day, node) = when, let (published, _) = date, day < published {
                correction.diagnostics.append(.error(at: node.location, "a correction cannot be dated before the update it corrects (\(published))"))
            }
            reader.diagnostics += correction.finish()
            if let (day, node) = when, let note { corrections.append(.init(date: day, note: note, dateLocation: node.location)) }
        }
        let problems = reader.finish()
        diagnostics += problems
        if status == .published {
            diagnostics += placeholders(in: markdown, headline: headline.flatMap { text in reader.value("headline").map { (text, $0.location) } })
        }
        guard !problems.hasErrors, let (day, dateNode) = date, let riskLevel, let headline else { return nil }
        let body = MarkdownSource(text: markdown.frontMatter.body, file: markdown.file.path,
                                  startLine: markdown.frontMatter.bodyStartLine, fullText: markdown.file.text)
        return Update(date: day, dateLocation: dateNode.location, riskLevel: riskLevel, headline: headline, issue: issue,
                      issueLocation: issue == nil ? nil : reader.value("issue")?.location, status: status,
                      corrections: corrections.sorted { $0.date < $1.date }, body: body)
    }

    /// The text `dossier new` writes into a new situation's first draft, still there in a published update.
    func placeholders(in markdown: LoadedContent.MarkdownFile, headline: (text: String, location: SourceLocation)?) -> [Diagnostic] {
        let keep = "before publishing, or keep 'status: draft'"
        var found: [Diagnostic] = []
        if let headline, headline.text == DraftWriter.placeholderHeadline {
            found.append(.error(at: headline.location, "the headline is still the placeholder that 'dossier new' wrote; write the update's own \(keep)"))
        }
        // Most updates do not have it: one search of the bytes before looking at lines.
        let text = markdown.file.text
        let placeholder = DraftWriter.placeholderText
        let present = ByteSearch.contains(Array(placeholder.utf8), in: text)
        guard present else { return found }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index + 1 >= markdown.frontMatter.bodyStartLine && line.trimmingCharacters(in: .whitespaces) == placeholder {
            found.append(.error(markdown.file.path, line: index + 1, column: 1,
                                "'\(placeholder)' is the placeholder that 'dossier new' wrote; write the section \(keep)"))
        }
        return found
    }

    func validatePage(_ markdown: LoadedContent.MarkdownFile, into diagnostics: inout [Diagnostic]) -> Page? {
        guard var reader = MappingReader(markdown.frontMatter.yaml, what: "the page's front matter", diagnostics: &diagnostics) else { return nil }
        let title = reader.requiredString("title")
        let problems = reader.finish()
        diagnostics += problems
        guard let title, !problems.hasErrors else { return nil }
        return Page(slug: markdown.stem, title: title,
                    body: MarkdownSource(text: markdown.frontMatter.body, file: markdown.file.path,
                                         startLine: markdown.frontMatter.bodyStartLine, fullText: markdown.file.text))
    }
}

/// Keys that `[@key]` can cite.
func isCitationKey(_ key: String) -> Bool {
    !key.isEmpty && key.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0)
    }
}
