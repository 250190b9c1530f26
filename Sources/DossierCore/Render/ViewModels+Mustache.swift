import Mustache

// Direct lookups for the template engine: a switch per view model instead of reflection at every tag.
// A test checks that every stored property is listed here (ViewModelNames keeps the full list).

extension LayoutView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "language": self.language
        case "title": self.title
        case "pageTitle": self.pageTitle
        case "siteTitle": self.siteTitle
        case "description": self.description.map { $0 as Any }
        case "canonical": self.canonical.map { $0 as Any }
        case "noindex": self.noindex
        case "root": self.root
        case "stylesheet": self.stylesheet
        case "pages": self.pages
        case "organisation": self.organisation
        // Every page view answers `asset` with this too, so `{{#asset}}` works anywhere in a page.
        case "asset": MustacheLambda(lambdaFunction(named: "asset")!)
        default: nil
        }
    }
}

extension LayoutView.PageLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "href": self.href
        default: nil
        }
    }
}

extension LayoutView.OrganisationView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "address": self.address
        default: nil
        }
    }
}

extension DateView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "iso": self.iso
        case "long": self.long
        default: nil
        }
    }
}

extension RiskView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "label": self.label
        case "definition": self.definition
        case "tone": self.tone
        default: nil
        }
    }
}

extension FactView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "value": self.value
        case "anchor": self.anchor
        case "source": self.source.map { $0 as Any }
        default: nil
        }
    }
}

extension FactView.SourceRef: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "number": self.number
        default: nil
        }
    }
}

extension SourceView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "number": self.number
        case "title": self.title
        case "publisher": self.publisher.map { $0 as Any }
        case "symbol": self.symbol.map { $0 as Any }
        case "published": self.published.map { $0 as Any }
        case "url": self.url.map { $0 as Any }
        case "backlinks": self.backlinks
        default: nil
        }
    }
}


extension CorrectionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": self.date
        case "note": self.note
        default: nil
        }
    }
}

extension VersionLinkView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": self.date
        case "href": self.href
        case "isCurrent": self.isCurrent
        case "isDraft": self.isDraft
        case TemplateLibrary.versionPartialsName: self.versionPartials.map { $0 as Any }
        default: nil
        }
    }
}

extension UpdateContentView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "region": self.region.map { $0 as Any }
        case "risk": self.risk
        case "headline": self.headline
        case "date": self.date
        case "issue": self.issue.map { $0 as Any }
        case "isDraft": self.isDraft
        case "latestDate": self.latestDate
        case "populationsAtRisk": self.populationsAtRisk.map { $0 as Any }
        case "body": self.body
        case "hasFacts": self.hasFacts
        case "facts": self.facts
        case "hasSources": self.hasSources
        case "sources": self.sources
        case "hasCorrections": self.hasCorrections
        case "corrections": self.corrections
        case "previousDate": self.previousDate.map { $0 as Any }
        default: nil
        }
    }
}

extension SituationPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "isArchived": self.isArchived
        case "latestHref": self.latestHref
        case "permalinkHref": self.permalinkHref.map { $0 as Any }
        case "versions": self.versions
        case "versionsHref": self.versionsHref
        case "changesHref": self.changesHref.map { $0 as Any }
        case "printHref": self.printHref
        case "pdfHref": self.pdfHref.map { $0 as Any }
        case "body": self.body ?? content.body
        default: content.child(named: name) ?? (name == "asset" ? layout.child(named: name) : nil)
        }
    }
}

extension PrintPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": self.page
        case "paper": self.paper
        case "printStylesheet": self.printStylesheet
        case "cssOrganisation": self.cssOrganisation
        case "cssRunningTitle": self.cssRunningTitle
        case "permanentURL": self.permanentURL
        case "canonicalHref": self.canonicalHref
        case "modified": self.modified
        default: name == "asset" ? page.layout.child(named: name) : nil
        }
    }
}

extension TrendView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "label": self.label
        case "icon": self.icon
        default: nil
        }
    }
}

extension VersionRowView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": self.date
        case "href": self.href
        case "issue": self.issue.map { $0 as Any }
        case "headline": self.headline
        case "risk": self.risk
        case "trend": self.trend
        case "isDraft": self.isDraft
        case "changesHref": self.changesHref.map { $0 as Any }
        default: nil
        }
    }
}

extension VersionsPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "name": self.name
        case "versions": self.versions
        default: name == "asset" ? layout.child(named: name) : nil
        }
    }
}

extension ChangesPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "name": self.name
        case "date": self.date
        case "previousDate": self.previousDate
        case "snapshotHref": self.snapshotHref
        case "previousHref": self.previousHref
        case "versionsHref": self.versionsHref
        case "riskChanged": self.riskChanged
        case "riskBefore": self.riskBefore
        case "risk": self.risk
        case "trend": self.trend
        case "headlineChanged": self.headlineChanged
        case "headlineRuns": self.headlineRuns
        case "headlineHTML": self.headlineHTML
        case "hasSectionChanges": self.hasSectionChanges
        case "sections": self.sections
        case "hasSourcesAdded": self.hasSourcesAdded
        case "sourcesAdded": self.sourcesAdded
        case "hasSourcesRemoved": self.hasSourcesRemoved
        case "sourcesRemoved": self.sourcesRemoved
        case "hasFactChanges": self.hasFactChanges
        case "factChanges": self.factChanges
        case "isDraft": self.isDraft
        default: name == "asset" ? layout.child(named: name) : nil
        }
    }
}

extension ChangesPageView.RunView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": self.text
        case "isInserted": self.isInserted
        case "isDeleted": self.isDeleted
        case "isUnchanged": self.isUnchanged
        default: nil
        }
    }
}

extension ChangesPageView.ParagraphView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "html": self.html
        default: nil
        }
    }
}

extension ChangesPageView.SectionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "anchor": self.anchor
        case "statusLabel": self.statusLabel
        case "isChanged": self.isChanged
        case "wordsInserted": self.wordsInserted
        case "wordsDeleted": self.wordsDeleted
        case "paragraphs": self.paragraphs
        default: nil
        }
    }
}

extension ChangesPageView.FactChangeView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "before": self.before.map { $0 as Any }
        case "after": self.after.map { $0 as Any }
        default: nil
        }
    }
}

extension ChangesPageView.SourceTitle: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        default: nil
        }
    }
}

extension IndexView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "siteTitle": self.siteTitle
        case "groups": self.groups
        default: name == "asset" ? layout.child(named: name) : nil
        }
    }
}

extension IndexView.Entry: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "headline": self.headline
        case "date": self.date
        case "riskChanged": self.riskChanged
        case "riskBefore": self.riskBefore
        case "trend": self.trend
        default: nil
        }
    }
}

extension IndexView.Group: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "risk": self.risk
        case "situations": self.situations
        default: nil
        }
    }
}

extension PlainPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "title": self.title
        case "body": self.body
        default: name == "asset" ? layout.child(named: name) : nil
        }
    }
}

extension NotFoundView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        default: name == "asset" ? layout.child(named: name) : nil
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
protocol AnswersAssets: LambdaCarrying {
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
