import Testing
@testable import DossierCore

private func render(_ text: String, keys: Set<String>? = ["a", "b", "coi-2014"], unsafe: Bool = false, startLine: Int = 1) -> RenderedMarkdown {
    let prefix = String(repeating: "\n", count: startLine - 1)
    let source = MarkdownSource(text: text, file: "update.md", startLine: startLine, fullText: prefix + text)
    let context = keys.map { MarkdownRenderer.CitationContext(knownKeys: $0, sourcesFile: "sources.yaml") }
    return MarkdownRenderer(options: .init(unsafeHTML: unsafe)).render(source, citations: context)
}

@Suite("Citations")
struct CitationTests {
    @Test func singleCitationBecomesNumberedReference() {
        let out = render("Text.[@a]\n")
        #expect(out.html == "<p>Text.<span class=\"citation\">[<a href=\"#source-1\" id=\"cite-1\" role=\"doc-noteref\" aria-label=\"Source 1\">1</a>]</span></p>\n")
        #expect(out.citedKeys == ["a"])
        #expect(out.diagnostics.isEmpty)
    }

    @Test func numbersFollowFirstUse() {
        let out = render("One [@b]. Two [@a]. Three [@b].\n")
        #expect(out.citedKeys == ["b", "a"])
        #expect(out.citations.map(\.number) == [1, 2, 1])
        #expect(out.citations.map(\.anchor) == ["cite-1", "cite-2", "cite-3"])
    }

    @Test func groupWithLocators() {
        let out = render("See [@a; @b, p. 12].\n")
        #expect(out.citations.map(\.key) == ["a", "b"])
        #expect(out.citations.map(\.locator) == [nil, "p. 12"])
        #expect(out.html.contains(">1</a>; <a href=\"#source-2\" id=\"cite-2\" role=\"doc-noteref\" aria-label=\"Source 2\">2</a>, p. 12]</span>"))
    }

