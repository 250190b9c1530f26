import Foundation
import PropertyBased
import Testing
@testable import DossierCore

@Suite("Link resolution")
struct LinkCheckerTests {
    let checker = LinkChecker(sitePath: "/rtop/", outputName: "Public")
    let page = "situations/dprk/2024-05-01/index.html"

    @Test func resolvesLinksTheWayABrowserWould() {
        let cases: [(String, String?, String?)] = [
            ("#source-1", page, "source-1"),
            ("", nil, nil),
            ("https://example.org/a", nil, nil),
            ("http://example.org/a", nil, nil),
            ("//example.org/a", nil, nil),
            ("mailto:office@example.org", nil, nil),
            ("../../../index.html", "index.html", nil),
            ("../index.html#latest", "situations/dprk/index.html", "latest"),
            ("../", "situations/dprk/index.html", nil),
            ("./print/", "situations/dprk/2024-05-01/print/index.html", nil),
            (".", "situations/dprk/2024-05-01/index.html", nil),
            ("..#top", "situations/dprk/index.html", "top"),
            ("print/..", "situations/dprk/2024-05-01/index.html", nil),
            ("changes/index.html?x=1#top", "situations/dprk/2024-05-01/changes/index.html", "top"),
            ("../../../../index.html", "../../../../../index.html", nil),
            ("/rtop/situations/dprk/", "situations/dprk/index.html", nil),
            ("/rtop/", "index.html", nil),
            ("/rtop/../x.html", "..//rtop/../x.html", nil),
            ("/elsewhere/file.html", "elsewhere/file.html", nil),
            ("../../../assets/a%20b.css", "assets/a b.css", nil),
            ("a//b/./c/../d.html", "situations/dprk/2024-05-01/a/b/d.html", nil),
            ("?only=query", page, nil),
            ("é/x.html", "situations/dprk/2024-05-01/é/x.html", nil),
        ]
        for (link, target, fragment) in cases {
            let resolved = checker.resolve(link, from: page)
            #expect(resolved?.0 == target, "\(link)")
            #expect(resolved?.1 == fragment, "\(link)")
        }
    }

    /// The rule written plainly on strings: the yardstick for the byte-level resolver.
    func model(_ link: String, from page: String) -> (String, String?)? {
        if link.hasPrefix("#") { return (page, String(link.dropFirst())) }
        if link.isEmpty || link.hasPrefix("//") || LinkPolicy.scheme(of: link) != nil { return nil }
        var rest = Substring(link)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        if rest.isEmpty { return (page, fragment) }
        var parts: [Substring]
        if rest.hasPrefix("/") {
            guard rest.hasPrefix(checker.sitePath) else { return (String(rest.dropFirst()), fragment) }
            parts = rest.dropFirst(checker.sitePath.count).split(separator: "/", omittingEmptySubsequences: false)
        } else {
            parts = page.split(separator: "/").dropLast() + rest.split(separator: "/", omittingEmptySubsequences: false)
        }
        var stack: [Substring] = []
        for part in parts {
            switch part {
            case ".", "": continue
            case "..": if stack.popLast() == nil { return ("../" + rest, fragment) }
            default: stack.append(part)
            }
        }
        var target = stack.joined(separator: "/")
        if rest.hasSuffix("/") || target.isEmpty || [".", ".."].contains(rest.split(separator: "/", omittingEmptySubsequences: false).last) { target += target.isEmpty ? "index.html" : "/index.html" }
        return (target.removingPercentEncoding ?? target, fragment)
    }

    @Test func agreesWithThePlainRuleOnRandomLinks() async {
        let piece = Gen<String?>.element(of: ["..", ".", "", "a", "b", "rtop", "index.html", "x%41", "é", "#f", "?q", ":", "mailto:"])
            .map { $0! }
        let links = piece.array(of: 0...7).map { pieces in
            (Bool.random() ? "/" : "") + pieces.joined(separator: "/")
        }
        let pages = Gen<String?>.element(of: ["index.html", "a/index.html", "situations/x/2024-01-01/print/index.html"]).map { $0! }
        await propertyCheck(count: 1000, input: links, pages) { link, page in
            let resolved = checker.resolve(link, from: page), expected = model(link, from: page)
            #expect(resolved?.0 == expected?.0 && resolved?.1 == expected?.1, "\(link) from \(page)")
        }
    }

