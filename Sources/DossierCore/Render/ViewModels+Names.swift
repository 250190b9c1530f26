/// Every name a template may use, read off fully populated samples of the view models, so a
/// template that names a field no view model provides is an error instead of a blank.
/// (swift-mustache renders an unknown name as empty text.)
enum ViewModelNames {
    static let all: Set<String> = {
        var names: Set<String> = []
        for sample in samples { collect(sample, into: &names) }
        return names
    }()

    /// Labels of a value's stored properties, recursively through optionals, arrays and structs.
    static func collect(_ value: Any, into names: inout Set<String>) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let child = mirror.children.first { collect(child.value, into: &names) }
            return
        }
        if mirror.displayStyle == .collection {
            for child in mirror.children { collect(child.value, into: &names) }
            return
        }
        guard mirror.displayStyle == .struct else { return }
        for child in mirror.children {
            guard let label = child.label, !internalFields.contains(label) else { continue }
            if !flattened.contains(label) { names.insert(label) }
            collect(child.value, into: &names)
        }
    }

    /// Fields that hold a `Bool` in some view model. A section over one renders its text or not,
    /// in the same context: `{{.}}` inside it is still the view around it.
    static let boolFields: Set<String> = {
        var names: Set<String> = []
        func collect(_ value: Any) {
            let mirror = Mirror(reflecting: value)
            for child in mirror.children {
                if let label = child.label, child.value is Bool { names.insert(label) }
                collect(child.value)
            }
        }
        samples.forEach(collect)
        return names
    }()

    /// Whether a section over `name` puts a new value on the context stack (a `Bool` does not).
    static func opensValue(_ name: String) -> Bool {
        !boolFields.contains(String(name.split(separator: ".").last ?? ""))
    }

    /// Fields that carry work done ahead for the template engine, not values to show.
    static let internalFields: Set<String> = [TemplateLibrary.versionPartialsName]

    /// The fields of an entry of a situation page's list of versions.
    static let versionLinkFields: Set<String> = {
        var names: Set<String> = []
        for child in Mirror(reflecting: sampleVersionLink).children {
            if let label = child.label, !internalFields.contains(label) { names.insert(label) }
        }
        return names
    }()

    static var sampleVersionLink: VersionLinkView {
        VersionLinkView(date: sampleDate, href: "h", isCurrent: true, isDraft: false,
                        versionPartials: ["p": "t"])
    }

    /// Fields that hold part of a view whose own fields templates name directly
    /// (`SituationPageView.content`: `{{name}}`, not `{{content.name}}`).
    static let flattened: Set<String> = ["content"]

    /// Names whose value differs between the pages of one update (the latest page, the snapshot,
    /// the print views): the page's links and flags, and everything the print view adds. A partial
    /// that names none of them renders the same on all of an update's pages.
    static let pageDependent: Set<String> = {
        var names: Set<String> = [TemplateLibrary.sharedPartialsName]
        for sample in [situationSample as Any, printSample] {
            for child in Mirror(reflecting: sample).children {
                if let label = child.label, !flattened.contains(label) { names.insert(label) }
            }
        }
        return names
    }()

    /// Names that are not fields: the current item, and numeric indexes.
    static func isKnown(_ name: String) -> Bool {
        name == "." || name.split(separator: ".").allSatisfy { all.contains(String($0)) || Int($0) != nil }
    }

    static let sampleDate = DateView(IsoDate(year: 2025, month: 1, day: 1)!)
    static let sampleRisk = RiskView(RiskLevel(id: "a", label: "A", definition: "A.", rank: 0))
    static let sampleLayout = LayoutView(language: "en", title: "t", pageTitle: "p", siteTitle: "s", description: "d", canonical: "c",
                                         noindex: false, root: "", stylesheet: "s", pages: [.init(title: "t", href: "h")],
                                         organisation: .init(name: "n", address: ["a"]), asset: AssetPaths([:]))

    static var situationSample: SituationPageView {
        let date = sampleDate
        let content = UpdateContentView(
            name: "n", region: "r", risk: sampleRisk, headline: "h", date: date, issue: 1, isDraft: false, latestDate: date,
            populationsAtRisk: "p", body: "b",
            hasFacts: true, facts: [.init(label: "l", value: "v", anchor: "a", source: .init(number: 1))],
            hasSources: true,
            sources: [.init(number: 1, title: "t", publisher: "p", symbol: "s", published: date, url: "u",
                            backlinks: "<a>")],
            hasCorrections: true, corrections: [.init(date: date, note: "n")], previousDate: date)
        return SituationPageView(
            content: content, layout: sampleLayout, isArchived: false, latestHref: "l", permalinkHref: "p",
            versions: [sampleVersionLink], versionsHref: "v",
            changesHref: "c", printHref: "p", pdfHref: "p", body: "b")
    }

    static var printSample: PrintPageView {
        PrintPageView(page: situationSample, paper: "A4", printStylesheet: "p", cssOrganisation: "o", cssRunningTitle: "t",
                      permanentURL: "u", canonicalHref: "c", modified: sampleDate)
    }

    static var samples: [Any] {
        let date = sampleDate
        let risk = sampleRisk
        let layout = sampleLayout
        let page = situationSample
        let run = ChangesPageView.RunView(Redline.Run(change: .inserted, text: "t"))
        return [
            page,
            printSample,
            VersionsPageView(layout: layout, name: "n",
                             versions: [.init(date: date, href: "h", issue: 1, headline: "h", risk: risk,
                                              trend: TrendView(.first), isDraft: false, changesHref: "c")]),
            ChangesPageView(layout: layout, name: "n", date: date, previousDate: date, snapshotHref: "s", previousHref: "p",
                            versionsHref: "v", riskChanged: true, riskBefore: risk, risk: risk, trend: TrendView(.first),
                            headlineChanged: true, headlineRuns: [run], headlineHTML: "<ins>t</ins> ", hasSectionChanges: true,
                            sections: [.init(title: "t", anchor: "a", statusLabel: "s", isChanged: true, wordsInserted: 1,
                                             wordsDeleted: 1, citationsInserted: 1, citationsDeleted: 1, wordCounts: "w", paragraphs: [.init(runs: [.init(change: .inserted, text: "t")])])],
                            hasSourcesAdded: true, sourcesAdded: [.init(title: "t")], hasSourcesRemoved: true,
                            sourcesRemoved: [.init(title: "t")], hasFactChanges: true,
                            factChanges: [.init(label: "l", before: "b", after: "a")], isDraft: false),
            IndexView(layout: layout, siteTitle: "s",
                      groups: [.init(risk: risk, situations: [.init(name: "n", href: "h", headline: "h", date: date, riskChanged: true,
                                                                    riskBefore: risk, trend: TrendView(.escalated))])]),
            PlainPageView(layout: layout, title: "t", body: "b"),
            NotFoundView(layout: layout),
        ]
    }
}
