// Typed view models: everything a template may name. Templates stay logic-less;
// every decision (hrefs, labels, flags) is made here.

import Foundation

struct LayoutView: Sendable {
    struct PageLink: Sendable { var title: String; var href: String }
    struct OrganisationView: Sendable { var name: String; var address: [String] }

    var language: String
    /// The page's title and the site's: `<title>`.
    var title: String
    /// The page's own title (`og:title`, beside `og:site_name`, which carries the site's).
    var pageTitle: String
    var siteTitle: String
    var description: String?
    var canonical: String?
    var noindex: Bool
    /// Prefix that leads from this page back to the site root: "", "../", "../../"…
    var root: String
    var stylesheet: String
    var pages: [PageLink]
    var organisation: OrganisationView
    /// `{{#asset}}logo.svg{{/asset}}`: an asset's published path from this page.
    var asset: AssetPaths
}

struct DateView: Sendable {
    var iso: String
    var long: String

    init(_ date: IsoDate) {
        iso = date.description
        long = date.long
    }

    init(_ date: PartialDate) {
        iso = date.iso
        long = date.long
    }
}

struct RiskView: Sendable {
    var id: String
    var label: String
    var definition: String
    /// A colour family by severity rank; the label always says it in words too.
    var tone: String

    init(_ level: RiskLevel) {
        id = level.id
        label = level.label
        definition = level.definition
        tone = ["severe", "high", "elevated"].indices.contains(level.rank) ? ["severe", "high", "elevated"][level.rank] : "watch"
    }
}

struct FactView: Sendable {
    struct SourceRef: Sendable { var number: Int }
    var label: String
    var value: String
    var anchor: String
    var source: SourceRef?
}

struct SourceView: Sendable {
    var number: Int
    var title: String
    var publisher: String?
    var symbol: String?
    /// Not named `date`: a missing value would let Mustache find the page's own date instead.
    var published: DateView?
    var url: String?
    /// Links back to each place the source is cited, as HTML: the mirror image of the citation
    /// links the Markdown stage writes into the body, made by the same code side. `↩` alone for
    /// one citation; `↩a`, `↩b`… for several.
    var backlinks: String

    static func backlinks(to anchors: [String]) -> String {
        // Appended piece by piece: joined with `+` first, each link made several strings on the way.
        var html = ""
        html.reserveCapacity(anchors.count * 90)
        for (index, anchor) in anchors.enumerated() {
            let label = anchors.count > 1 ? PageContext.letter(index) : ""
            html.append("<a class=\"backlink\" href=\"#")
            HTML.escape(anchor, into: &html)
            html.append("\" aria-label=\"Back to reference")
            if !label.isEmpty {
                html.append(" ")
                html.append(label)
            }
            html.append("\">↩")
            html.append(label)
            html.append("</a> ")
        }
        return html
    }
}

struct CorrectionView: Sendable {
    var date: DateView
    var note: String
}

struct VersionLinkView: Sendable {
    var date: DateView
    var href: String
    var isCurrent: Bool
    var isDraft: Bool
    /// This entry's version partials, rendered ahead by name; not a field for templates
    /// (`TemplateLibrary.versionPartials`).
    var versionPartials: [String: String]? = nil
}

/// What every page of one update shows alike, whatever its address: made once per update.
/// The partials that read only these fields are rendered once per update too (`TemplateLibrary.sharedPartials`).
struct UpdateContentView: Sendable {
    var name: String
    var region: String?
    var risk: RiskView
    var headline: String
    var date: DateView
    var issue: Int?
    var isDraft: Bool
    var latestDate: DateView
    var populationsAtRisk: String?
    var body: String
    var hasFacts: Bool
    var facts: [FactView]
    var hasSources: Bool
    var sources: [SourceView]
    var hasCorrections: Bool
    var corrections: [CorrectionView]
    var previousDate: DateView?
}

/// An update's page: its content, and the links and flags that depend on where the page is.
/// Templates see the content's fields as the page's own (`{{name}}`, not `{{content.name}}`).
struct SituationPageView: Sendable {
    var content: UpdateContentView
    var layout: LayoutView
    var isArchived: Bool
    var latestHref: String
    var permalinkHref: String?
    var versions: [VersionLinkView]
    var versionsHref: String
    var changesHref: String?
    var printHref: String
    var pdfHref: String?
    /// The body with its links from the site's root made relative to this page, when it has any
    /// (the content's own body otherwise).
    var body: String?
}

