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
            if let label = child.label { names.insert(label) }
            collect(child.value, into: &names)
        }
    }

    /// Names that are not fields: the current item, and numeric indexes.
    static func isKnown(_ name: String) -> Bool {
        name == "." || name.split(separator: ".").allSatisfy { all.contains(String($0)) || Int($0) != nil }
    }

    static var samples: [Any] {
        let date = DateView(IsoDate(year: 2025, month: 1, day: 1)!)
        let risk = RiskView(RiskLevel(id: "a", label: "A", definition: "A.", rank: 0))
        let layout = LayoutView(language: "en", title: "t", siteTitle: "s", description: "d", canonical: "c", noindex: false,
                                root: "", stylesheet: "s", pages: [.init(title: "t", href: "h")],
                                organisation: .init(name: "n", address: ["a"]))
        let page = SituationPageView(
            layout: layout, name: "n", region: "r", risk: risk, headline: "h", date: date, issue: 1, isDraft: false,
            isArchived: false, latestHref: "l", latestDate: date, permalinkHref: "p", populationsAtRisk: "p", body: "b",
            hasFacts: true, facts: [.init(label: "l", value: "v", anchor: "a", source: .init(number: 1))],
            hasSources: true,
            sources: [.init(number: 1, title: "t", publisher: "p", symbol: "s", published: date, url: "u",
                            backlinks: "<a>")],
            hasCorrections: true, corrections: [.init(date: date, note: "n")],
            versions: [.init(date: date, href: "h", isCurrent: true, isDraft: false)], versionsHref: "v",
            changesHref: "c", previousDate: date, printHref: "p", pdfHref: "p")
        let run = ChangesPageView.RunView(Redline.Run(change: .inserted, text: "t"))
        return [
            page,
            PrintPageView(page: page, paper: "A4", printStylesheet: "p", cssOrganisation: "o", cssRunningTitle: "t",
                          permanentURL: "u", canonicalHref: "c", modified: date),
            VersionsPageView(layout: layout, name: "n",
                             versions: [.init(date: date, href: "h", issue: 1, headline: "h", risk: risk,
                                              trend: TrendView(.first), isDraft: false, changesHref: "c")]),
            ChangesPageView(layout: layout, name: "n", date: date, previousDate: date, snapshotHref: "s", previousHref: "p",
                            versionsHref: "v", riskChanged: true, riskBefore: risk, risk: risk, trend: TrendView(.first),
                            headlineChanged: true, headlineRuns: [run], hasSectionChanges: true,
                            sections: [.init(title: "t", anchor: "a", statusLabel: "s", isChanged: true, wordsInserted: 1,
                                             wordsDeleted: 1, paragraphs: [.init(runs: [.init(change: .inserted, text: "t")])])],
                            hasSourcesAdded: true, sourcesAdded: [.init(title: "t")], hasSourcesRemoved: true,
                            sourcesRemoved: [.init(title: "t")], hasFactChanges: true,
                            factChanges: [.init(label: "l", before: "b", after: "a")], isDraft: false),
            IndexView(layout: layout, siteTitle: "s",
                      groups: [.init(risk: risk, situations: [.init(name: "n", href: "h", headline: "h", date: date)])]),
            PlainPageView(layout: layout, title: "t", body: "b"),
            NotFoundView(layout: layout),
        ]
    }
}
