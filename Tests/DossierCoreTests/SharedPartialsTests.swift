import Foundation
import Testing
@testable import DossierCore

/// Partials that show only an update's content are rendered once per update and placed into its
/// latest page, snapshot and print views. That may change no byte, and must stand down wherever
/// a partial's output could differ from page to page.
@Suite("Partials shared by an update's pages, and by a situation's lists of versions")
struct SharedPartialsTests {
    static let templates = TemplateLoader(fileSystem: .memory(text: validSite.files)).load(from: "Templates")

    /// The project's templates with one file changed.
    static func templates(_ path: String, _ old: String, with new: String) -> [String: SourceFile] {
        var files = templates.templates
        if !old.isEmpty {
            let name = String(path.split(separator: "/").last!.dropLast(".mustache".count))
            let file = files[name]!
            #expect(file.text.contains(old), "\(path) has no '\(old)'")
            files[name] = SourceFile(path: file.path, text: file.text.replacingOccurrences(of: old, with: new))
        }
        return files
    }

    /// The shared partials for the project's templates with one file changed.
    static func shared(_ path: String = "situation.mustache", _ old: String = "", with new: String = "") -> [String] {
        TemplateLibrary.sharedPartials(.init(templates(path, old, with: new)))
    }

    /// The version partials for the project's templates with one file changed.
    static func perVersion(_ path: String = "situation.mustache", _ old: String = "", with new: String = "") -> [String] {
        TemplateLibrary.versionPartials(.init(templates(path, old, with: new)))
    }

    @Test func projectTemplatesShareTheirContentPartials() {
        #expect(Self.shared() == ["corrections", "fact-box", "risk-badge", "sources"])
    }

    @Test(arguments: [
        // Names a link, which differs between the latest page and the snapshot.
        ("partials/sources.mustache", "<h2 id=\"sources-heading\">Sources</h2>", "<h2 id=\"sources-heading\"><a href=\"{{layout.root}}\">Sources</a></h2>", "sources"),
        ("partials/fact-box.mustache", "<dl>", "<dl data-archived=\"{{isArchived}}\">", "fact-box"),
        // A print view's own field.
        ("partials/corrections.mustache", "<ul>", "<ul data-paper=\"{{paper}}\">", "corrections"),
        // The current object, which is a different view on each kind of page.
        ("partials/risk-badge.mustache", "Risk level:", "Risk level {{.}}:", "risk-badge"),
        // Still the page's own view inside a section over a flag, which opens no value.
        ("partials/sources.mustache", "<ol>", "<ol>{{#hasSources}}{{.}}{{/hasSources}}", "sources"),
        ("partials/sources.mustache", "<ol>", "<ol>{{^isDraft}}{{.}}{{/isDraft}}", "sources"),
        // Placed inside a loop, where the context is a version, not the update.
        ("partials/version-link.mustache", "<li>{{#isCurrent}}", "<li>{{>risk-badge}}{{#isCurrent}}", "risk-badge"),
        ("situation.mustache", "{{>version-link}}", "{{>version-link}}{{>risk-badge}}", "risk-badge"),
        // Indented: swift-mustache indents each of its lines.
        ("situation.mustache", "{{>sources}}", "  {{>sources}}", "sources"),
        // Included by a partial that is not shared.
        ("partials/footer.mustache", "<address>", "{{>risk-badge}}<address>", "risk-badge"),
        // Inside a section over a value, which is looked up first.
        ("print.mustache", "{{>fact-box}}", "{{#risk}}{{>fact-box}}{{/risk}}", "fact-box"),
    ])
    func partialsThatCouldDifferAreRenderedOnEveryPage(path: String, old: String, new: String, partial: String) {
        let shared = Self.shared(path, old, with: new)
        #expect(!shared.contains(partial))
        #expect(!shared.isEmpty, "only '\(partial)' should stand down")
    }

