import Foundation
import Testing
@testable import DossierCore

@Suite("Assets under names that carry their hash")
struct AssetTests {
    let paths = ["fonts/body.woff2": "assets/fonts/body.1111111111.woff2", "images/logo.svg": "assets/images/logo.2222222222.svg"]

    @Test func aStylesheetNamesTheOtherAssetsByTheirPublishedNames() {
        let css = """
            /* url(not-a-file.png) in a comment is not a reference */
            @font-face { font-family: Body; src: url("fonts/body.woff2") format("woff2"), url( fonts/body.woff2?v=2#x ); }
            .logo { background: URL('images/logo.svg'); }
            .a { background: url(data:image/png;base64,AAAA); mask: url(#m); cursor: url(/c.png), url(https://example.org/x.png); }
            .b { background: src-url(fonts/nothing.png); }
            """
        let (out, problems) = PublishedAssets.stylesheet(css, name: "dossier.css", paths: paths, file: "Templates/assets/dossier.css")
        #expect(problems.isEmpty, "\(problems)")
        #expect(out == """
            /* url(not-a-file.png) in a comment is not a reference */
            @font-face { font-family: Body; src: url("fonts/body.1111111111.woff2") format("woff2"), url( fonts/body.1111111111.woff2?v=2#x ); }
            .logo { background: URL('images/logo.2222222222.svg'); }
            .a { background: url(data:image/png;base64,AAAA); mask: url(#m); cursor: url(/c.png), url(https://example.org/x.png); }
            .b { background: src-url(fonts/nothing.png); }
            """)
    }

    @Test func aStylesheetInAFolderReachesTheOthersFromThere() {
        let (out, problems) = PublishedAssets.stylesheet(".x { src: url(../fonts/body.woff2); } .y { src: url(../images/logo.svg) }",
                                                         name: "themes/dark.css", paths: paths, file: "f")
        #expect(problems.isEmpty)
        #expect(out == ".x { src: url(../fonts/body.1111111111.woff2); } .y { src: url(../images/logo.2222222222.svg) }")
    }

    @Test func aStylesheetThatNamesNoAssetIsAnErrorAtItsPlace() {
        let css = ".a {}\n.b { background: url(images/logoo.svg); }\n.c { src: url(../../etc/passwd) }\n.d { src: url(other.css) }"
        let (_, problems) = PublishedAssets.stylesheet(css, name: "dossier.css", paths: paths, file: "Templates/assets/dossier.css")
        #expect(problems == [
            .error("Templates/assets/dossier.css", line: 2, column: 22,
                   "url(images/logoo.svg) names no file in the assets folder; a stylesheet's url() is relative to the stylesheet, as in url(fonts/body.woff2)"),
            .error("Templates/assets/dossier.css", line: 3, column: 15,
                   "url(../../etc/passwd) names no file in the assets folder; a stylesheet's url() is relative to the stylesheet, as in url(fonts/body.woff2)"),
            .error("Templates/assets/dossier.css", line: 4, column: 15,
                   "url(other.css) names another stylesheet; one stylesheet cannot load another here: put its rules in this one"),
        ])
    }

    /// Strings are text, whatever they hold; after one, and after a quoted url(), the next url()
    /// on the line is still found.
    @Test func stringsAreNotReadForReferences() {
        let css = #"""
            .q::before { content: "/*"; background: url("images/logo.svg"); } .r::after { content: 'url(x.png) \' */'; src: url(fonts/body.woff2) }
            .s { content: "unterminated
            ; background: url(images/logo.svg) }
            """#
        let (out, problems) = PublishedAssets.stylesheet(css, name: "dossier.css", paths: paths, file: "f")
        #expect(problems.isEmpty, "\(problems)")
        #expect(out == #"""
            .q::before { content: "/*"; background: url("images/logo.2222222222.svg"); } .r::after { content: 'url(x.png) \' */'; src: url(fonts/body.1111111111.woff2) }
            .s { content: "unterminated
            ; background: url(images/logo.2222222222.svg) }
            """#)
    }

    @Test func aMergeConflictLeftInAStylesheetIsAnError() {
        let css = "body { color: black; }\n<<<<<<< HEAD\na { color: blue; }\n=======\na { color: navy; }\n>>>>>>> theirs\n"
        let (_, problems) = PublishedAssets.make([.init(name: "dossier.css", data: Data(css.utf8)), .init(name: "print.css", data: Data())],
                                                 folder: "Templates/assets")
        #expect(problems == [.error("Templates/assets/dossier.css", line: 2, column: 1,
            "a merge conflict is left in this file: keep the text you want from each side and delete the lines that begin with <<<<<<<, ======= and >>>>>>>")])
    }

    @Test func importingAnotherStylesheetIsAnErrorInEitherForm() {
        let css = "@import \"print.css\";\n@IMPORT'themes/dark.css' screen;\n@import \"https://fonts.example.org/a.css\";\n@import url(print.css);"
        let (_, problems) = PublishedAssets.stylesheet(css, name: "dossier.css", paths: paths, file: "f")
        #expect(problems == [
            .error("f", line: 1, column: 10, "@import \"print.css\" loads another stylesheet; one stylesheet cannot load another here: put its rules in this one"),
            .error("f", line: 2, column: 9, "@import \"themes/dark.css\" loads another stylesheet; one stylesheet cannot load another here: put its rules in this one"),
            .error("f", line: 4, column: 13, "url(print.css) names another stylesheet; one stylesheet cannot load another here: put its rules in this one"),
        ])
    }

    /// A logo in the layout, a font in the stylesheet and a map in an update, each under its published name.
    @Test func templatesStylesheetsAndMarkdownNameAssetsByTheirOwnNames() async throws {
        var site = validSite
            .replacing("Templates/layout.mustache", "<a class=\"site-title\"",
                       with: "<img class=\"logo\" src=\"{{#asset}}images/logo.svg{{/asset}}\" alt=\"\">\n<a class=\"site-title\"")
            .replacing("Templates/print.mustache", "<body class=\"print-view\">",
                       with: "<body class=\"print-view\">\n<img class=\"print-logo\" src=\"{{#asset}}images/logo.svg{{/asset}}\" alt=\"\">")
            .replacing("Templates/assets/dossier.css", ":root {", with: "@font-face { font-family: Body; src: url(fonts/body.woff2); }\n:root {")
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in May.\n\n![A map of the northern provinces](/assets/images/logo.svg)")
        site.files["Templates/assets/images/logo.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        site.files["Templates/assets/fonts/body.woff2"] = "font, version 1"
        let result = await site.generate()
        #expect(result.errors.isEmpty, "\(result.errors)")
        let logo = try #require(result.files.first { $0.path.hasPrefix("assets/images/logo.") }?.path)
        let font = try #require(result.files.first { $0.path.hasPrefix("assets/fonts/body.") }?.path)
        #expect(logo.hasSuffix(".svg") && logo.count == "assets/images/logo.0123456789.svg".count)
        let css = try #require(result.files.first { $0.path.hasPrefix("assets/dossier.") })
        #expect(css.text.contains("url(\(font.dropFirst("assets/".count)))") == true)
        for (page, root) in [("index.html", ""), ("situations/ruritania/index.html", "../../"),
                             ("situations/ruritania/2024-06-01/index.html", "../../../")] {
            let html = try #require(result.file(page))
            #expect(html.contains("<img class=\"logo\" src=\"\(root)\(logo)\" alt=\"\">"), "\(page)")
        }
        // Outside `{{#layout}}` too, and in a print view.
        let print = try #require(result.file("situations/ruritania/2024-06-01/print/index.html"))
        #expect(print.contains("<img class=\"print-logo\" src=\"../../../../\(logo)\" alt=\"\">"))
        let snapshot = try #require(result.file("situations/ruritania/2024-06-01/index.html"))
        #expect(snapshot.contains("<img src=\"../../../\(logo)\" alt=\"A map of the northern provinces\" />"))

        // A new font is a new stylesheet: its name changes with what it loads.
        var changed = site
        changed.files["Templates/assets/fonts/body.woff2"] = "font, version 2"
        let again = await changed.generate()
        let css2 = try #require(again.files.first { $0.path.hasPrefix("assets/dossier.") })
        #expect(css2.path != css.path)
    }

    /// A stylesheet's problems are found with the templates' and the content's, in the same run.
    @Test func aStylesheetProblemIsReportedWithTheOthers() async throws {
        let css = try #require(validSite.files["Templates/assets/dossier.css"])
        let result = await validSite
            .replacing("Templates/assets/dossier.css", css, with: ".x { background: url(images/missing.png); }\n" + css)
            .replacing("Templates/page.mustache", "<h1>{{title}}</h1>", with: "<h1>{{tittle}}</h1>")
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk", with: "risk_level: critical")
            .generate()
        #expect(result.errors.map(\.file).sorted() == [
            "Content/situations/ruritania/updates/2024-06-01.md", "Templates/assets/dossier.css", "Templates/page.mustache",
        ])
    }

    @Test func anAssetThatIsNotThereIsAnErrorInTheTemplate() async {
        let result = await validSite
            .replacing("Templates/layout.mustache", "<a class=\"site-title\"",
                       with: "<img src=\"{{#asset}}logo.svg{{/asset}}\" alt=\"\">\n<a class=\"site-title\"")
            .generate()
        let line = (validSite.files["Templates/layout.mustache"] ?? "").components(separatedBy: "\n")
            .firstIndex { $0.contains("<a class=\"site-title\"") }.map { $0 + 1 } ?? 0
        #expect(result.errors == [.error("Templates/layout.mustache", line: line, column: 21, "asset 'logo.svg' is not in Templates/assets")])
    }

    /// A name the template makes itself can only be checked in the pages: one problem, not one per page.
    @Test func anAssetNamedByAValueThatIsNotThereIsOneProblem() async {
        let result = await validSite
            .replacing("Templates/layout.mustache", "<a class=\"site-title\"",
                       with: "<img src=\"{{#asset}}{{language}}.svg{{/asset}}\" alt=\"\">\n<a class=\"site-title\"")
            .generate()
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.hasSuffix("assets/en.svg' (and on 7 other pages): Public/assets/en.svg does not exist") == true,
                "\(result.errors)")
    }
}