    /// A redline compares each citation as a word of its own that names what it cites, and the
    /// changes page shows it where it was written: against the word before it, beside another
    /// note, before the text it is written against.
    @Test func citationsAreWordsOfTheComparedText() {
        let out = render("## Background\n\n*Claim*[@a][@b, p. 2]'s end [@coi-2014].\n\n### Heading [@a]\n")
        let paragraphs = out.sections.first?.paragraphs ?? []
        #expect(paragraphs.count == 2)
        #expect(out.sections.first?.title == "Background")
        let words = paragraphs[0].split(separator: " ")
        #expect(words.count == 5, "\(words)")
        #expect(CitationToken.pieces(of: paragraphs[0]) == [
            .text("Claim "), .citation(glued: true, items: [.init(key: "a", locator: nil)]), .text(" "),
            .citation(glued: true, items: [.init(key: "b", locator: "p. 2")]), .text("\u{2019}s end "),
            .citation(glued: false, items: [.init(key: "coi-2014", locator: nil)]), .text("."),
        ])
        // A heading's title and id have no note in them; its text for the redline has.
        #expect(CitationToken.pieces(of: paragraphs[1]).last == .citation(glued: false, items: [.init(key: "a", locator: nil)]))
        #expect(out.html.contains("<h3 id=\"heading\">Heading <span class=\"citation\">"))
        let notes = ChangesPageView.ParagraphView.Notes(current: ["a", "b", "coi-2014"], currentPage: "../index.html", previous: [], previousPage: "")
        let html = ChangesPageView.ParagraphView(runs: [.init(change: .unchanged, text: paragraphs[0])], notes: notes).html
        func note(_ n: Int, _ locator: String = "") -> String {
            "<span class=\"citation\">[<a href=\"../index.html#source-\(n)\" aria-label=\"Source \(n)\">\(n)</a>\(locator)]</span>"
        }
        #expect(html == "Claim\(note(1))\(note(2, ", p. 2"))\u{2019}s end \(note(3)). ")
    }

    @Test func textAroundCitationsKeepsEveryCharacter() {
        // Citations are found on UTF-8 bytes: the text between them must be cut between whole characters.
        let out = render("Zoë said — “yes” [@a, p. ü12]; 日本語 [@b] and 😀.\n")
        #expect(out.html.hasPrefix("<p>Zoë said — “yes” <span class=\"citation\">"))
        #expect(out.html.contains(", p. ü12]</span>; 日本語 <span class=\"citation\">"))
        #expect(out.html.hasSuffix("</span> and 😀.</p>\n"))
        #expect(out.citations.map(\.locator) == ["p. ü12", nil])
    }

    @Test func unknownKeyAfterWideCharactersIsLocatedByCharacter() {
        let out = render("Größe 😀 [@zz].\n")
        // cmark counts bytes; the column an editor sees counts characters.
        #expect(out.diagnostics.map(\.column) == [10])
        #expect(out.diagnostics.first?.line == 1)
    }

    @Test func locatorIsEscaped() {
        let out = render("See [@a, 1 < 2 & \\<b>].\n")
        #expect(out.html.contains(", 1 &lt; 2 &amp; &lt;b&gt;]"))
    }

    @Test func citationInsideCodeSpanStaysText() {
        let out = render("Write `[@a]` to cite.\n")
        #expect(out.html == "<p>Write <code>[@a]</code> to cite.</p>\n")
        #expect(out.citations.isEmpty)
    }

    @Test func ordinaryLinksAreNotCitations() {
        let out = render("A [link](https://example.org/) and [@a](https://example.org/x).\n")
        #expect(out.citations.isEmpty)
        #expect(out.html.contains("<a href=\"https://example.org/\">link</a>"))
        #expect(out.html.contains("<a href=\"https://example.org/x\">@a</a>"))
    }

    /// A note is a link, and a link holds no other: a citation in a link's text (or an image's
    /// description) stays as written, with a warning at its opening bracket saying where it goes.
    @Test func citationInALinksTextWarns() {
        let out = render("See [the report [@a]](https://example.org/) and [@b].\n\n![Map [@a; @b, p. 3]](/assets/map.png)\n\n"
                         + "A [*long* title\n[@coi-2014]](https://example.org/t).\n")
        #expect(out.html.contains("<a href=\"https://example.org/\">the report [@a]</a> and <span class=\"citation\">"))
        #expect(out.html.contains("alt=\"Map [@a; @b, p. 3]\""))
        #expect(out.citations.map(\.key) == ["b"])
        #expect(out.diagnostics == [
            .warning("update.md", line: 1, column: 17, "citation '[@a]' in a link's text is shown as written (a link holds no other link): "
                     + "put it after the link, as in [text](url)[@a]"),
            .warning("update.md", line: 3, column: 7, "citation '[@a; @b, p. 3]' in an image's description is shown as written "
                     + "(a description holds no note): put it in the text beside the image"),
            .warning("update.md", line: 6, column: 1, "citation '[@coi-2014]' in a link's text is shown as written (a link holds no other link): "
                     + "put it after the link, as in [text](url)[@coi-2014]"),
        ])
    }

    @Test func bracketsWithoutAtAreLeftAlone() {
        let out = render("A [note] and an email me@example.org and [x @a].\n")
        #expect(out.citations.isEmpty)
        #expect(out.html == "<p>A [note] and an email me@example.org and [x @a].</p>\n")
    }

    @Test func citationAcrossLineBreak() {
        let out = render("Text [@a;\n@b].\n")
        #expect(out.citedKeys == ["a", "b"])
    }

    @Test func unknownKeyIsLocatedError() {
        let out = render("Intro line.\n\nSome text [@a; @cio-2014] here.\n", startLine: 5)
        #expect(out.diagnostics == [
            .error("update.md", line: 7, column: 16,
                   "unknown source 'cio-2014' in citation: did you mean 'coi-2014'? If it is a new source, add it to sources.yaml")
        ])
        // The whole group stays as text when one key is unknown.
        #expect(out.html.contains("[@a; @cio-2014]"))
        #expect(out.citations.isEmpty)
        // A key like none of the sources is taken for a new one.
        #expect(render("Text [@un-report-2030].\n").diagnostics.map(\.message) ==
            ["unknown source 'un-report-2030' in citation: add it to sources.yaml"])
    }

    @Test func withoutContextCitationsStayText() {
        let out = render("Text [@a].\n", keys: nil)
        #expect(out.html == "<p>Text [@a].</p>\n")
    }

    @Test(arguments: [
        ("[@a]", ["a"]),
        ("[@a, p. 3]", ["a"]),
        ("[@a;@b]", ["a", "b"]),
        ("[ @a ; @b , ch. 2 ]", ["a", "b"]),
        ("[@un-doc:2014.v2]", ["un-doc:2014.v2"]),
    ])
    func syntaxVariants(text: String, keys: [String]) {
        let groups = CitationSyntax.groups(in: text)
        #expect(groups.count == 1)
        #expect(groups.first?.items.map(\.key) == keys)
    }

    @Test(arguments: ["[@]", "[@a", "[@a, ]", "[@a; b]", "[a @b]", "[@a, [x]]"])
    func malformedGroupsAreNotCitations(text: String) {
        #expect(CitationSyntax.groups(in: text).isEmpty)
    }

    /// What an editor meant as a citation but wrote otherwise stays text, with a warning at its place.
    @Test(arguments: [
        ("[@coi-2014 p. 12]", 7), ("[@coi-2014;]", 7), ("[@ coi-2014]", 7), ("[see @coi-2014]", 7), ("[@a; @b p. 3]", 7),
    ])
    func lookalikesWarn(written: String, column: Int) {
        let out = render("Text: \(written) and [@a].\n")
        #expect(out.diagnostics == [.warning("update.md", line: 1, column: column,
            "'\(written)' looks like a citation but is not one, so it is shown as written: write [@key], [@key, p. 12] or [@a; @b]")])
        #expect(out.html.contains(written))
        #expect(out.citations.map(\.key) == ["a"])
    }

    /// Footnotes from other Markdown dialects stay text, with a warning at each mark and
    /// definition; brackets with a caret elsewhere, and code, stay quiet.
    @Test func footnotesWarn() {
        let out = render("A claim.[^1] Another[^note-2].\n\n[^1]: The note.\n\nx[^ 1] [^] 2^[3] `[^4]` [a^b]\n")
        let message = "looks like a footnote, which CommonMark does not have, so it is shown as written: cite a source with [@key], or put the note in the text"
        #expect(out.diagnostics == [
            .warning("update.md", line: 1, column: 9, "'[^1]' \(message)"),
            .warning("update.md", line: 1, column: 21, "'[^note-2]' \(message)"),
            .warning("update.md", line: 3, column: 1, "'[^1]' \(message)"),
        ])
        #expect(out.html.contains("A claim.[^1]"))
        // With a definition of one word, CommonMark reads it as a link reference: still a footnote.
        let text = "A claim.[^2]\n\n[^2]: Source.\n"
        let linked = MarkdownRenderer(options: .init(relativeLinks: false))
            .render(MarkdownSource(text: text, file: "update.md", startLine: 1, fullText: text),
                    citations: .init(knownKeys: ["a"], sourcesFile: "sources.yaml"))
        #expect(linked.html == "<p>A claim.[^2]</p>\n")
        #expect(linked.diagnostics == [.warning("update.md", line: 1, column: 9, "'[^2]' looks like a footnote, which CommonMark does not have, "
            + "so its definition became a link to 'Source.': cite a source with [@key], or put the note in the text")])
    }

    /// A table as GitHub's Markdown writes it is a paragraph of pipes in CommonMark: a warning at
    /// its first row; pipes in text or code, and a setext heading, stay quiet.
    @Test func tablesWarn() {
        let out = render("Intro.\n\n| Year | Returned |\n|------|---------:|\n| 2023 | 800 |\n\nA | B\n:-- | --\n\nA | pipe.\n\n"
                         + "```\n| a |\n|---|\n```\n\nHeading\n---\n\nx | y\n|- x -|\n")
        let message = "this looks like a table, which CommonMark does not have, so it is shown as text: write the rows as a list, "
            + "or put figures in the fact box (facts in situation.yaml)"
        #expect(out.diagnostics == [.warning("update.md", line: 3, column: 1, message), .warning("update.md", line: 7, column: 1, message)])
    }

    @Test func aKnownKeyWithoutBracketsWarns() {
        let out = render("As @coi-2014 found, and [@coi-2014] says: see @coi-2014.\n")
        #expect(out.diagnostics == [
            .warning("update.md", line: 1, column: 4, "'@coi-2014' is not a citation, so it is shown as written: write [@coi-2014]"),
            .warning("update.md", line: 1, column: 47, "'@coi-2014' is not a citation, so it is shown as written: write [@coi-2014]"),
        ])
    }

    @Test(arguments: ["Write to info@example.org.", "[the office @ Geneva]", "[contact: info@a]", "Ask @someone.", "[x] and [y]",
                      "`[@a p. 3]` in code", "[link @a](https://example.org/)"])
    func ordinaryTextDoesNotWarn(text: String) {
        #expect(render(text + "\n").diagnostics.isEmpty)
    }
}

