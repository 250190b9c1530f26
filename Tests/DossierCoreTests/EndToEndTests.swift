import Mustache
import Foundation
import Testing
@testable import DossierCore

@Suite("End to end: a fixture site")
struct EndToEndTests {
    @Test func producesEveryPage() async {
        let result = await validSite.generate()
        #expect(result.errors.isEmpty, "\(result.diagnostics)")
        #expect(result.files.map(\.path).filter { !$0.hasPrefix("assets/") } == [
            "404.html", "feed.xml", "index.html", "pages/about/index.html", "robots.txt",
            "sitemap.xml", "situations/ruritania/2024-01-10/index.html", "situations/ruritania/2024-01-10/print/index.html",
            "situations/ruritania/2024-06-01/changes/index.html", "situations/ruritania/2024-06-01/index.html",
            "situations/ruritania/2024-06-01/print/index.html", "situations/ruritania/index.html",
            "situations/ruritania/print/index.html", "situations/ruritania/versions/index.html", "manifest.json",
        ])
        #expect(result.files.contains { $0.path.hasPrefix("assets/dossier.") && $0.path.hasSuffix(".css") })
    }

    @Test func latestPageShowsTheNewestPublishedUpdate() async throws {
        let result = await validSite.generate()
        let page = try #require(result.file("situations/ruritania/index.html"))
        #expect(page.contains("<html lang=\"en\">"))
        #expect(page.contains("<h1 id=\"situation-title\">Republic of Ruritania</h1>"))
        #expect(page.contains("Attacks on civilians have begun in the north."))
        #expect(page.contains("<span class=\"risk risk-high\""))
        #expect(page.contains("Imminent Risk"))
        #expect(page.contains("As of <time datetime=\"2024-06-01\">1 June 2024</time> · Issue 2"))
        #expect(page.contains("Civilians in the northern provinces."))
        #expect(page.contains("Corrected on <time datetime=\"2024-06-03\">3 June 2024</time>: Corrected the name of the province."))
        #expect(page.contains("<h2 id=\"background\">"))
        #expect(!page.contains("A draft not yet published."))
        #expect(page.contains("<main id=\"main\""))
        // A link shared on social media shows the situation and its headline.
        #expect(page.contains("<title>Republic of Ruritania · Atrocity Watch</title>"))
        // A link preview shows the page's own title beside the site's name, not the name twice.
        #expect(page.contains("<meta property=\"og:title\" content=\"Republic of Ruritania\">"))
        #expect(page.contains("<meta property=\"og:site_name\" content=\"Atrocity Watch\">"))
        #expect(page.contains("<meta property=\"og:description\" content=\"Attacks on civilians have begun in the north.\">"))
        #expect(page.contains("<meta property=\"og:url\" content=\"https://watch.example.org/reports/situations/ruritania/\">"))
        #expect(page.contains("href=\"#main\">Skip to content</a>"))
        #expect(page.contains("1 Example Street"))
        #expect(!page.contains("banner-archived"))
        // Stylesheet and links are relative so the site works under any sub-path.
        #expect(page.contains("<link rel=\"stylesheet\" href=\"../../assets/dossier."))
        #expect(page.contains("href=\"../../index.html\""))
        #expect(!page.contains("href=\"/"))
    }

    @Test func sourcesAreNumberedInOrderOfFirstUse() async throws {
        let result = await validSite.generate()
        let page = try #require(result.file("situations/ruritania/2024-06-01/index.html"))
        // inquiry-2020 is cited first, press-2024 second.
        let first = try #require(page.range(of: "<li id=\"source-1\""))
        let second = try #require(page.range(of: "<li id=\"source-2\""))
        #expect(page[first.upperBound..<second.lowerBound].contains("Report of the inquiry on Ruritania"))
        #expect(page[second.upperBound...].contains("Statement on the northern provinces"))
        #expect(page.contains("<a href=\"https://docs.example.org/A/HRC/00/1\">Report of the inquiry on Ruritania</a>"))
        #expect(page.contains("<span class=\"symbol\">A/HRC/00/1</span>"))
        // inquiry-2020 is used three times: twice in the body, once by the fact box; each is linked back.
        #expect(page.contains("href=\"#cite-1\" aria-label=\"Back to reference a\""))
        #expect(page.contains("href=\"#cite-3\" aria-label=\"Back to reference b\""))
        #expect(page.contains("href=\"#fact-1\" aria-label=\"Back to reference c\""))
        #expect(page.contains("id=\"cite-1\""))
        #expect(page.contains("1</a>, p. 12]"))
    }

    @Test func olderSnapshotCarriesArchivedBanner() async throws {
        let result = await validSite.generate()
        let page = try #require(result.file("situations/ruritania/2024-01-10/index.html"))
        #expect(page.contains("Archived version of <time datetime=\"2024-01-10\">10 January 2024</time>."))
        #expect(page.contains("<a href=\"../../../situations/ruritania/index.html\">See the latest update (1 June 2024)</a>"))
        #expect(page.contains("Serious Concern"))
        #expect(page.contains("<link rel=\"canonical\" href=\"https://watch.example.org/reports/situations/ruritania/2024-01-10/\">"))
    }

    @Test func indexGroupsByRiskLevel() async throws {
        let result = await validSite.generate()
        let page = try #require(result.file("index.html"))
        #expect(page.contains("<h2 id=\"group-imminent-risk\">"))
        #expect(!page.contains("group-current-crisis"))
        #expect(page.contains("<a href=\"situations/ruritania/index.html\">Republic of Ruritania</a>"))
        // The latest update raised the level: the index says so, from what.
        #expect(page.contains("Updated <time datetime=\"2024-06-01\">1 June 2024</time> · <span class=\"trend trend-escalated\"><span aria-hidden=\"true\">▲</span> Escalated</span> from Serious Concern</p>"))
        let steady = await validSite.replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk",
                                               with: "risk_level: serious-concern").generate()
        #expect(steady.file("index.html")?.contains("Updated <time datetime=\"2024-06-01\">1 June 2024</time></p>") == true)
    }

    @Test func versionsPageListsTrends() async throws {
        let result = await validSite.generate()
        let page = try #require(result.file("situations/ruritania/versions/index.html"))
        let newest = try #require(page.range(of: "1 June 2024"))
        let oldest = try #require(page.range(of: "10 January 2024"))
        #expect(newest.lowerBound < oldest.lowerBound)
        #expect(page.contains("Escalated"))
        #expect(page.contains("First update"))
    }

    @Test func draftsOnlyWithTheFlagAndMarked() async throws {
        let result = await validSite.generate(drafts: true)
        let page = try #require(result.file("situations/ruritania/2024-09-01/index.html"))
        #expect(page.contains("Draft — not published."))
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        // The latest page stays the latest published update.
        #expect(result.file("situations/ruritania/index.html")?.contains("Attacks on civilians") == true)
        #expect(result.file("feed.xml")?.contains("2024-09-01") == false)
        #expect(result.file("sitemap.xml")?.contains("2024-09-01") == false)
    }

    @Test func feedSitemapAndRobotsUseTheBaseURL() async throws {
        let result = await validSite.generate()
        let feed = try #require(result.file("feed.xml"))
        #expect(feed.contains("<id>https://watch.example.org/reports/situations/ruritania/2024-06-01/</id>"))
        #expect(feed.contains("<updated>2024-06-03T00:00:00Z</updated>"))
        #expect(feed.components(separatedBy: "<entry>").count == 3)
        let sitemap = try #require(result.file("sitemap.xml"))
        // A page's lastmod is the day what it shows last changed: 2024-06-01 was corrected on 2024-06-03.
        let lastmod = Dictionary(uniqueKeysWithValues: sitemap.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let loc = line.firstRange(of: "<loc>"), let end = line.firstRange(of: "</loc>") else { return nil }
            let date = line.firstRange(of: "<lastmod>").map { String(line[$0.upperBound...].prefix(10)) } ?? ""
            return (String(line[loc.upperBound..<end.lowerBound].dropFirst("https://watch.example.org/reports/".count)), date)
        })
        #expect(lastmod == ["": "2024-06-03", "situations/ruritania/": "2024-06-03", "situations/ruritania/versions/": "2024-06-03",
                            "situations/ruritania/2024-01-10/": "2024-01-10", "situations/ruritania/2024-06-01/": "2024-06-03",
                            "situations/ruritania/2024-06-01/changes/": "2024-06-03", "pages/about/": ""])
        #expect(sitemap.contains("<loc>https://watch.example.org/reports/pages/about/</loc>"))
        #expect(result.file("robots.txt")?.contains("Sitemap: https://watch.example.org/reports/sitemap.xml") == true)
        let notFound = try #require(result.file("404.html"))
        #expect(notFound.contains("href=\"/reports/assets/dossier."))
    }

    /// A correction to an earlier update changes the redline that compares with it and the list of
    /// versions (its headline), not the latest page.
    @Test func sitemapDatesARedlineByTheLaterOfItsTwoUpdates() async throws {
        let result = await validSite.replacing("Content/situations/ruritania/updates/2024-01-10.md", "issue: 1\n",
                                               with: "issue: 1\ncorrections:\n  - date: 2024-07-05\n    note: Clarified a date.\n").generate()
        let sitemap = try #require(result.file("sitemap.xml"))
        for (path, date) in [("situations/ruritania/2024-06-01/changes/", "2024-07-05"), ("situations/ruritania/versions/", "2024-07-05"),
                             ("situations/ruritania/2024-01-10/", "2024-07-05"), ("situations/ruritania/", "2024-06-03"), ("", "2024-06-03")] {
            #expect(sitemap.contains("<loc>https://watch.example.org/reports/\(path)</loc><lastmod>\(date)</lastmod>"), "\(path)")
        }
    }

    @Test func manifestListsEveryOtherFileWithItsHash() async throws {
        let result = await validSite.generate()
        let manifest = try #require(result.file("manifest.json"))
        let json = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: [[String: Any]]]
        let entries = try #require(json?["files"])
        #expect(entries.count == result.files.count - 1)
        let index = try #require(entries.first { $0["path"] as? String == "index.html" })
        let data = Data(try #require(result.file("index.html")).utf8)
        #expect(index["bytes"] as? Int == data.count)
        #expect((index["sha256"] as? String)?.count == 64)
    }

    /// A path in the manifest reads back as itself, whether it needs escaping or not.
    @Test(arguments: ["situations/dprk/index.html", "pages/é/index.html", "a\"b\\c", "tab\there\u{1}", "line\nbreak"])
    func manifestPathsReadBackAsThemselves(path: String) throws {
        let json = "[" + SiteRenderer.jsonString(path) + "]"
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(decoded == [path])
    }

    /// The manifest the build writes reads back as its entries; anything that is not one reads as none.
    @Test func manifestReadsBackAsItsEntries() {
        let entries = [ManifestEntry(path: "index.html", bytes: 120, sha256: String(repeating: "a", count: 64)),
                       ManifestEntry(path: "pages/é \"q\"/index.html", bytes: 0, sha256: String(repeating: "b", count: 64))]
        let manifest = SiteRenderer.manifest(of: entries)
        #expect(Set(ManifestEntry.parse(manifest.data)) == Set(entries))
        // Read from its lines, as written; the escaped path sends it to JSONDecoder.
        let plain = SiteRenderer.manifest(of: Array(entries.prefix(1)) + [ManifestEntry(path: "a/é.html", bytes: 7, sha256: String(repeating: "c", count: 64))])
        #expect(plain.data.withUnsafeBytes { ManifestEntry.readLines($0) } == [ManifestEntry(path: "a/é.html", bytes: 7, sha256: String(repeating: "c", count: 64)), entries[0]])
        #expect(manifest.data.withUnsafeBytes { ManifestEntry.readLines($0) } == nil)
        #expect(SiteRenderer.manifest(of: []).data.withUnsafeBytes { ManifestEntry.readLines($0) } == [])
        // The same entries spaced otherwise are still a manifest, for JSONDecoder.
        let compact = plain.text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "    ", with: "")
        #expect(ManifestEntry.parse(Data(compact.utf8)) == ManifestEntry.parse(plain.data))
        for broken in ["", "{}", "[1]", #"{"files": [{"path": "a", "bytes": "12", "sha256": "x"}]}"#,
                       #"{"files": [{"path": "a", "sha256": "x"}]}"#, String(manifest.text.dropLast(5))] {
            #expect(ManifestEntry.parse(Data(broken.utf8)).isEmpty, "\(broken)")
        }
    }

    @Test func contentErrorsAreCollectedAndLocated() async {
        let broken = validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk", with: "risk_level: critical")
            .replacing("Content/situations/ruritania/updates/2024-01-10.md", "[@inquiry-2020]", with: "[@inquiry-2021]")
        let result = await broken.generate()
        #expect(result.files.isEmpty)
        // Every error of the run, from different stages, each at its file, line and column.
        #expect(result.errors.sortedForReport() == [
            .error("Content/situations/ruritania/updates/2024-01-10.md", line: 9, column: 27,
                   "unknown source 'inquiry-2021' in citation: did you mean 'inquiry-2020'? If it is a new source, add it to Content/situations/ruritania/sources.yaml"),
            .error("Content/situations/ruritania/updates/2024-06-01.md", line: 3, column: 13,
                   "unknown risk level 'critical'; expected one of current-crisis, imminent-risk, serious-concern"),
        ])
    }

    @Test func unknownFieldWarnsWithKnownNames() async {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-01-10.md", "risk_level:", with: "risk_levle:")
            .generate()
        #expect(result.warnings.contains {
            $0.line == 3 && $0.message.hasPrefix("unknown field 'risk_levle' in the update's front matter; did you mean 'risk_level'?")
        })
        #expect(result.errors.contains { $0.message == "the update's front matter is missing the required field 'risk_level'" })
    }

    @Test func unusedSourceAndMissingSectionWarn() async {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "## Analysis", with: "## Assessment")
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "[@press-2024; @inquiry-2020]", with: "")
            .generate()
        #expect(result.errors.isEmpty)
        #expect(result.warnings.contains { $0.message.hasPrefix("missing section '## Analysis'") })
        #expect(result.warnings.contains { $0.message == "source 'press-2024' is never cited" && $0.line == 7 })
    }

    /// A section written twice, and a misspelt one, are told apart from a missing one.
    @Test func sectionsWrittenTwiceOrMisspeltWarnAtTheirPlace() async {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let result = await validSite
            .replacing(file, "## Necessary Action", with: "## Analysis\n\nMore.\n\n## Neccessary action")
            .generate()
        let sections = "Background, Analysis, Necessary Action"
        #expect(result.warnings == [
            .warning(file, line: 18, column: 1, "section 'Analysis' is written twice (first at line 14); every update has each of \(sections) once"),
            .warning(file, line: 22, column: 1, "section 'Neccessary action' is not one of \(sections); did you mean 'Necessary Action'?"),
        ])
        let other = await validSite.replacing(file, "## Necessary Action", with: "## Outlook").generate()
        #expect(other.warnings == [.warning(file, "missing section '## Necessary Action'; every update has the sections \(sections)")])
    }

    /// A published update dated after tomorrow is most likely a mistyped year, which the record
    /// would keep: an error until it is on the record, and never for a draft.
    @Test func anUpdateFromTheFutureIsNotPublished() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let early = await validSite.generate(today: "2024-05-30")
        #expect(early.errors == [.error(file, line: 2, column: 7,
            "this update is dated 2024-06-01, after today (2024-05-30): an update records what was known on its date; check the date, or keep it a draft (status: draft) until then")])
        // A day's grace, for the update and for its correction (reported on its own when the update is not).
        #expect(await validSite.replacing(file, "  - date: 2024-06-03", with: "  - date: 2024-06-01").generate(today: "2024-05-31").errors.isEmpty)
        #expect(await validSite.generate(today: "2024-05-31").errors.map(\.line) == [7])
        let draft = validSite.replacing(file, "issue: 2\n", with: "issue: 2\nstatus: draft\n")
        #expect(await draft.generate(today: "2024-05-30").errors.isEmpty)
        // Once on the record, the day it is built again does not matter.
        var locked = validSite
        locked.files["Content/versions.lock"] = try #require(await validSite.generate().lockToWrite).text
        #expect(await locked.generate(today: "2024-05-30").errors.isEmpty)
    }

    /// An update published before one already on the record changes that one's redline: a
    /// warning, not when everything is published at once (a first import of an archive).
    @Test func anUpdateDatedBeforeOneOnTheRecordWarns() async throws {
        var site = validSite.removing("Content/situations/ruritania/updates/2024-01-10.md")
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "[@press-2024; @inquiry-2020]", with: "[@press-2024]")
        site.files["Content/versions.lock"] = try #require(await site.generate().lockToWrite).text
        site.files["Content/situations/ruritania/updates/2024-01-10.md"] = validSite.files["Content/situations/ruritania/updates/2024-01-10.md"]
        let result = await site.generate()
        #expect(result.errors.isEmpty)
        #expect(result.warnings == [.warning("Content/situations/ruritania/updates/2024-01-10.md", line: 2, column: 7,
            "this update is dated 2024-01-10, before 2024-06-01, which is already published: publishing it changes what the update of 2024-06-01 is compared with on its 'what changed' page; check the date")])
        #expect(await validSite.generate().warnings.isEmpty)
    }

    /// An update published as a copy of the one before it (as `dossier new` starts one) says
    /// nothing new, for good: a warning until it is on the record; none for a draft, nor for a
    /// copy that changes a word or goes on the record with new facts.
    @Test func anUpdateThatRepeatsTheOneBeforeWarns() async throws {
        let previous = "Content/situations/ruritania/updates/2024-06-01.md", file = "Content/situations/ruritania/updates/2024-09-01.md"
        let copy = try #require(validSite.files[previous])
            .replacingOccurrences(of: "date: 2024-06-01", with: "date: 2024-09-01")
            .replacingOccurrences(of: "issue: 2\ncorrections:\n  - date: 2024-06-03\n    note: Corrected the name of the province.\n", with: "issue: 3\n")
        // The updates before it on the record, with the facts they were published with.
        var site = validSite
        site.files["Content/versions.lock"] = try #require(await validSite.generate().lockToWrite).text
        site.files[file] = copy + "\n"
        let result = await site.generate()
        #expect(result.errors.isEmpty)
        #expect(result.warnings == [.warning(file, line: 2, column: 7,
            "this update repeats the update of 2024-06-01: the same headline, risk level, text and facts; write what changed since then "
            + "before publishing it (an update made by 'dossier new' starts as a copy of the latest)")])
        #expect(await site.replacing(file, "issue: 3\n", with: "status: draft\n").generate(drafts: true).warnings.isEmpty)
        #expect(await site.replacing(file, "Attacks began in May.", with: "Attacks began in April.").generate().warnings.isEmpty)
        #expect(await site.replacing(file, "headline: Attacks on civilians have begun in the north.", with: "headline: Attacks go on.")
            .generate().warnings.isEmpty)
        let newFacts = await site.replacing("Content/situations/ruritania/situation.yaml", "Many thousands", with: "Over 10,000").generate()
        #expect(newFacts.warnings.isEmpty)
        // Once on the record, it is not said again at every build.
        site.files["Content/versions.lock"] = try #require(result.lockToWrite).text
        #expect(await site.generate().warnings.isEmpty)
    }

    /// A plain page has no sources: a citation there stays as written, with a warning at it (in a
    /// link's text too); its other Markdown is checked as an update's is.
    @Test func aCitationOnAPlainPageIsReported() async throws {
        let file = "Content/pages/about.md"
        let result = await validSite.replacing(file, "We watch.", with: "We watch [@inquiry-2020] closely.[^1]\n\n[the inquiry [@inquiry-2020]](https://docs.example.org/)").generate()
        let message = "on a plain page is shown as written (plain pages have no sources): cite sources in a situation's updates, or link to the source here"
        #expect(result.diagnostics == [
            .warning(file, line: 4, column: 34, "'[^1]' looks like a footnote, which CommonMark does not have, so it is shown as written: "
                     + "cite a source with [@key], or put the note in the text"),
            .warning(file, line: 4, column: 10, "citation '[@inquiry-2020]' \(message)"),
            .warning(file, line: 6, column: 14, "citation '[@inquiry-2020]' \(message)"),
        ])
        let page = try #require(result.file("pages/about/index.html"))
        #expect(page.contains("<p>We watch [@inquiry-2020] closely.[^1]</p>"))
    }

    /// A source dated after the update that cites it (as corrected) is reported at the source;
    /// one dated within the month or on the day of the update's last correction is not.
    @Test func aSourceDatedAfterItsCitationIsReported() async {
        let sources = "Content/situations/ruritania/sources.yaml"
        let later = await validSite.replacing(sources, "date: 2024-05-02", with: "date: 2024-06-15").generate()
        #expect(later.diagnostics == [.warning(sources, line: 7, column: 1,
            "source 'press-2024' is dated 15 June 2024, after the update of 2024-06-01 that cites it: check the source's date, or the citation")])
        let mistyped = await validSite.replacing(sources, "date: 2020-03", with: "date: 2029-03").generate()
        #expect(mistyped.warnings.map(\.message) == [
            "source 'inquiry-2020' is dated March 2029, after the update of 2024-01-10 that cites it: check the source's date, or the citation"])
        for date in ["2024-06", "2024-06-03", "2024"] {
            #expect(await validSite.replacing(sources, "date: 2024-05-02", with: "date: \(date)").generate().diagnostics.isEmpty, "\(date)")
        }
    }

    /// Text before an update's first section shows on its page, but no redline compares it:
    /// reported where it starts.
    @Test func textBeforeTheFirstSectionIsReported() async throws {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let result = await validSite.replacing(file, "---\n## Background", with: "---\nA lead paragraph.\n\n## Background").generate()
        #expect(result.diagnostics == [.warning(file, line: 10, column: 1, "this text comes before '## Background', so it is in no section: "
            + "the 'what changed' page compares sections, and would not show a change to it; put it under a section heading")])
        #expect(result.file("situations/ruritania/2024-06-01/index.html")?.contains("<p>A lead paragraph.</p>") == true)
    }

    /// A correction dated after tomorrow is refused as a new update's date is: the record would
    /// keep the mistyped day for good.
    @Test func aCorrectionDatedInTheFutureIsRefused() async {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let site = validSite.replacing(file, "  - date: 2024-06-03", with: "  - date: 2024-06-30")
        let result = await site.generate(today: "2024-06-10")
        #expect(result.errors == [.error(file, line: 7, column: 11,
            "this correction is dated 2024-06-30, after today (2024-06-10): a correction records the day the update was corrected; check the date")])
        #expect(await site.generate(today: "2024-06-29").errors.isEmpty)
    }

    /// A published page says who is at risk: a situation published without it is a warning (a
    /// draft is not); an empty region leaves no empty line in the masthead.
    @Test func aPublishedSituationSaysWhoIsAtRisk() async throws {
        let file = "Content/situations/ruritania/situation.yaml"
        let site = validSite.replacing(file, "populations_at_risk: Civilians in the northern provinces.\n", with: "")
            .replacing(file, "region: Europe\n", with: "region:\n")
        let result = await site.generate()
        #expect(result.diagnostics == [.warning(file, "situation 'ruritania' is published without 'populations_at_risk': "
            + "its page says who is at risk; write it in one sentence in situation.yaml")])
        let page = try #require(result.file("situations/ruritania/index.html"))
        #expect(!page.contains("class=\"region\"") && !page.contains("populations-heading"))
        #expect(await validSite.generate().file("situations/ruritania/index.html")?.contains(#"<p class="region">Europe</p>"#) == true)
        var drafts = site
        for update in ["2024-01-10", "2024-06-01"] { drafts = drafts.removing("Content/situations/ruritania/updates/\(update).md") }
        let draftsOnly = await drafts.generate(drafts: true)
        #expect(!draftsOnly.diagnostics.contains { $0.message.contains("populations_at_risk") }, "\(draftsOnly.diagnostics)")
        #expect(draftsOnly.file("situations/ruritania/index.html") != nil)
    }

    /// Issue numbers go up from one update to the next; one that does not is reported at the
    /// later update's number. Updates without a number are passed over.
    @Test func issueNumbersGoUp() async {
        let file = "Content/situations/ruritania/updates/2024-06-01.md"
        let same = await validSite.replacing(file, "issue: 2", with: "issue: 1").generate()
        #expect(same.diagnostics == [.warning(file, line: 5, column: 8,
            "issue 1 is not higher than issue 1 of the update of 2024-01-10: each update takes a higher issue number than the one before; check the number")])
        let lower = await validSite.replacing("Content/situations/ruritania/updates/2024-01-10.md", "issue: 1", with: "issue: 74")
            .replacing(file, "issue: 2", with: "issue: 47").generate()
        #expect(lower.warnings.map(\.message) == [
            "issue 47 is not higher than issue 74 of the update of 2024-01-10: each update takes a higher issue number than the one before; check the number"])
        let unnumbered = await validSite.replacing(file, "issue: 2\n", with: "")
            .replacing("Content/situations/ruritania/updates/2024-09-01.md", "status: draft", with: "status: draft\nissue: 3").generate()
        #expect(unnumbered.diagnostics.isEmpty, "\(unnumbered.diagnostics)")
    }

    @Test func staleSituationWarns() async {
        let result = await validSite.replacing("Content/site.yaml", "language: en", with: "language: en\nstale_after_days: 30")
            .generate(today: "2024-08-01")
        let stale = result.warnings.first { $0.message.hasPrefix("situation 'ruritania' is stale: its latest update is 61 days old") }
        // At the latest update's date, where an editor would look.
        #expect(stale?.file == "Content/situations/ruritania/updates/2024-06-01.md")
        #expect(stale?.line == 2 && stale?.column == 7)
        // The fixture has a draft, dated 2024-09-01: the next update is begun already.
        #expect(stale?.message.hasSuffix("its draft of 2024-09-01 is not published yet: publish it by removing its 'status: draft'") == true)
        let withDrafts = await validSite.replacing("Content/site.yaml", "language: en", with: "language: en\nstale_after_days: 30")
            .generate(drafts: true, today: "2024-08-01")
        #expect(withDrafts.warnings.map(\.message) == result.warnings.map(\.message))
        let withoutDraft = await validSite.replacing("Content/site.yaml", "language: en", with: "language: en\nstale_after_days: 30")
            .removing("Content/situations/ruritania/updates/2024-09-01.md").generate(today: "2024-08-01")
        #expect(withoutDraft.warnings.map(\.message) == [
            "situation 'ruritania' is stale: its latest update is 61 days old (stale_after_days: 30); start the next with 'dossier new ruritania'",
        ])
    }

    /// An update that fails validation is left out; the warnings that need every update would then be
    /// about the wrong history (its sources "never cited", the one before it "stale"), so only the error is given.
    @Test func anUpdateThatFailsBringsNoWarningsAboutTheRest() async {
        let stale = validSite.replacing("Content/site.yaml", "language: en", with: "language: en\nstale_after_days: 60")
        let broken = await stale
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk", with: "risk_level: critical")
            .generate(today: "2024-07-01")
        #expect(broken.diagnostics == [
            .error("Content/situations/ruritania/updates/2024-06-01.md", line: 3, column: 13,
                   "unknown risk level 'critical'; expected one of current-crisis, imminent-risk, serious-concern"),
        ])
        // The same when the update cannot even be read (its front matter is not YAML), or is misnamed.
        let unreadable = await stale
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk", with: "risk_level: \"imminent-risk")
            .generate(today: "2024-07-01")
        #expect(unreadable.warnings == [])
        #expect(unreadable.errors.count == 1)
        #expect(unreadable.errors.first?.message.hasPrefix("YAML syntax error") == true)
        var misnamed = stale.removing("Content/situations/ruritania/updates/2024-06-01.md")
        misnamed.files["Content/situations/ruritania/updates/2024-6-1.md"] = stale.files["Content/situations/ruritania/updates/2024-06-01.md"]
        let misnamedResult = await misnamed.generate(today: "2024-07-01")
        #expect(misnamedResult.warnings == [])
        #expect(misnamedResult.errors.map(\.message) == [
            "an update's file name must be its date, YYYY-MM-DD.md (a real date); found '2024-6-1.md'",
        ])
        // Without the update, the same history does bring both warnings: the test above would catch them.
        let without = await stale
            .removing("Content/situations/ruritania/updates/2024-06-01.md")
            .generate(today: "2024-07-01")
        #expect(without.warnings.contains { $0.message == "source 'press-2024' is never cited" })
        #expect(without.warnings.contains { $0.message.hasPrefix("situation 'ruritania' is stale") })
    }

    @Test func unknownFieldWithoutAGuessEndsItsSentence() async {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-01-10.md", "risk_level:", with: "zzz: 1\nrisk_level:")
            .generate()
        #expect(result.warnings.contains {
            $0.message.hasPrefix("unknown field 'zzz' in the update's front matter. Known fields: date, risk_level")
        })
    }

    @Test func templateSyntaxErrorIsLocated() async {
        let result = await validSite.replacing("Templates/page.mustache", "{{title}}</h1>", with: "{{#title}}</h1>").generate()
        #expect(result.errors.contains { $0.file == "Templates/page.mustache" && $0.message.hasPrefix("template syntax error") && $0.line > 0 })
    }

    @Test func missingPartialIsAnError() async {
        let result = await validSite.replacing("Templates/situation.mustache", "{{>fact-box}}", with: "{{>fact-boxx}}").generate()
        #expect(result.errors.contains { $0.file == "Templates/situation.mustache" && $0.message.hasPrefix("template 'fact-boxx' does not exist") })
    }

    @Test func templateValuesAreEscaped() async throws {
        let result = await validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "headline: Attacks", with: "headline: <script>alert(1)</script> Attacks")
            .generate()
        let page = try #require(result.file("situations/ruritania/index.html"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Attacks"))
    }

    @Test func fastEscapingLineChangesNoByte() async throws {
        // Every template starts with `{{% CONTENT_TYPE: HTML }}` for Dossier's quicker escaping;
        // without that line swift-mustache escapes on its own, and the site must be the same.
        // A source's symbol is shown as written, so its quotes reach the escaping; a headline's are set curly first.
        var plain = validSite.replacing("Content/situations/ruritania/updates/2024-06-01.md", "headline: Attacks",
                                        with: "headline: <b>\"Attacks\"</b> & 'raids' — é😀 Attacks")
            .replacing("Content/situations/ruritania/sources.yaml", "symbol: A/HRC/00/1", with: #"symbol: "<i>\"S\"</i> & 'x' é😀""#)
        let pragma = "{{% CONTENT_TYPE: HTML }}\n"
        let withPragma = await plain.generate(drafts: true)
        var stripped = 0
        for (path, text) in plain.files where path.hasPrefix("Templates/") && text.hasPrefix(pragma) {
            plain.files[path] = String(text.dropFirst(pragma.count))
            stripped += 1
        }
        #expect(stripped >= 10)
        let without = await plain.generate(drafts: true)
        #expect(!withPragma.files.isEmpty)
        #expect(withPragma.files == without.files)
        let page = try #require(withPragma.file("situations/ruritania/index.html"))
        #expect(page.contains("&lt;b&gt;“Attacks”&lt;/b&gt; &amp; ‘raids’ — é😀 Attacks"))
        #expect(page.contains("&lt;i&gt;&quot;S&quot;&lt;/i&gt; &amp; &#39;x&#39; é😀"))
    }

    @Test func publishedSiteHasNoScriptsAndNoExternalResources() async {
        let result = await validSite.generate(drafts: true)
        for file in result.files where file.path.hasSuffix(".html") {
            #expect(!file.text.contains("<script"), "\(file.path)")
            #expect(!file.text.contains("<link rel=\"stylesheet\" href=\"http"), "\(file.path)")
        }
        for file in result.files where file.path.hasSuffix(".css") {
            #expect(!file.text.contains("@import"), "\(file.path)")
            #expect(!file.text.contains("url("), "\(file.path)")
        }
    }

    @Test func sameInputSameBytes() async {
        let first = await validSite.generate(drafts: true)
        let second = await validSite.generate(drafts: true)
        #expect(first.files == second.files)
        #expect(!first.files.isEmpty)
    }
}

