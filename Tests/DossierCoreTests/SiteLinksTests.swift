import Foundation
import Testing
@testable import DossierCore

@Suite("Links within the site written in Markdown")
struct SiteLinksTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var html: String
        var root: String
        var expected: String
        var testDescription: String { html }
    }

    @Test(arguments: [
        Case(html: #"<a href="/pages/about/">a</a>"#, root: "../../", expected: #"<a href="../../pages/about/index.html">a</a>"#),
        Case(html: #"<a href="/">home</a>"#, root: "../", expected: #"<a href="../index.html">home</a>"#),
        Case(html: #"<a href="/situations/x/?a=1&amp;b=2#analysis">x</a>"#, root: "../../../",
             expected: #"<a href="../../../situations/x/index.html?a=1&amp;b=2#analysis">x</a>"#),
        Case(html: #"<a href="/feed.xml#top">feed</a>"#, root: "../", expected: #"<a href="../feed.xml#top">feed</a>"#),
        Case(html: #"<img src="/assets/map.png" alt="A map" />"#, root: "../../", expected: #"<img src="../../assets/map.png" alt="A map" />"#),
        // Not from the root: another host, the page's own ids, elsewhere, and text that only looks like an attribute.
        Case(html: ##"<a href="//example.org/x">x</a> <a href="#notes">n</a> <a href="https://example.org/">e</a>"##, root: "../",
             expected: ##"<a href="//example.org/x">x</a> <a href="#notes">n</a> <a href="https://example.org/">e</a>"##),
        Case(html: #"<p>write href=&quot;/x&quot; or data-href="/x"</p>"#, root: "../", expected: #"<p>write href=&quot;/x&quot; or data-href="/x"</p>"#),
        // Raw HTML an editor let through (`unsafe_html: true`) may quote otherwise, or not at all.
        Case(html: "<a href='/pages/about/'>a</a> <a\nhref=/pages/b/>b</a> <img src=/map.png alt=''>", root: "../../",
             expected: "<a href='../../pages/about/index.html'>a</a> <a\nhref=../../pages/b/index.html>b</a> <img src=../../map.png alt=''>"),
        Case(html: "<p><code>a href='/x'</code> and a href=/y, 2+2=4</p>", root: "../", expected: "<p><code>a href='/x'</code> and a href=/y, 2+2=4</p>"),
    ])
    func linksFromTheRootBecomeRelative(_ example: Case) {
        #expect(RootLinks.relative(example.html, root: example.root) == example.expected)
        #expect(RootLinks.present(in: example.html) == (example.html != example.expected))
    }

    @Test func thePathOfTheBaseURLMayBeWrittenOrNot() {
        let html = #"<a href="/reports/pages/about/">a</a> <a href="/pages/about/">b</a>"#
        #expect(RootLinks.relative(html, root: "../../", sitePath: "/reports/")
            == #"<a href="../../pages/about/index.html">a</a> <a href="../../pages/about/index.html">b</a>"#)
    }

    @Test func aPrintViewCarriesThePermanentAddress() {
        let html = #"<a href="/reports/pages/a&amp;b/#x">a</a> <img src="/map.png" alt="" />"#
        #expect(RootLinks.relative(html, root: "../", sitePath: "/reports/", printedBase: "https://watch.example.org/reports")
            == #"<a href="../pages/a&amp;b/index.html#x" data-print-url="https://watch.example.org/reports/pages/a&amp;b/#x">a</a> <img src="../map.png" alt="" />"#)
    }

    @Test func aPrintViewCarriesThePermanentAddressOfRawHTMLLinksToo() {
        let html = "<a href='/pages/about/'>a</a> <a href=/pages/b/>b</a>"
        #expect(RootLinks.relative(html, root: "../", printedBase: "https://watch.example.org/")
            == #"<a href='../pages/about/index.html' data-print-url="https://watch.example.org/pages/about/">a</a> "#
            + #"<a href=../pages/b/index.html data-print-url="https://watch.example.org/pages/b/">b</a>"#)
    }

    /// An update's text is shown on four pages at three depths; a plain page's on one.
    @Test func everyPageThatShowsTheTextLinksToTheSamePlace() async throws {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in May (see [how we work](/pages/about/) and [the earlier analysis](/reports/situations/ruritania/2024-01-10/#analysis)).")
            .replacing("Content/pages/about.md", "We watch.", with: "We watch [Ruritania](/situations/ruritania/) and [more](../../index.html).")
            .generate()
        #expect(result.errors.isEmpty, "\(result.errors)")
        for (page, root) in [("situations/ruritania/index.html", "../../"), ("situations/ruritania/2024-06-01/index.html", "../../../"),
                             ("situations/ruritania/print/index.html", "../../../"),
                             ("situations/ruritania/2024-06-01/print/index.html", "../../../../")] {
            let html = try #require(result.file(page))
            #expect(html.contains(#"<a href="\#(root)pages/about/index.html""#), "\(page)")
            #expect(html.contains(#"<a href="\#(root)situations/ruritania/2024-01-10/index.html#analysis""#), "\(page)")
            #expect(html.contains("data-print-url=\"https://watch.example.org/reports/pages/about/\"") == page.hasSuffix("/print/index.html"))
        }
        let about = try #require(result.file("pages/about/index.html"))
        #expect(about.contains(#"<a href="../../situations/ruritania/index.html">Ruritania</a> and <a href="../../index.html">more</a>"#))
    }

    @Test func aBrokenLinkIsReportedOnceWhereItIsWritten() async {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in [May](/pages/abuot/) and [here](#nowhere).\n\n[Up](/../../etc/passwd)")
            .generate()
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        #expect(result.errors.sortedForReport() == [
            .error(file, line: 16, column: 24, "broken link '/pages/abuot/' (on Public/situations/ruritania/index.html and 3 other pages): Public/pages/abuot/index.html does not exist"),
            .error(file, line: 16, column: 50, "broken link '#nowhere' (on Public/situations/ruritania/index.html and 3 other pages): no element with id 'nowhere' on the page"),
            .error(file, line: 18, column: 6, "broken link '/../../etc/passwd' (on Public/situations/ruritania/index.html and 3 other pages): it leads outside Public/"),
        ])
    }

    /// cmark writes a link to an accented heading's id percent-encoded (`#caf%C3%A9-note`), as a
    /// browser's URL parser would: it finds the heading, and a broken one is reported where the
    /// editor wrote it, as they wrote it.
    @Test func aLinkToAnAccentedHeadingFindsIt() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        func site(_ links: String) -> Fixture {
            validSite.replacing(file, "Attacks began in May.", with: "Attacks began in May: \(links).\n\n### Café note\n\nA note.")
        }
        let result = await site("[the note](#café-note)").generate()
        #expect(result.errors.isEmpty, "\(result.errors)")
        let page = try #require(result.file("situations/ruritania/2024-06-01/index.html"))
        #expect(page.contains(##"<a href="#caf%C3%A9-note">the note</a>"##))
        #expect(page.contains(#"id="café-note""#))
        let broken = await site("[the note](#café-note), [gone](#café-gone)").generate()
        #expect(broken.errors == [
            .error(file, line: 16, column: 54, "broken link '#café-gone' (on Public/situations/ruritania/index.html and 3 other pages): no element with id 'café-gone' on the page"),
        ])
    }

    /// A heading named like an id of the page around it (the skip link's `main`, a source's
    /// `source-1`, a fact's `fact-1`, the sources list's `sources-heading`) steps past it as it
    /// steps past an earlier heading's: a citation's link still leads to its source, and no page
    /// has an id twice.
    @Test func headingsStepPastThePagesOwnIDs() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let result = await validSite.replacing(file, "Attacks began in May.", with: "Attacks began in May.\n\n### Main\n\nA.\n\n"
            + "### Source 1\n\nB.\n\n### Fact 1\n\nC.\n\n### Sources heading\n\nD.\n\n### Main\n\nE.\n\n### Source 10\n\nF.\n\n"
            + "## Summary heading\n\nA section of the editor's own, named like the redline's summary.").generate()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        // The redline's sections are the update's level-2 sections, with their ids.
        #expect(result.file("situations/ruritania/2024-06-01/changes/index.html")?.contains(#"<h2 id="summary-heading-2">"#) == true)
        for path in ["situations/ruritania/index.html", "situations/ruritania/2024-06-01/index.html",
                     "situations/ruritania/2024-06-01/print/index.html"] {
            let page = try #require(result.file(path))
            #expect(page.contains(#"<h2 id="summary-heading-2">"#), "\(path)")
            for id in ["main-2", "source-1-2", "fact-1-2", "sources-heading-2", "main-3", "source-10-2"] {
                #expect(page.contains(#"<h3 id="\#(id)">"#), "\(path): \(id)")
            }
            if path.hasSuffix("2024-06-01/index.html") || path == "situations/ruritania/index.html" {
                #expect(page.contains(#"<li id="source-1" "#) && page.contains(##"href="#source-1""##), "\(path)")
            }
        }
        // No page of the site has an id twice.
        for file in result.files where file.path.hasSuffix(".html") {
            let scan = Data(file.text.utf8).withUnsafeBytes(LinkChecker.scan)
            #expect(scan.duplicateIDs.isEmpty, "\(file.path): \(scan.duplicateIDs)")
        }
        // A plain page's headings too.
        let page = await validSite.replacing("Content/pages/about.md", "We watch.", with: "## Main\n\nWe watch.").generate()
        #expect(page.file("pages/about/index.html")?.contains(#"<h2 id="main-2">"#) == true)
    }

    /// An id written twice in raw HTML (with `unsafe_html`) is reported where it was written, once
    /// for the four pages that show the update; a template's, on the page.
    @Test func anIDGivenTwiceIsReported() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let site = validSite.replacing("Content/site.yaml", "language: en", with: "language: en\nunsafe_html: true")
            .replacing(file, "Attacks began in May.", with: #"Attacks began in <span id="may">May</span>, <b id='may'>again</b>."#)
        let result = await site.generate()
        let message = "a link to '#may' leads to the first, and the page is not valid HTML: change one of them (an id written in raw HTML, or in a template)"
        #expect(result.diagnostics == [
            .warning(file, line: 16, column: 24, "the id 'may' is given to more than one element on Public/situations/ruritania/index.html (and 3 other pages): \(message)"),
        ])
        let template = await site.replacing(file, #"<b id='may'>again</b>"#, with: "again")
            .replacing("Templates/versions.mustache", "<h1", with: #"<p id="main">x</p><h1"#).generate()
        #expect(template.diagnostics == [
            .warning("Public/situations/ruritania/versions/index.html",
                     "the id 'main' is given to more than one element on the page: a link to '#main' leads to the first, and the page is not valid HTML: "
                     + "change one of them (an id written in raw HTML, or in a template)"),
        ])
    }

    @Test func anUpdateMayNotLinkRelativeToThePage() async {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in [May](../2024-01-10/) ![a map](map.png).")
            .generate()
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let because = "is relative to the page, but an update's text appears on pages at different depths (the latest page, its snapshot, the print views): start it from the site's root, as in '/situations/…/' or '/pages/…/'"
        #expect(result.errors == [
            .error(file, line: 16, column: 24, "link '../2024-01-10/' \(because)"),
            .error(file, line: 16, column: 49, "link 'map.png' \(because)"),
        ])
    }

    @Test func rawHTMLLeftOutIsReported() async {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let site = validSite.replacing(file, "Attacks began in May.",
                                       with: "Attacks began in <b>May</b>.<!-- check the date -->\n\n<div class=\"note\">\nA note.\n</div>")
        let result = await site.generate()
        #expect(result.warnings == [
            .warning(file, line: 16, column: 18, "raw HTML '<b>' is left out of the page: write it in Markdown, or set unsafe_html: true in site.yaml"),
            .warning(file, line: 18, column: 1, "raw HTML '<div class=\"note\">' is left out of the page: write it in Markdown, or set unsafe_html: true in site.yaml"),
        ])
        let allowed = await site.replacing("Content/site.yaml", "language: en", with: "language: en\nunsafe_html: true").generate()
        #expect(allowed.warnings.isEmpty)
        #expect(allowed.file("situations/ruritania/index.html")?.contains("<b>May</b>") == true)
    }

    /// With raw HTML allowed, its links from the root are made relative and checked like the
    /// Markdown ones, however their attributes are quoted, and reported where they are written.
    @Test func rawHTMLLinksAreMadeRelativeAndChecked() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let site = validSite
            .replacing("Content/site.yaml", "language: en", with: "language: en\nunsafe_html: true")
            .replacing(file, "Attacks began in May.", with: "Attacks began in <a href='/pages/about/'>May</a>.\n\n<p>See <a href=/pages/about/>this</a>.</p>")
        let result = await site.generate()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let page = try #require(result.file("situations/ruritania/2024-06-01/index.html"))
        #expect(page.contains("<a href='../../../pages/about/index.html'>May</a>"))
        #expect(page.contains("<a href=../../../pages/about/index.html>this</a>"))
        let broken = await site.replacing(file, "<a href=/pages/about/>", with: "<a href=/pages/abuot/>").generate()
        #expect(broken.errors == [
            .error(file, line: 18, column: 16, "broken link '/pages/abuot/' (on Public/situations/ruritania/index.html and 3 other pages): Public/pages/abuot/index.html does not exist"),
        ])
    }

    /// A plain page may link relative to itself; a link to a folder gets its index.html there too,
    /// and a broken one is still found where it is written.
    @Test func aPlainPageLinkToAFolderGetsItsPage() async throws {
        let site = validSite.replacing("Content/pages/about.md", "We watch.",
                                       with: "We watch [Ruritania](../../situations/ruritania/) and [its versions](../../situations/ruritania/versions/#main).")
        let result = await site.generate()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let about = try #require(result.file("pages/about/index.html"))
        #expect(about.contains(#"<a href="../../situations/ruritania/index.html">Ruritania</a>"#))
        #expect(about.contains(#"<a href="../../situations/ruritania/versions/index.html#main">its versions</a>"#))
        let broken = await site.replacing("Content/pages/about.md", "](../../situations/ruritania/)", with: "](../../situations/ruritani/)").generate()
        #expect(broken.errors == [
            .error("Content/pages/about.md", line: 4, column: 22, "broken link '../../situations/ruritani/' (on Public/pages/about/index.html): Public/situations/ruritani/index.html does not exist"),
        ])
    }
}