    /// The scan leaves out what `resolve` finds no file for, told from the escaped bytes: the
    /// same answer as `resolve` gives on the link unescaped, as the check reads it.
    @Test func linksThatLeaveTheSiteAreNotKeptByTheScan() async {
        var html = #"<a href="https://example.org/a">w</a> <a href=" MAILTO:office@example.org">m</a> <a href="//cdn.example.org/x.css">h</a> "#
            + #"<a href="">e</a> <img src="data:image/png;base64,AA" alt=""> <a href="a&amp;b:c">escaped colon, a file</a> "#
            + #"<a href="../index.html">in</a> <a href="/rtop/x/">root</a> <a href="?q=1">query</a>"#
        let scan = html.withUTF8 { LinkChecker.scan(UnsafeRawBufferPointer($0)) }
        #expect(scan.links == ["a&amp;b:c", "../index.html", "/rtop/x/", "?q=1"])

        let piece = Gen<String?>.element(of: ["/", "//", ":", "a", "Z9", "+.-", " ", "&amp;", "&quot;", "&#39;", "&lt;", "#", "?", "é", "x:"])
            .map { $0! }
        await propertyCheck(count: 1000, input: piece.array(of: 0...6).map { $0.joined() }) { escaped in
            var bytes = escaped
            let leaves = bytes.withUTF8 { LinkChecker.leavesSite($0) }
            #expect(leaves == (checker.resolve(LinkChecker.unescape(escaped), from: page) == nil), "\(escaped)")
        }
    }

    /// Records of pages as the render stage makes them: scanned from their bytes.
    func records(_ pages: [(String, String)]) -> [SiteRenderer.FileRecord] {
        pages.map { path, html in
            var html = html
            let scan = html.withUTF8 { LinkChecker.scan(UnsafeRawBufferPointer($0)) }
            return SiteRenderer.FileRecord(entry: ManifestEntry(path: path, bytes: html.utf8.count, sha256: ""), scan: scan)
        }
    }