@Suite("Headings")
struct HeadingTests {
    @Test func levelTwoHeadingsGetStableIDs() {
        let out = render("## Background\n\nText.\n\n## Necessary Action\n\nMore.\n")
        #expect(out.html.contains("<h2 id=\"background\">"))
        #expect(out.html.contains("<h2 id=\"necessary-action\">"))
        #expect(out.sections.map(\.title) == ["Background", "Necessary Action"])
        #expect(out.sections.map(\.id) == ["background", "necessary-action"])
        #expect(out.sections[0].paragraphs == ["Text."])
    }

    @Test func duplicateHeadingsGetDistinctIDs() {
        let out = render("## Notes\n\n## Notes\n")
        #expect(out.sections.map(\.id) == ["notes", "notes-2"])
    }

    /// The page's title is its one level-1 heading: a `#` in the text is reported.
    @Test func aLevelOneHeadingWarns() {
        let out = render("Intro.\n\n# Big title\n\n## Background\n\nText.\n")
        #expect(out.diagnostics == [.warning("update.md", line: 3, column: 1,
            "a level-1 heading: the page's own title (the situation's name, or the page's title) is its one level-1 heading; "
            + "make this a section (##) or a heading inside one (###)")])
    }

    /// Text before the first level-2 section is in none; where it starts is kept (blocks
    /// without text, a rule or a comment, do not count).
    @Test func textBeforeTheFirstSectionIsFound() {
        let out = render("***\n\n<!-- a note -->\n\nA lead paragraph.\n\n## Background\n\nText.\n")
        #expect(out.leadingText == SourceLocation(file: "update.md", line: 5, column: 1))
        #expect(out.sections.map(\.paragraphs) == [["Text."]])
        #expect(render("***\n\n## Background\n\nText.\n").leadingText == nil)
        #expect(render("No sections at all.\n").leadingText?.line == 1)
    }

    /// Ids of the page around the body are taken already: a heading steps past them.
    @Test func headingsStepPastReservedIDs() {
        let text = "## Main\n\n## Source 1\n\n## Source list\n\n## Main\n\n## Source 1a\n\n## Source\n"
        let source = MarkdownSource(text: text, file: "update.md", startLine: 1, fullText: text)
        let reserved = ReservedIDs(names: ["main"], numbered: ["source-"])
        let out = MarkdownRenderer(options: .init(reservedIDs: reserved)).render(source)
        #expect(out.sections.map(\.id) == ["main-2", "source-1-2", "source-list", "main-3", "source-1a", "source"])
        #expect(MarkdownRenderer().render(source).sections.map(\.id) == ["main", "source-1", "source-list", "main-2", "source-1a", "source"])
    }

    /// The ids the templates write, read from their text: literal ones as they are, ones that
    /// start with text and end in a value as numbered; names that only end in `id` are not ids.
    @Test func reservedIDsAreReadFromTheTemplates() {
        let reserved = ReservedIDs.of(templates: [
            #"<main id="main" class="wrap">{{{body}}}</main>"#,
            "<li\n id='source-{{number}}'>{{title}}</li><p data-id=\"x\" aria-labelledby=\"y\" id=\"{{anchor}}\" grid=\"z\">",
            #"<h2 id="sources-heading">Sources</h2><div id="">"#,
        ])
        #expect(reserved.names == ["main", "sources-heading"])
        #expect(reserved.numbered == ["source-", "cite-", "fact-"])
        #expect(reserved.contains("fact-12") && reserved.contains("main") && !reserved.contains("fact-") && !reserved.contains("fact-1b"))
        #expect(ReservedIDs.of(templates: []) == .made)
    }

    @Test func headingWithInlineMarkupKeepsIt() {
        let out = render("## The *first* step\n")
        #expect(out.html == "<h2 id=\"the-first-step\">The <em>first</em> step</h2>\n")
    }

    /// The heading's text stays on the line of its tags, as cmark writes a heading without an
    /// id, so its text content (read by search engines and screen readers' heading lists)
    /// has no stray line breaks; nested headings too.
    @Test func headingTextStaysOnItsTagsLine() {
        let out = render("## Background\n\nText.\n\n> ### Quoted\n")
        #expect(out.html == "<h2 id=\"background\">Background</h2>\n<p>Text.</p>\n<blockquote>\n<h3 id=\"quoted\">Quoted</h3>\n</blockquote>\n")
    }

    @Test func sectionLocationIsTheFileLine() {
        let out = render("Intro.\n\n## Analysis\n", startLine: 8)
        #expect(out.sections.first?.location == SourceLocation(file: "update.md", line: 10, column: 1))
    }

    @Test func skippedLevelWarns() {
        let out = render("## A\n\n#### B\n")
        #expect(out.diagnostics == [.warning("update.md", line: 3, column: 1, "heading level skipped: level 4 after level 2; use ###")])
    }
}

