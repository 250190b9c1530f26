import Foundation
import Testing
@testable import DossierCore

/// Partials that show only an update's content are rendered once per update and placed into its
/// latest page, snapshot and print views. That may change no byte, and must stand down wherever
/// a partial's output could differ from page to page.
@Suite("Partials shared by an update's pages")
struct SharedPartialsTests {
    static let templates = TemplateLoader(fileSystem: .memory(text: validSite.files)).load(from: "Templates")

    /// The shared partials for the project's templates with one file changed.
    static func shared(_ path: String = "situation.mustache", _ old: String = "", with new: String = "") -> [String] {
        var files = templates.templates
        if !old.isEmpty {
            let name = String(path.split(separator: "/").last!.dropLast(".mustache".count))
            let file = files[name]!
            #expect(file.text.contains(old), "\(path) has no '\(old)'")
            files[name] = SourceFile(path: file.path, text: file.text.replacingOccurrences(of: old, with: new))
        }
        return TemplateLibrary.sharedPartials(files)
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
        // Placed inside a loop, where the context is a version, not the update.
        ("situation.mustache", "<li>{{#isCurrent}}", "<li>{{>risk-badge}}{{#isCurrent}}", "risk-badge"),
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

    /// The sample site and the test site, built with and without sharing: the same bytes.
    @Test func sharingChangesNoByte() async throws {
        let sample = try Fixture.directory(Fixture.projectRoot, folders: ["Content", "Templates"])
        var variants = [validSite, sample]
        // A site whose sources partial names a link: rendered on every page, still right.
        variants.append(validSite.replacing("Templates/partials/sources.mustache", "<h2 id=\"sources-heading\">Sources</h2>",
                                            with: "<h2 id=\"sources-heading\"><a href=\"{{layout.root}}index.html\">Sources</a></h2>"))
        for site in variants {
            var options = Builder.Options(drafts: true, today: IsoDate("2025-01-01")!)
            let shared = await Builder(fileSystem: site.fileSystem).generate(options)
            options.sharePartials = false
            let plain = await Builder(fileSystem: site.fileSystem).generate(options)
            #expect(shared.errors.isEmpty, "\(shared.errors)")
            #expect(shared.files.count > 10)
            #expect(shared.files == plain.files)
        }
    }
}