    @Test(arguments: [
        // A block placed inside a section of the parent shows the page's text in that section's context.
        ("layout.mustache", "{{$main}}{{/main}}", "{{#layout}}{{$main}}{{/main}}{{/layout}}"),
        // Another content type would escape differently from where the partial is rendered once.
        ("print.mustache", "{{% CONTENT_TYPE: HTML }}", "{{% CONTENT_TYPE: TEXT }}"),
        // Set-delimiter tags, which the light tag scan does not follow.
        ("print.mustache", "<main>", "{{=<% %>=}}<main><%={{ }}=%>"),
    ])
    func templatesTheScanCannotVouchForShareNothing(path: String, old: String, new: String) {
        #expect(Self.shared(path, old, with: new).isEmpty)
    }

    @Test func projectTemplatesRenderEachVersionLinkOnce() {
        #expect(Self.perVersion() == ["version-link"])
        // A date's own fields inside a section over it are still the entry's.
        #expect(Self.perVersion("partials/version-link.mustache", "{{date.long}}</span>",
                                with: "{{#date}}{{long}} ({{iso}}, {{.}}){{/date}}</span>") == ["version-link"])
    }

    @Test(arguments: [
        // Names a field of the page around the list, which differs from page to page.
        ("partials/version-link.mustache", "<li>", "<li data-page=\"{{name}}\">"),
        ("partials/version-link.mustache", "<li>", "<li>{{#layout}}{{root}}{{/layout}}"),
        // A date's field outside a section over the date is looked up on the page.
        ("partials/version-link.mustache", "<li>", "<li>{{long}}"),
        // The current object outside a section, or inside one over a flag.
        ("partials/version-link.mustache", "<li>", "<li>{{.}}"),
        ("partials/version-link.mustache", "<li>", "<li>{{#isCurrent}}{{.}}{{/isCurrent}}"),
        // A date's field inside an inverted section, which opens no value.
        ("partials/version-link.mustache", "<li>", "<li>{{^date}}{{long}}{{/date}}"),
        // Includes a partial that names the update.
        ("partials/version-link.mustache", "</li>", "{{>risk-badge}}</li>"),
        // A block.
        ("partials/version-link.mustache", "<li>", "<li>{{$entry}}{{/entry}}"),
        // Also placed outside the list, where the context is the page.
        ("situation.mustache", "{{>fact-box}}", "{{>fact-box}}{{>version-link}}"),
        // Inside another section within the list, which is looked up first.
        ("situation.mustache", "{{>version-link}}", "{{#date}}{{>version-link}}{{/date}}"),
        // Indented: swift-mustache indents each of its lines.
        ("situation.mustache", "{{>version-link}}", "  {{>version-link}}"),
        // Set-delimiter tags, which the light tag scan does not follow.
        ("print.mustache", "<main>", "{{=<% %>=}}<main><%={{ }}=%>"),
    ])
    func versionPartialsThatCouldDifferAreRenderedOnEveryPage(path: String, old: String, new: String) {
        #expect(Self.perVersion(path, old, with: new).isEmpty)
    }

    /// Whether a page's list of versions may be one entry carrying the texts of all.
    static func collapse(_ path: String = "situation.mustache", _ old: String = "", with new: String = "") -> Bool {
        let reach = TemplateLibrary.Reach(templates(path, old, with: new))
        return TemplateLibrary.listsCollapse(reach, perVersion: TemplateLibrary.versionPartials(reach))
    }

    @Test func projectTemplatesListVersionsAsOneEntry() {
        #expect(Self.collapse())
        // The three tags in one run show the partial's text and nothing between, too.
        #expect(Self.collapse("situation.mustache", "{{#versions}}\n{{>version-link}}\n{{/versions}}",
                              with: "<li hidden></li>{{#versions}}{{>version-link}}{{/versions}}"))
    }

    @Test(arguments: [
        // The list used otherwise too: its entries, or whether it is empty.
        ("situation.mustache", "<h2 id=\"versions-heading\">Versions</h2>", "<h2 id=\"versions-heading\">Versions</h2>{{^versions}}None{{/versions}}"),
        ("situation.mustache", "<h2 id=\"versions-heading\">Versions</h2>", "<h2 id=\"versions-heading\">Versions ({{#versions}}.{{/versions}})</h2>"),
        ("situation.mustache", "<h2 id=\"versions-heading\">Versions</h2>", "<h2 id=\"versions-heading\">Versions {{versions.0.href}}</h2>"),
        // Text beside the partial, which shows once for each entry.
        ("situation.mustache", "{{>version-link}}\n", "{{>version-link}}\n<!-- entry -->\n"),
        ("situation.mustache", "{{#versions}}\n", "{{#versions}} \n"),
        // No version partial at all (indented, it is rendered on every page).
        ("situation.mustache", "{{>version-link}}", "  {{>version-link}}"),
    ])
    func listsUsedOtherwiseKeepTheirEntries(path: String, old: String, new: String) {
        #expect(!Self.collapse(path, old, with: new))
    }

    /// The sample site and the test site, built with and without sharing: the same bytes.
    @Test func sharingChangesNoByte() async throws {
        let sample = try Fixture.directory(Fixture.projectRoot, folders: ["Content", "Templates"])
        // Each site, and a page and text it must show (so a variant that did not apply cannot pass).
        var variants = [(validSite, "situations/ruritania/2024-06-01/index.html", "<li><span aria-current=\"page\">"),
                        (sample, "situations/dprk/index.html", "<h2 id=\"versions-heading\">")]
        // A site whose sources partial names a link: rendered on every page, still right.
        variants.append((validSite.replacing("Templates/partials/sources.mustache", "<h2 id=\"sources-heading\">Sources</h2>",
                                             with: "<h2 id=\"sources-heading\"><a href=\"{{layout.root}}index.html\">Sources</a></h2>"),
                         "situations/ruritania/print/index.html", "<a href=\"../../../index.html\">Sources</a>"))
        // A list of versions in the print views too, whose pages are each one of the versions.
        variants.append((validSite.replacing("Templates/print.mustache", "{{>fact-box}}",
                                             with: "{{>fact-box}}\n<ul>\n{{#versions}}\n{{>version-link}}\n{{/versions}}\n</ul>"),
                         "situations/ruritania/print/index.html", "<li><a href=\"../../../situations/ruritania/2024-01-10/index.html\">"))
        // The list in one run of tags, given as one entry; and used otherwise too, given entry by entry.
        variants.append((validSite.replacing("Templates/situation.mustache", "{{#versions}}\n{{>version-link}}\n{{/versions}}",
                                             with: "{{#versions}}{{>version-link}}{{/versions}}"),
                         "situations/ruritania/2024-01-10/index.html", "<li><span aria-current=\"page\">10 January 2024</span></li>"))
        variants.append((validSite.replacing("Templates/situation.mustache", "<h2 id=\"versions-heading\">Versions</h2>",
                                             with: "<h2 id=\"versions-heading\">Versions ({{#versions}}.{{/versions}})</h2>"),
                         "situations/ruritania/index.html", "Versions (...)</h2>"))
        // A version link that names the page around it: rendered on every page, still right.
        variants.append((validSite.replacing("Templates/partials/version-link.mustache", "<li>", with: "<li data-page=\"{{name}}\">"),
                         "situations/ruritania/index.html", "<li data-page=\"Republic of Ruritania\">"))
        for (site, path, text) in variants {
            var options = Builder.Options(drafts: true, today: IsoDate("2025-01-01")!)
            options.skeletonsFromPages = 0
            let shared = await Builder(fileSystem: site.fileSystem).generate(options)
            options.sharePartials = false
            options.skeletons = false
            let plain = await Builder(fileSystem: site.fileSystem).generate(options)
            #expect(shared.errors.isEmpty, "\(shared.errors)")
            #expect(shared.files.count > 10)
            #expect(shared.files == plain.files)
            let page = shared.files.first { $0.path == path }.map { String(decoding: $0.data, as: UTF8.self) }
            #expect(page?.contains(text) == true, "\(path) does not show \(text)")
        }
    }
}