/// The print view wraps the page's own view model, so both share fields and partials.
struct PrintPageView: Sendable {
    var page: SituationPageView
    /// `A4` or `letter`, as CSS `@page size` wants it.
    var paper: String
    var printStylesheet: String
    /// CSS string literals (quoted and escaped) for the running header.
    var cssOrganisation: String
    var cssRunningTitle: String
    var permanentURL: String
    var canonicalHref: String
    var modified: DateView
}

struct TrendView: Sendable {
    var id: String
    var label: String
    var icon: String

    init(_ trend: Version.Trend) {
        id = trend.rawValue
        switch trend {
        case .first: (label, icon) = ("First update", "•")
        case .escalated: (label, icon) = ("Escalated", "▲")
        case .deescalated: (label, icon) = ("De-escalated", "▼")
        case .unchanged: (label, icon) = ("Unchanged", "■")
        }
    }
}

struct VersionRowView: Sendable {
    var date: DateView
    var href: String
    var issue: Int?
    var headline: String
    var risk: RiskView
    var trend: TrendView
    var isDraft: Bool
    var changesHref: String?
}

struct VersionsPageView: Sendable {
    var layout: LayoutView
    var name: String
    var versions: [VersionRowView]
}

struct ChangesPageView: Sendable {
    struct RunView: Sendable {
        var text: String
        var isInserted: Bool
        var isDeleted: Bool
        var isUnchanged: Bool

        init(_ run: Redline.Run) {
            text = run.text
            isInserted = run.change == .inserted
            isDeleted = run.change == .deleted
            isUnchanged = run.change == .unchanged
        }
    }

    /// A paragraph of the redline as HTML: text escaped, insertions in `<ins>`, deletions in `<del>`,
    /// each run followed by a space. Made in Swift like a body's HTML, not word by word in the template.
    struct ParagraphView: Sendable {
        var html: String

        /// Where the notes of the two versions compared lead: each version's cited sources in
        /// the order of their numbers, and that version's page from the changes page.
        struct Notes {
            var current: [String]
            var currentPage: String
            var previous: [String]
            var previousPage: String
            static let none = Notes(current: [], currentPage: "", previous: [], previousPage: "")
        }

        init(runs: [Redline.Run], notes: Notes = .none) {
            // Made as bytes and made a string once: appended to piece by piece, a string's
            // appends were most of a changes page's time.
            var html: [UInt8] = []
            html.reserveCapacity(runs.reduce(0) { $0 + $1.text.utf8.count + 12 } * 2)
            // Each run read in place (a loop over the runs copied each, retaining its text).
            for index in runs.indices {
                let change = runs[index].change
                var text = runs[index].text
                text.withUTF8 { bytes in
                    // A note written against the word before it is shown so, the run's space taken back.
                    if bytes.starts(with: [0xEE, 0x80, CitationToken.gluedByte]), html.last == 0x20 { html.removeLast() }
                    switch change {
                    case .inserted: html.append(literal: "<ins>")
                    case .deleted: html.append(literal: "<del>")
                    case .unchanged: break
                    }
                    // The text escaped, and each citation in it shown as its note: a deleted one as
                    // the earlier version numbers it, any other as the compared one does.
                    let deleted = change == .deleted
                    let keys = deleted ? notes.previous : notes.current
                    let page = deleted ? notes.previousPage : notes.currentPage
                    var at = 0
                    CitationToken.forEach(in: bytes) { range, glued in
                        var end = range.lowerBound
                        // The space the comparison put before a glued note is not shown.
                        if glued, end > at, bytes[end - 1] == 0x20 { end -= 1 }
                        HTML.escape(UnsafeBufferPointer(rebasing: bytes[at..<end]), into: &html)
                        Self.note(UnsafeBufferPointer(rebasing: bytes[range]), keys: keys, page: page, into: &html)
                        at = range.upperBound
                    }
                    HTML.escape(UnsafeBufferPointer(rebasing: bytes[at...]), into: &html)
                }
                switch change {
                case .inserted: html.append(literal: "</ins> ")
                case .deleted: html.append(literal: "</del> ")
                case .unchanged: html.append(0x20)
                }
            }
            self.html = String(decoding: html, as: UTF8.self)
        }

