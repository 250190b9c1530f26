import Mustache

// Direct lookups for the template engine: a switch per view model instead of reflection at every tag,
// each answer typed by its kind (`ViewField`), which is what `Skeletons` matches on.
// A test checks that every stored property is listed here (ViewModelNames keeps the full list).

extension LayoutView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "language": ViewField(self.language)
        case "title": ViewField(self.title)
        case "pageTitle": ViewField(self.pageTitle)
        case "siteTitle": ViewField(self.siteTitle)
        case "description": ViewField(self.description)
        case "canonical": ViewField(self.canonical)
        case "noindex": ViewField(self.noindex)
        case "root": ViewField(self.root)
        case "stylesheet": ViewField(self.stylesheet)
        case "pages": ViewField(self.pages)
        case "organisation": ViewField(self.organisation)
        // Every page view answers `asset` with this too, so `{{#asset}}` works anywhere in a page.
        case "asset": .other(MustacheLambda(lambdaFunction(named: "asset")!))
        default: .absent
        }
    }
}

extension LayoutView.PageLink: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "title": ViewField(self.title)
        case "href": ViewField(self.href)
        default: .absent
        }
    }
}

extension LayoutView.OrganisationView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "name": ViewField(self.name)
        case "address": ViewField(self.address)
        default: .absent
        }
    }
}

extension DateView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "iso": ViewField(self.iso)
        case "long": ViewField(self.long)
        default: .absent
        }
    }
}

extension RiskView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "id": ViewField(self.id)
        case "label": ViewField(self.label)
        case "definition": ViewField(self.definition)
        case "tone": ViewField(self.tone)
        default: .absent
        }
    }
}

extension FactView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "label": ViewField(self.label)
        case "value": ViewField(self.value)
        case "anchor": ViewField(self.anchor)
        case "source": ViewField(self.source)
        default: .absent
        }
    }
}

extension FactView.SourceRef: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "number": ViewField(self.number)
        default: .absent
        }
    }
}

extension SourceView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "number": ViewField(self.number)
        case "title": ViewField(self.title)
        case "publisher": ViewField(self.publisher)
        case "symbol": ViewField(self.symbol)
        case "published": ViewField(self.published)
        case "url": ViewField(self.url)
        case "backlinks": ViewField(self.backlinks)
        default: .absent
        }
    }
}


extension CorrectionView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "date": ViewField(self.date)
        case "note": ViewField(self.note)
        default: .absent
        }
    }
}

extension VersionLinkView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "date": ViewField(self.date)
        case "href": ViewField(self.href)
        case "isCurrent": ViewField(self.isCurrent)
        case "isDraft": ViewField(self.isDraft)
        case TemplateLibrary.versionPartialsName: ViewField(self.versionPartials)
        default: .absent
        }
    }
}

extension UpdateContentView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "name": ViewField(self.name)
        case "region": ViewField(self.region)
        case "risk": ViewField(self.risk)
        case "headline": ViewField(self.headline)
        case "date": ViewField(self.date)
        case "issue": ViewField(self.issue)
        case "isDraft": ViewField(self.isDraft)
        case "latestDate": ViewField(self.latestDate)
        case "populationsAtRisk": ViewField(self.populationsAtRisk)
        case "body": ViewField(self.body)
        case "hasFacts": ViewField(self.hasFacts)
        case "facts": ViewField(self.facts)
        case "hasSources": ViewField(self.hasSources)
        case "sources": ViewField(self.sources)
        case "hasCorrections": ViewField(self.hasCorrections)
        case "corrections": ViewField(self.corrections)
        case "previousDate": ViewField(self.previousDate)
        default: .absent
        }
    }
}