    @Test func anchorsOfThePageAndOfOthersAreChecked() {
        let home = """
            <p id="top"><a href="#notes">ok</a> <a href="#top">ok</a> <a href="#">ok</a> <a href="#gone">broken</a>
            <a href="#gone">the same, reported once</a> <a href="#a&amp;b">escaped</a> <a href="#x&amp;y">escaped, broken</a>
            <a href="other.html#there">ok</a> <a href="other.html#nowhere">broken</a> <a href="missing.html">broken</a></p>
            <ol id="notes"><li id="a&amp;b">note</li></ol>
            """
        let other = #"<h1 id="there">Other</h1> <a href="index.html#notes">ok</a> <a href="index.html#gone">broken</a>"#
        let records = records([("index.html", home), ("other.html", other)])
        // What the scan keeps to check: no link to an id the page itself has.
        #expect(records[0].scan?.links == ["#a&amp;b", "#x&amp;y", "other.html#there", "other.html#nowhere", "missing.html", "#gone"])
        #expect(records[0].scan?.ids == ["a&b", "notes", "top"])
        let problems = checker.check(records).map(\.message)
        #expect(problems == [
            "broken link '#x&y': no element with id 'x&y' on the page",
            "broken link 'other.html#nowhere': no element with id 'nowhere' in Public/other.html",
            "broken link 'missing.html': Public/missing.html does not exist",
            "broken link '#gone': no element with id 'gone' on the page",
            "broken link 'index.html#gone': no element with id 'gone' in Public/index.html",
        ])
    }

    /// Ids are found as a browser finds them (HTML's "find a potential indicated element"): the
    /// fragment as the URL parser writes it, or that percent-decoded, equal code point by code
    /// point. So a percent-encoded link (cmark writes `#caf%C3%A9` for `#café`) finds its id; an
    /// "é" written as "e" and a combining accent, or a Kelvin sign for "K", does not (Swift's
    /// strings would call them equal), and the message says why; ids whose bytes are alike but
    /// in another order are told apart; two ways of writing a link are two links.
    @Test func idsAreFoundAsABrowserFindsThem() {
        let composed = "\u{E9}", decomposed = "e\u{301}", kelvin = "\u{212A}"
        let home = """
            <h2 id="\(composed)">Composed</h2> <p id="K">K</p> <p id="a b">space</p> <p id="50%">percent</p>
            <a href="#\(composed)">ok</a> <a href="#%C3%A9">ok</a> <a href="#%c3%a9">ok</a> <a href="#a b">ok</a> <a href="#a%20b">ok</a>
            <a href="#50%">ok</a> <a href="#50%25">ok</a> <a href="other.html#\(composed)">ok</a> <a href="other.html#%C3%A9">ok</a>
            <a href="#\(decomposed)">broken</a> <a href="#\(kelvin)">broken</a> <a href="other.html#\(decomposed)">broken</a>
            <a href="#ab">broken</a> <a href="#%C3">broken</a> <a href="gone\(composed).html">broken</a> <a href="gone\(decomposed).html">another link</a>
            <a href="caf\(composed).html">ok</a> <a href="caf\(decomposed).html">broken</a>
            """
        let other = ##"<h1 id="\##(composed)">Other</h1> <p id="ba">swapped letters</p> <p id="K">K</p> <a href="#ab">broken</a>"##
        let records = records([("index.html", home), ("other.html", other), ("caf\(composed).html", "")])
        #expect(records[0].scan?.ids == ["50%", "K", "a b", composed])
        #expect(records[1].scan?.ids == ["K", "ba", composed])
        // What the scan keeps: links to other pages, and those to ids the page lacks.
        #expect(records[0].scan?.links == ["other.html#\(composed)", "other.html#%C3%A9", "other.html#\(decomposed)",
                                           "gone\(composed).html", "gone\(decomposed).html",
                                           "caf\(composed).html", "caf\(decomposed).html", "#\(decomposed)", "#\(kelvin)", "#ab", "#%C3"])
        #expect(records[1].scan?.links == ["#ab"])
        let normalization = "which looks the same but is encoded differently (Unicode normalization), and a browser compares links exactly: write the link the way the target is written"
        #expect(checker.check(records).map(\.message) == [
            "broken link 'other.html#\(decomposed)': no element with id '\(decomposed)' in Public/other.html; that page has '\(composed)', \(normalization)",
            "broken link 'gone\(composed).html': Public/gone\(composed).html does not exist",
            "broken link 'gone\(decomposed).html': Public/gone\(decomposed).html does not exist",
            "broken link 'caf\(decomposed).html': Public/caf\(decomposed).html does not exist; Public/caf\(composed).html \(normalization)",
            "broken link '#\(decomposed)': no element with id '\(decomposed)' on the page; the page has '\(composed)', \(normalization)",
            "broken link '#\(kelvin)': no element with id '\(kelvin)' on the page; the page has 'K', \(normalization)",
            "broken link '#ab' (and on 1 other page): no element with id 'ab' on the page",
            "broken link '#%C3': no element with id '%C3' on the page",
        ])
    }

    /// The forms of a fragment a browser looks for, as bytes.
    @Test func fragmentFormsAreThoseOfTheURLParser() {
        func forms(_ fragment: String) -> [String] {
            var fragment = fragment
            return fragment.withUTF8 { LinkChecker.fragmentForms($0).map { String(decoding: $0, as: UTF8.self) } }
        }
        #expect(forms("notes") == ["notes"])
        #expect(forms("caf\u{E9}") == ["caf%C3%A9", "caf\u{E9}"])
        #expect(forms("caf%C3%A9") == ["caf%C3%A9", "caf\u{E9}"])
        #expect(forms("a b\"<>`") == ["a%20b%22%3C%3E%60", "a b\"<>`"])
        #expect(forms("100%") == ["100%"])
        // A malformed sequence reads as U+FFFD, as a browser reads it.
        #expect(forms("%C3") == ["%C3", "\u{FFFD}"])
        func isPlain(_ fragment: String) -> Bool {
            var fragment = fragment
            return fragment.withUTF8(LinkChecker.isPlainFragment)
        }
        #expect(isPlain("a-b_c.d~e!$&'()*+,;=:@/?"))
        for other in ["100%", "a b", "caf\u{E9}", "a\"b", "a`b", "a<b"] {
            #expect(!isPlain(other), "\(other)")
        }
    }

    /// A template or raw HTML may quote attributes with `'` or not at all; text that only looks
    /// like an attribute is not one.
    @Test func attributesInSingleQuotesOrNoneAreRead() {
        let home = """
            <section id='facts'><a href='#facts'>ok</a> <a href='#gone'>broken</a> <a href=missing.html>broken</a>
            <a
            href="#notes">ok</a> <img src=map.png alt=''></section><ol id=notes></ol>
            <p><code>a href='nope.html'</code> with href=nope.html and 2+2=4, id='x'</p>
            """
        let records = records([("index.html", home), ("map.png", "")])
        #expect(records[0].scan?.ids == ["facts", "notes"])
        #expect(checker.check(records).map(\.message) == [
            "broken link 'missing.html': Public/missing.html does not exist",
            "broken link '#gone': no element with id 'gone' on the page",
        ])
    }

    /// A link a template makes from the root (`../../…`) is checked once for all pages at its depth,
    /// and said the same; a page's link to itself is still "on the page".
    @Test func linksFromTheRootAreCheckedOncePerDepthAndStillSaidForTheirPage() {
        let a = #"<a href="../../situations/a/index.html#gone">self</a> <a href="../../situations/b/index.html#gone">b</a> <a href="../../index.html">ok</a>"#
        let b = #"<a href="../../situations/a/index.html#gone">a</a> <a href="../../situations/b/index.html#gone">self</a> <a href="../../index.html">ok</a>"#
        let records = records([("index.html", ""), ("situations/a/index.html", a), ("situations/b/index.html", b)])
        #expect(checker.check(records).map { "\($0.file): \($0.message)" } == [
            "Public/situations/a/index.html: broken link '../../situations/a/index.html#gone' (and on 1 other page): no element with id 'gone' on the page",
            "Public/situations/a/index.html: broken link '../../situations/b/index.html#gone': no element with id 'gone' in Public/situations/b/index.html",
            "Public/situations/b/index.html: broken link '../../situations/a/index.html#gone': no element with id 'gone' in Public/situations/a/index.html",
        ])
    }

    /// Pages of one depth are checked in runs across the cores: with a thousand pages, each
    /// finding still belongs to its own page, and a page's link to itself is still "on the page"
    /// whichever run first met the link.
    @Test func manyPagesOfOneDepthKeepTheirOwnFindings() {
        let count = 1_000
        let pages = (0..<count).map { n -> (String, String) in
            let own = "../../situations/s\(n)/index.html"
            var html = #"<a href="../../index.html">home</a> <a href="../../situations/s0/index.html#top">first</a> <a href="\#(own)#top">self</a>"#
            if n == 0 || n == 700 { html += #" <p id="top"></p>"# }
            if n == 300 || n == 999 { html += #" <a href="../../situations/s\#(n)-old/index.html">gone</a>"# }
            return ("situations/s\(n)/index.html", html)
        }
        let messages = checker.check(records([("index.html", "")] + pages.shuffled())).map { "\($0.file): \($0.message)" }
        // `s0/index.html#top` resolves for every page; each page's own `#top`, absent on all but
        // two, is one problem said "on the page" (the first page named, the others counted).
        #expect(messages.count == 3)
        #expect(messages.contains { $0.hasPrefix("Public/situations/s300/index.html: broken link '../../situations/s300-old/index.html': ") })
        #expect(messages.contains { $0.hasPrefix("Public/situations/s999/index.html: broken link '../../situations/s999-old/index.html': ") })
        #expect(messages.contains { $0.hasSuffix("(and on \(count - 3) other pages): no element with id 'top' on the page") })
    }

    /// A host serves a folder's index.html; the file system shows a list of files. A template's
    /// link to a folder is one warning, however many pages have it.
    @Test func aLinkToAFolderIsAWarningWithTheLinkToWrite() {
        let records = records([
            ("index.html", #"<a href="situations/x/">x</a> <a href="situations/x/index.html">ok</a>"#),
            ("situations/x/index.html", #"<a href="../../">home</a> <a href=".#top" id="top">here</a> <a href="../y/?q=1#a">y</a>"#),
            ("situations/y/index.html", #"<a href="../../">home</a> <a id="a" href="../nowhere/">broken</a>"#),
        ])
        #expect(checker.check(records) == [
            .warning("Public/index.html", "link to a folder 'situations/x/': a host serves its index.html, but opened from the file system it shows a list of files: write 'situations/x/index.html'"),
            .warning("Public/situations/x/index.html", "link to a folder '../../' (and on 1 other page): a host serves its index.html, but opened from the file system it shows a list of files: write '../../index.html'"),
            .warning("Public/situations/x/index.html", "link to a folder '.#top': a host serves its index.html, but opened from the file system it shows a list of files: write './index.html#top'"),
            .warning("Public/situations/x/index.html", "link to a folder '../y/?q=1#a': a host serves its index.html, but opened from the file system it shows a list of files: write '../y/index.html?q=1#a'"),
            .error("Public/situations/y/index.html", "broken link '../nowhere/': Public/situations/nowhere/index.html does not exist"),
        ])
    }
}