@Suite("Template names")
struct TemplateNameTests {
    /// The samples that list every name a template may use must set every optional, or names
    /// inside a nil value would be missed and a correct template refused.
    @Test func viewModelSamplesSetEveryField() {
        func check(_ value: Any, path: String) {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                #expect(mirror.children.first != nil, "\(path) is nil in the samples")
                if let child = mirror.children.first { check(child.value, path: path) }
                return
            }
            if mirror.displayStyle == .collection {
                #expect(!mirror.children.isEmpty, "\(path) is empty in the samples")
                for child in mirror.children { check(child.value, path: path + "[]") }
                return
            }
            for child in mirror.children { check(child.value, path: path + "." + (child.label ?? "?")) }
        }
        for sample in ViewModelNames.samples { check(sample, path: "\(type(of: sample))") }
    }

    @Test(arguments: ["title", "layout.root", "layout.organisation.address", ".", "risk.label", "facts.0"])
    func knownNames(name: String) {
        #expect(ViewModelNames.isKnown(name))
    }

    @Test(arguments: ["tittle", "layout.rooot", "secret"])
    func unknownNames(name: String) {
        #expect(!ViewModelNames.isKnown(name))
    }
}

@Suite("View models for the template engine")
struct MustacheLookupTests {
    /// Every stored property of every view model answers a template lookup by its name, so a new
    /// field cannot be forgotten in the lookup switch and render as nothing.
    @Test func everyFieldIsLookedUp() {
        func check(_ value: Any, path: String) {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                if let child = mirror.children.first { check(child.value, path: path) }
            case .collection:
                for child in mirror.children { check(child.value, path: path + "[]") }
            case .struct:
                guard let parent = value as? MustacheParent else {
                    Issue.record("\(type(of: value)) at \(path) does not answer template lookups")
                    return
                }
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    if ViewModelNames.flattened.contains(label) {
                        // Its fields are answered by the view that holds it, under their own names.
                        for field in Mirror(reflecting: child.value).children {
                            guard let name = field.label else { continue }
                            #expect(parent.child(named: name) != nil, "\(path).\(name) is missing from the lookup switch")
                        }
                    } else {
                        #expect(parent.child(named: label) != nil, "\(path).\(label) is missing from the lookup switch")
                    }
                    check(child.value, path: path + "." + label)
                }
            default:
                break
            }
        }
        for sample in ViewModelNames.samples { check(sample, path: "\(type(of: sample))") }
    }

    /// Strings and whole numbers render as themselves, as `String(describing:)` would print them,
    /// and still open a section when present and an inverted one when absent.
    @Test(arguments: [0, 7, -12, Int.max])
    func numbersAndStringsRenderAsThemselves(number: Int) throws {
        let template = try MustacheTemplate(string: "{{n}}|{{{n}}}|{{#n}}[{{.}}]{{/n}}{{^n}}none{{/n}}|{{s}}|{{#s}}<{{.}}>{{/s}}")
        #expect(template.render(["n": number, "s": "a&b"]) == "\(number)|\(number)|[\(number)]|a&amp;b|<a&amp;b>")
        #expect(template.render(["s": ""]) == "||none||<>")
    }
}