extension SituationPageView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        case "isArchived": ViewField(self.isArchived)
        case "latestHref": ViewField(self.latestHref)
        case "permalinkHref": ViewField(self.permalinkHref)
        case "versions": ViewField(self.versions)
        case "versionsHref": ViewField(self.versionsHref)
        case "changesHref": ViewField(self.changesHref)
        case "printHref": ViewField(self.printHref)
        case "pdfHref": ViewField(self.pdfHref)
        case "body": ViewField(self.body ?? content.body)
        default: content.field(named: name).or(name == "asset" ? layout.field(named: name) : .absent)
        }
    }
}

extension PrintPageView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "page": ViewField(self.page)
        case "paper": ViewField(self.paper)
        case "printStylesheet": ViewField(self.printStylesheet)
        case "cssOrganisation": ViewField(self.cssOrganisation)
        case "cssRunningTitle": ViewField(self.cssRunningTitle)
        case "permanentURL": ViewField(self.permanentURL)
        case "canonicalHref": ViewField(self.canonicalHref)
        case "modified": ViewField(self.modified)
        default: name == "asset" ? page.layout.field(named: name) : .absent
        }
    }
}

extension TrendView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "id": ViewField(self.id)
        case "label": ViewField(self.label)
        case "icon": ViewField(self.icon)
        default: .absent
        }
    }
}

extension VersionRowView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "date": ViewField(self.date)
        case "href": ViewField(self.href)
        case "issue": ViewField(self.issue)
        case "headline": ViewField(self.headline)
        case "risk": ViewField(self.risk)
        case "trend": ViewField(self.trend)
        case "isDraft": ViewField(self.isDraft)
        case "changesHref": ViewField(self.changesHref)
        default: .absent
        }
    }
}

extension VersionsPageView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        case "name": ViewField(self.name)
        case "versions": ViewField(self.versions)
        default: name == "asset" ? layout.field(named: name) : .absent
        }
    }
}

extension ChangesPageView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        case "name": ViewField(self.name)
        case "date": ViewField(self.date)
        case "previousDate": ViewField(self.previousDate)
        case "snapshotHref": ViewField(self.snapshotHref)
        case "previousHref": ViewField(self.previousHref)
        case "versionsHref": ViewField(self.versionsHref)
        case "riskChanged": ViewField(self.riskChanged)
        case "riskBefore": ViewField(self.riskBefore)
        case "risk": ViewField(self.risk)
        case "trend": ViewField(self.trend)
        case "headlineChanged": ViewField(self.headlineChanged)
        case "headlineRuns": ViewField(self.headlineRuns)
        case "headlineHTML": ViewField(self.headlineHTML)
        case "hasSectionChanges": ViewField(self.hasSectionChanges)
        case "sections": ViewField(self.sections)
        case "hasSourcesAdded": ViewField(self.hasSourcesAdded)
        case "sourcesAdded": ViewField(self.sourcesAdded)
        case "hasSourcesRemoved": ViewField(self.hasSourcesRemoved)
        case "sourcesRemoved": ViewField(self.sourcesRemoved)
        case "hasFactChanges": ViewField(self.hasFactChanges)
        case "factChanges": ViewField(self.factChanges)
        case "isDraft": ViewField(self.isDraft)
        default: name == "asset" ? layout.field(named: name) : .absent
        }
    }
}

extension ChangesPageView.RunView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "text": ViewField(self.text)
        case "isInserted": ViewField(self.isInserted)
        case "isDeleted": ViewField(self.isDeleted)
        case "isUnchanged": ViewField(self.isUnchanged)
        default: .absent
        }
    }
}

extension ChangesPageView.ParagraphView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "html": ViewField(self.html)
        default: .absent
        }
    }
}

extension ChangesPageView.SectionView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "title": ViewField(self.title)
        case "anchor": ViewField(self.anchor)
        case "statusLabel": ViewField(self.statusLabel)
        case "isChanged": ViewField(self.isChanged)
        case "wordsInserted": ViewField(self.wordsInserted)
        case "wordsDeleted": ViewField(self.wordsDeleted)
        case "citationsInserted": ViewField(self.citationsInserted)
        case "citationsDeleted": ViewField(self.citationsDeleted)
        case "wordCounts": ViewField(self.wordCounts)
        case "paragraphs": ViewField(self.paragraphs)
        default: .absent
        }
    }
}