@Suite("Safety")
struct MarkdownSafetyTests {
    @Test func rawHTMLIsDropped() {
        let out = render("<script>alert(1)</script>\n\nText <b onclick=\"x\">bold</b>.\n")
        #expect(!out.html.contains("<script"))
        #expect(!out.html.contains("<b"))
        #expect(!out.html.contains("raw HTML omitted"))
        #expect(out.html.contains("Text bold."))
    }

    @Test func rawHTMLLeftOutWarnsButCommentsDoNot() {
        let out = render("<!-- a note to editors -->\n\nText <b>bold</b>.\n")
        #expect(out.diagnostics == [.warning("update.md", line: 3, column: 6,
            "raw HTML '<b>' is left out of the page: write it in Markdown, or set unsafe_html: true in site.yaml")])
        #expect(render("Text <b>bold</b>.\n", unsafe: true).diagnostics.isEmpty)
    }

    @Test func rawHTMLPassesWhenAllowed() {
        let out = render("Text <b>bold</b>.\n", unsafe: true)
        #expect(out.html.contains("<b>bold</b>"))
    }

    @Test(arguments: ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html;base64,xx", "&#106;avascript:alert(1)", "<javascript:alert(1)>"])
    func unsafeLinkTargetsAreRemoved(target: String) {
        let out = render("A [click](\(target)) here.\n")
        #expect(out.html == "<p>A click here.</p>\n")
        #expect(out.diagnostics.first?.severity == .warning)
    }

    /// A URL's scheme, lower-cased, with spaces and control characters skipped as browsers skip
    /// them: the plain case is read in place, the rest byte by byte; both give the same answers.
    @Test(arguments: [("https://x.org/", "https"), ("HTTPS://x.org/", "https"), ("JavaScript:alert(1)", "javascript"),
                      ("java\tscript:alert(1)", "javascript"), (" mailto:a@b.org", "mailto"), ("java script:x", "javascript"),
                      ("a+b-c.d:x", "a+b-c.d"), ("/situations/x/", nil), ("#top", nil), ("x.png", nil), ("../a:b", nil),
                      (":x", nil), ("ünï:x", nil), ("", nil), ("nocolon", nil)] as [(String, String?)])
    func schemes(url: String, expected: String?) {
        #expect(LinkPolicy.scheme(of: url) == expected)
    }

    @Test func unsafeLinksRemovedEvenWithUnsafeHTML() {
        let out = render("[x](javascript:alert(1))\n", unsafe: true)
        #expect(out.html == "<p>x</p>\n")
    }

    @Test func unsafeImageBecomesItsAltText() {
        let out = render("![a chart](javascript:x)\n")
        #expect(out.html == "<p>a chart</p>\n")
    }

    @Test func imageWithoutAltWarns() {
        let out = render("![](chart.png)\n")
        #expect(out.diagnostics.map(\.message).first?.hasPrefix("image without alt text") == true)
    }

    @Test func smartPunctuation() {
        let out = render("\"Quoted\" -- it's\n")
        #expect(out.html == "<p>“Quoted” – it’s</p>\n")
    }
}