        /// A citation as its version's page shows it (`[3; 5, p. 12]`), each number linked to
        /// its source on that page: `keys` are the version's cited sources in the order of their numbers.
        static func note(_ token: UnsafeBufferPointer<UInt8>, keys: borrowing [String], page: borrowing String, into html: inout [UInt8]) {
            html.append(literal: "<span class=\"citation\">[")
            var first = true
            CitationToken.forEachItem(of: token) { key, locator in
                if !first { html.append(literal: "; ") }
                first = false
                // A version cites a few sources: found by their keys' bytes, with no string made.
                let index = keys.firstIndex { known in
                    known.utf8.count == key.count && known.utf8.withContiguousStorageIfAvailable { stored in
                        key.isEmpty || memcmp(stored.baseAddress!, key.baseAddress!, key.count) == 0
                    } ?? known.utf8.elementsEqual(key)
                }
                if let index {
                    let shown = String(index + 1)
                    html.append(literal: "<a href=\"")
                    html.append(utf8: page)
                    html.append(literal: "#source-")
                    html.append(utf8: shown)
                    html.append(literal: "\" aria-label=\"Source ")
                    html.append(utf8: shown)
                    html.append(literal: "\">")
                    html.append(utf8: shown)
                    html.append(literal: "</a>")
                } else {
                    html.append(0x40)
                    HTML.escape(key, into: &html)
                }
                if let locator {
                    html.append(literal: ", ")
                    // No-break spaces kept the locator one word; shown as the spaces they were.
                    var start = 0
                    var i = 0
                    while i + 1 < locator.count {
                        if locator[i] == 0xC2, locator[i + 1] == 0xA0 {
                            HTML.escape(UnsafeBufferPointer(rebasing: locator[start..<i]), into: &html)
                            html.append(0x20)
                            i += 2
                            start = i
                        } else {
                            i += 1
                        }
                    }
                    HTML.escape(UnsafeBufferPointer(rebasing: locator[start...]), into: &html)
                }
            }
            html.append(literal: "]</span>")
        }
    }

    struct SectionView: Sendable {
        var title: String
        var anchor: String
        var statusLabel: String
        var isChanged: Bool
        var wordsInserted: Int
        var wordsDeleted: Int
        var citationsInserted: Int
        var citationsDeleted: Int
        /// "1 word added, 3 removed", and "; 1 citation added, 1 removed" when notes changed.
        var wordCounts: String
        var paragraphs: [ParagraphView]
    }

    struct FactChangeView: Sendable {
        var label: String
        var before: String?
        var after: String?
    }

    struct SourceTitle: Sendable { var title: String }

    var layout: LayoutView
    var name: String
    var date: DateView
    var previousDate: DateView
    var snapshotHref: String
    var previousHref: String
    var versionsHref: String
    var riskChanged: Bool
    var riskBefore: RiskView
    var risk: RiskView
    var trend: TrendView
    var headlineChanged: Bool
    /// Word runs of the headline, for a template that marks them up itself.
    var headlineRuns: [RunView]
    /// The headline's redline as HTML, marked up like a paragraph's (`{{{headlineHTML}}}`).
    var headlineHTML: String
    var hasSectionChanges: Bool
    var sections: [SectionView]
    var hasSourcesAdded: Bool
    var sourcesAdded: [SourceTitle]
    var hasSourcesRemoved: Bool
    var sourcesRemoved: [SourceTitle]
    var hasFactChanges: Bool
    var factChanges: [FactChangeView]
    var isDraft: Bool
}

struct IndexView: Sendable {
    struct Entry: Sendable {
        var name: String
        var href: String
        var headline: String
        var date: DateView
        /// Whether the latest update moved the risk level, from `riskBefore`, as `trend` says.
        var riskChanged: Bool
        var riskBefore: RiskView
        var trend: TrendView
    }
    struct Group: Sendable { var risk: RiskView; var situations: [Entry] }
    var layout: LayoutView
    var siteTitle: String
    var groups: [Group]
}

struct PlainPageView: Sendable {
    var layout: LayoutView
    var title: String
    var body: String
}

struct NotFoundView: Sendable {
    var layout: LayoutView
}