extension ChangesPageView.FactChangeView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "label": ViewField(self.label)
        case "before": ViewField(self.before)
        case "after": ViewField(self.after)
        default: .absent
        }
    }
}

extension ChangesPageView.SourceTitle: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "title": ViewField(self.title)
        default: .absent
        }
    }
}

extension IndexView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        case "siteTitle": ViewField(self.siteTitle)
        case "groups": ViewField(self.groups)
        default: name == "asset" ? layout.field(named: name) : .absent
        }
    }
}

extension IndexView.Entry: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "name": ViewField(self.name)
        case "href": ViewField(self.href)
        case "headline": ViewField(self.headline)
        case "date": ViewField(self.date)
        case "riskChanged": ViewField(self.riskChanged)
        case "riskBefore": ViewField(self.riskBefore)
        case "trend": ViewField(self.trend)
        default: .absent
        }
    }
}

extension IndexView.Group: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "risk": ViewField(self.risk)
        case "situations": ViewField(self.situations)
        default: .absent
        }
    }
}

extension PlainPageView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        case "title": ViewField(self.title)
        case "body": ViewField(self.body)
        default: name == "asset" ? layout.field(named: name) : .absent
        }
    }
}

extension NotFoundView: FieldView {
    func field(named name: String) -> ViewField {
        switch name {
        case "layout": ViewField(self.layout)
        default: name == "asset" ? layout.field(named: name) : .absent
        }
    }
}

extension LayoutView: LambdaCarrying {
    /// `{{#asset}}logo.svg{{/asset}}`: the asset's published path from this page.
    func lambdaFunction(named name: String) -> ((String) -> String)? {
        guard name == "asset" else { return nil }
        return { [asset, root] name in asset.href(name, root: root) }
    }
}

/// A page's view, which answers `asset` with its layout's lambda (`Skeletons` calls it directly).
protocol AnswersAssets: FieldView {
    var layoutOfPage: LayoutView { get }
}

extension AnswersAssets {
    func lambdaFunction(named name: String) -> ((String) -> String)? { layoutOfPage.lambdaFunction(named: name) }
}

extension SituationPageView: AnswersAssets { var layoutOfPage: LayoutView { layout } }
extension PrintPageView: AnswersAssets { var layoutOfPage: LayoutView { page.layout } }
extension VersionsPageView: AnswersAssets { var layoutOfPage: LayoutView { layout } }
extension ChangesPageView: AnswersAssets { var layoutOfPage: LayoutView { layout } }
extension IndexView: AnswersAssets { var layoutOfPage: LayoutView { layout } }
extension PlainPageView: AnswersAssets { var layoutOfPage: LayoutView { layout } }
extension NotFoundView: AnswersAssets { var layoutOfPage: LayoutView { layout } }

// Strings render as themselves. Without this, swift-mustache prints every value through
// `String(describing:)` after probing it for an Optional wrapper: two dynamic casts and the
// standard library's printing machinery, for each of the ~140 lookups of a page.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { false }
}

// Whole numbers (source numbers, issue numbers, words counted) render as their digits, directly,
// for the same reason.
extension Int: @retroactive MustacheCustomRenderable {
    public var renderText: String { String(self) }
    public var isNull: Bool { false }
}

// A string opened as a section (`{{#url}}<a href="{{url}}">{{title}}</a>{{/url}}`) sits on the
// context stack, and every name inside is first looked up on it. swift-mustache does that by
// reflection (`Mirror`), which finds nothing on a string: saying so directly is the same answer, faster.
extension String: @retroactive MustacheParent {
    public func child(named name: String) -> Any? { nil }
}