@Suite("Smart punctuation in plain text")
struct PlainTextPunctuationTests {
    @Test(arguments: [
        ("Russia's war", "Russia’s war"),
        ("Democratic People's Republic of Korea", "Democratic People’s Republic of Korea"),
        ("the \"politically suspect\"", "the “politically suspect”"),
        ("'single' quotes", "‘single’ quotes"),
        ("2014--2024", "2014–2024"),
        ("now---and later", "now—and later"),
        ("and so on...", "and so on…"),
        ("--- and a dash first", "— and a dash first"),
    ])
    func punctuationIsSetAsInABody(_ text: String, _ expected: String) {
        #expect(MarkdownRenderer.smartPunctuation(text) == expected)
    }

    @Test func plainTextAgreesWithTheBodyOnTheSameWords() {
        let words = "The DPRK's \"so-called\" reforms -- and what's next..."
        let body = render(words + "\n", keys: nil).html
        #expect(body == "<p>" + MarkdownRenderer.smartPunctuation(words) + "</p>\n")
    }

    // Text that would be Markdown syntax in a body stays exactly as written, quotes aside.
    @Test(arguments: [
        "*not emphasis* and _not either_",
        "# not a heading",
        "> not a quote",
        "- not a list",
        "+ not a list",
        "1. not a list",
        "2) not a list",
        "<b>not HTML</b> &amp; &copy; not entities",
        "[not a link](https://example.org) `not code` \\ backslash",
        "A/HRC/25/63 (2014); 3.5 million ~ 40% | pipes {braces} ^ = ! ? @ $",
        "    indented",
        "trailing  ",
        "two\nlines",
        "",
    ])
    func everythingElseIsKept(_ text: String) {
        #expect(MarkdownRenderer.smartPunctuation(text) == text)
        #expect(MarkdownRenderer.smartPunctuation(text + " it's") == text + " it’s")
    }

    @Test func aLineOfDashesAloneStaysAsWritten() {
        #expect(MarkdownRenderer.smartPunctuation("---") == "---")
        #expect(MarkdownRenderer.smartPunctuation("- - -") == "- - -")
        #expect(MarkdownRenderer.smartPunctuation("it's\n---") == "it’s\n---")
    }

    @Test func spacesAroundEachLineAreKept() {
        #expect(MarkdownRenderer.smartPunctuation("  it's \n\t\"a\"  ") == "  it’s \n\t“a”  ")
    }
}
