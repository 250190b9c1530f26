import Foundation
import Testing
@testable import DossierCore

/// Three published updates of an invented country whose risk level escalates then de-escalates,
/// plus a draft.
private let versionedSite: Fixture = {
    var site = validSite
    site.files["Content/situations/ruritania/updates/2024-08-01.md"] = """
    ---
    date: 2024-08-01
    risk_level: serious-concern
    headline: Attacks on civilians have stopped in the north.
    issue: 3
    ---
    ## Background

    The inquiry found abuses.[@inquiry-2020, p. 12]

    ## Analysis

    Attacks stopped in July after a ceasefire.

    ## Necessary Action

    Talks must resume now.

    """
    return site
}()

@Suite("Versioned pages")
struct VersioningTests {
    @Test func snapshotsBannersAndLatest() async throws {
        let result = await versionedSite.generate()
        #expect(result.errors.isEmpty, "\(result.diagnostics)")
        for date in ["2024-01-10", "2024-06-01"] {
            let page = try #require(result.file("situations/ruritania/\(date)/index.html"))
            #expect(page.contains("class=\"banner banner-archived\""))
            #expect(page.contains("See the latest update (1 August 2024)"))
        }
        let newest = try #require(result.file("situations/ruritania/2024-08-01/index.html"))
        #expect(!newest.contains("banner-archived"))
        let latest = try #require(result.file("situations/ruritania/index.html"))
        #expect(latest.contains("As of <time datetime=\"2024-08-01\">1 August 2024</time> · Issue 3"))
        #expect(latest.contains("<a href=\"../../situations/ruritania/2024-01-10/index.html\">10 January 2024</a>"))
        #expect(latest.contains("What changed since 1 June 2024"))
    }

    @Test func versionsPageShowsTrendsNewestFirst() async throws {
        let result = await versionedSite.generate()
        let page = try #require(result.file("situations/ruritania/versions/index.html"))
        let rows = page.components(separatedBy: "<tr>").dropFirst(2)
        #expect(rows.count == 3)
        let expected = [("1 August 2024", "De-escalated", "Serious Concern", "3"),
                        ("1 June 2024", "Escalated", "Imminent Risk", "2"),
                        ("10 January 2024", "First update", "Serious Concern", "1")]
        for (row, (date, trend, risk, issue)) in zip(rows, expected) {
            #expect(row.contains(date))
            #expect(row.contains("<span aria-hidden=\"true\">") && row.contains("</span> \(trend)</span>"))
            #expect(row.contains(risk))
            #expect(row.contains("<td><span class=\"cell-label\" aria-hidden=\"true\">Issue </span>\(issue)</td>"))
        }
        // The first update has nothing to compare with.
        #expect(rows.last?.contains("<td class=\"empty\">—</td>") == true)
    }

    @Test func redlineMarksInsertedAndDeletedWords() async throws {
        let result = await versionedSite.generate()
        let page = try #require(result.file("situations/ruritania/2024-08-01/changes/index.html"))
        #expect(page.contains("<p class=\"redline\">Attacks <del>began</del> <ins>stopped</ins> in <del>May.</del> <ins>July after a ceasefire.</ins> </p>"))
        // Citations are compared as what they cite, and shown as each version's page numbers them.
        let (june, august) = ("../../2024-06-01/index.html", "../index.html")
        #expect(page.contains("<p class=\"redline\">The inquiry found abuses.<span class=\"citation\">[<a href=\"\(august)#source-1\" aria-label=\"Source 1\">1</a>, p. 12]</span> "
            + "<del>A statement followed.<span class=\"citation\">[<a href=\"\(june)#source-2\" aria-label=\"Source 2\">2</a>; "
            + "<a href=\"\(june)#source-1\" aria-label=\"Source 1\">1</a>]</span></del> </p>"))
        // Unchanged words are in neither <ins> nor <del>.
        #expect(page.contains("<p class=\"redline\">Talks must resume now. </p>"))
        #expect(page.contains("<li>Necessary Action: Unchanged</li>"))
        #expect(page.contains("<a href=\"#analysis\">Analysis</a>: Changed (5 words added, 2 removed)"))
        #expect(page.contains("<a href=\"#background\">Background</a>: Changed (0 words added, 3 removed; 0 citations added, 1 removed)"))
        // One word is one word.
        let oneWord = await versionedSite.replacing("Content/situations/ruritania/updates/2024-08-01.md", "Talks must resume now.",
                                                    with: "Talks must resume today.").generate()
        #expect(oneWord.file("situations/ruritania/2024-08-01/changes/index.html")?
            .contains("<a href=\"#necessary-action\">Necessary Action</a>: Changed (1 word added, 1 removed)") == true)
        // Summary: the risk change, the headline change, sources removed.
        #expect(page.contains("</span> De-escalated</span>: from Imminent Risk to"))
        #expect(page.contains("Attacks on civilians have <del>begun</del> <ins>stopped</ins> in the north."))
        #expect(page.contains("<p class=\"list-label\">Removed:</p><ul><li><cite>Statement on the northern provinces</cite></li></ul>"))
        // A section the update left as it was is folded away, its text one click off; a changed one is open.
        #expect(page.contains("<details class=\"redline-section\">\n<summary><h2 id=\"necessary-action\">Necessary Action <span class=\"section-status\">(Unchanged)</span></h2></summary>\n<p class=\"redline\">Talks must resume now. </p>\n</details>"))
        #expect(page.contains("<section class=\"redline-section\" aria-labelledby=\"analysis\">\n<h2 id=\"analysis\">Analysis"))
        #expect(page.components(separatedBy: "<details").count - 1 == 1)
    }

    /// A sentence whose source changed is a change, shown as the notes each version's page
    /// shows; a note only renumbered (a citation added before it) is not.
    @Test func redlineComparesWhatIsCitedNotTheNumbers() async throws {
        let august = "Content/situations/ruritania/updates/2024-08-01.md"
        let site = versionedSite
            .replacing(august, "The inquiry found abuses.", with: "Reports came in.[@press-2024] The inquiry found abuses.")
            .replacing(august, "Talks must resume now.", with: "Talks must resume now.[@press-2024]")
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Talks must resume now.",
                       with: "Talks must resume now.[@inquiry-2020]")
        let result = await site.generate()
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        let page = try #require(result.file("situations/ruritania/2024-08-01/changes/index.html"))
        let june = "../../2024-06-01/index.html#source-"
        let aug = "../index.html#source-"
        func note(_ href: String, _ number: Int, _ locator: String = "") -> String {
            "<span class=\"citation\">[<a href=\"\(href)\(number)\" aria-label=\"Source \(number)\">\(number)</a>\(locator)]</span>"
        }
        // The inquiry is note 1 in June and note 2 in August: unchanged, shown as August numbers it.
        #expect(page.contains("<ins>Reports came in.\(note(aug, 1))</ins> The inquiry found abuses.\(note(aug, 2, ", p. 12")) <del>"))
        // Note 1 in both, but of another source: a change, each shown with its own version's
        // number and link, written against the word before it as on the page.
        #expect(page.contains("Talks must resume now.<del>\(note(june, 1))</del><ins>\(note(aug, 1))</ins> </p>"))
        #expect(page.contains("<a href=\"#necessary-action\">Necessary Action</a>: Changed (1 citation added, 1 removed)"))
        #expect(page.contains("<a href=\"#background\">Background</a>: Changed (3 words added, 3 removed; 1 citation added, 1 removed)"))
        // Every note on the changes page leads to a source on the page it names (the link check).
        #expect(!result.diagnostics.contains { $0.message.contains("source-") }, "\(result.diagnostics)")
    }

    @Test func redlineSummaryOfEscalation() async throws {
        let result = await versionedSite.generate()
        let page = try #require(result.file("situations/ruritania/2024-06-01/changes/index.html"))
        #expect(page.contains("</span> Escalated</span>: from Serious Concern to"))
        #expect(page.contains("<p class=\"list-label\">Added:</p><ul><li><cite>Statement on the northern provinces</cite></li></ul>"))
        #expect(page.contains("<dt>Key facts</dt>\n<dd>Unchanged</dd>"))
    }

    @Test func firstUpdateHasNoChangesPageAndNothingLinksToOne() async throws {
        let result = await versionedSite.generate()
        #expect(result.file("situations/ruritania/2024-01-10/changes/index.html") == nil)
        for file in result.files where file.path.hasSuffix(".html") || file.path.hasSuffix(".xml") {
            #expect(!file.text.contains("2024-01-10/changes"), "\(file.path)")
        }
    }

    @Test func feedEntriesLinkToSnapshotAndChanges() async throws {
        let result = await versionedSite.generate()
        let feed = try #require(result.file("feed.xml"))
        #expect(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://watch.example.org/reports/situations/ruritania/2024-08-01/\"/>"))
        #expect(feed.contains("<link rel=\"related\" type=\"text/html\" title=\"What changed\" href=\"https://watch.example.org/reports/situations/ruritania/2024-08-01/changes/\"/>"))
        let sitemap = try #require(result.file("sitemap.xml"))
        #expect(sitemap.contains("situations/ruritania/2024-06-01/changes/"))
        #expect(sitemap.contains("situations/ruritania/2024-01-10/</loc>"))
    }

    @Test func draftChangesPreviewedWithBannerNeverIndexed() async throws {
        let result = await versionedSite.generate(drafts: true)
        let changes = try #require(result.file("situations/ruritania/2024-09-01/changes/index.html"))
        #expect(changes.contains("Draft — not published."))
        #expect(changes.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(result.file("feed.xml")?.contains("2024-09-01") == false)
        #expect(result.file("sitemap.xml")?.contains("2024-09-01") == false)
        // Drafts are never locked.
        #expect(result.lockToWrite?.updates.keys.sorted() == ["ruritania/2024-01-10", "ruritania/2024-06-01", "ruritania/2024-08-01"])
    }

    @Test func rewrittenSentenceReadsAsStruckOutAndInserted() {
        // The two sentences share "a" and "the" between longer changes: marked word by word
        // around them, neither sentence could be read. Folded, the old reads struck out whole
        // and the new inserted whole, after the words they begin with in common.
        let runs = Redline.diff("Crimes continue against their own people, a decade after the UN first documented them.",
                                "Crimes continue, as a new defence pact and forced labour raise the stakes.")
        #expect(runs == [.init(change: .unchanged, text: "Crimes"),
                         .init(change: .deleted, text: "continue against their own people, a decade after the UN first documented them."),
                         .init(change: .inserted, text: "continue, as a new defence pact and forced labour raise the stakes.")])
        // An equal stretch as long as the edit on one side of it stays: small edits keep their words.
        #expect(Redline.diff("The council adopted resolution 12 in March.", "The assembly adopted resolution 15 in April.")
            == [.init(change: .unchanged, text: "The"), .init(change: .deleted, text: "council"), .init(change: .inserted, text: "assembly"),
                .init(change: .unchanged, text: "adopted resolution"), .init(change: .deleted, text: "12"), .init(change: .inserted, text: "15"),
                .init(change: .unchanged, text: "in"), .init(change: .deleted, text: "March."), .init(change: .inserted, text: "April.")])
    }

    @Test func wordDiffUsesRuns() {
        let runs = Redline.diff("a b c d", "a x c d e")
        #expect(runs == [.init(change: .unchanged, text: "a"), .init(change: .deleted, text: "b"),
                         .init(change: .inserted, text: "x"), .init(change: .unchanged, text: "c d"),
                         .init(change: .inserted, text: "e")])
    }
}

@Suite("The locked public record")
struct LockTests {
    private func options(_ root: URL, drafts: Bool = false) -> Builder.Options {
        .init(content: root.appendingPathComponent("Content").path,
              templates: root.appendingPathComponent("Templates").path,
              output: root.appendingPathComponent("Public").path, drafts: drafts, today: IsoDate("2025-01-01")!)
    }

    @Test func buildLocksPublishedUpdatesOnly() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root, drafts: true))
        let text = try String(contentsOf: root.appendingPathComponent("Content/versions.lock"), encoding: .utf8)
        let lock = try JSONDecoder().decode(VersionLock.self, from: Data(text.utf8))
        #expect(lock.updates.keys.sorted() == ["ruritania/2024-01-10", "ruritania/2024-06-01", "ruritania/2024-08-01"])
        #expect(lock.updates["ruritania/2024-06-01"]?.corrections == 1)
        #expect(lock.updates["ruritania/2024-01-10"]?.facts.first?.label == "Inquiry")
    }

    /// Pages show plain text with the body's punctuation; the lock keeps it as written, so a
    /// record made before typesetting (or by hand) still matches.
    @Test func typesetTextLeavesTheRecordAsWritten() async throws {
        let site = versionedSite
            .replacing("Content/situations/ruritania/situation.yaml", "label: Inquiry", with: "label: The inquiry's report")
            .replacing("Content/situations/ruritania/updates/2024-01-10.md", "headline: Tension rises in the northern provinces.",
                       with: #"headline: Tension "rises" in the north's provinces -- for now..."#)
        let root = try site.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await Builder().build(options(root))
        #expect(first.errors.isEmpty)
        let lockURL = root.appendingPathComponent("Content/versions.lock")
        let lockBefore = try Data(contentsOf: lockURL)
        let lock = try JSONDecoder().decode(VersionLock.self, from: lockBefore)
        #expect(lock.updates["ruritania/2024-01-10"]?.facts.first?.label == "The inquiry's report")

        let snapshot = try String(contentsOf: root.appendingPathComponent("Public/situations/ruritania/2024-01-10/index.html"), encoding: .utf8)
        #expect(snapshot.contains("<p class=\"headline\">Tension “rises” in the north’s provinces – for now…</p>"))
        #expect(snapshot.contains("<dt>The inquiry’s report</dt>"))
        let feed = try String(contentsOf: root.appendingPathComponent("Public/feed.xml"), encoding: .utf8)
        #expect(feed.contains("Tension “rises” in the north’s provinces – for now…"))
        let changes = try String(contentsOf: root.appendingPathComponent("Public/situations/ruritania/2024-06-01/changes/index.html"), encoding: .utf8)
        #expect(changes.contains("provinces – for now…"))
        #expect(!changes.contains("provinces -- for now..."))

        // Rebuilt from the record it wrote (nothing reused), the site is accepted and the record unchanged.
        try FileManager.default.removeItem(at: root.appendingPathComponent(".Public.state.json"))
        let second = try await Builder().build(options(root))
        #expect(second.errors.isEmpty)
        #expect(try Data(contentsOf: lockURL) == lockBefore)
    }

    @Test func silentEditIsRefusedAndPublicUntouched() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        let publicBefore = try Fixture.tree(root.appendingPathComponent("Public"))
        let lockURL = root.appendingPathComponent("Content/versions.lock")
        let lockBefore = try Data(contentsOf: lockURL)

        let file = root.appendingPathComponent("Content/situations/ruritania/updates/2024-01-10.md")
        let original = try String(contentsOf: file, encoding: .utf8)
        try Data(original.replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.").utf8).write(to: file)
        let refused = try await Builder().build(options(root))
        #expect(refused.errors.map(\.file) == [file.path])
        #expect(refused.errors.first?.message.hasPrefix("this update was published on 2024-01-10 and its text has changed since") == true)
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == publicBefore)
        #expect(try Data(contentsOf: lockURL) == lockBefore)
    }

    @Test func editWithCorrectionIsAcceptedAndRelocked() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        let file = root.appendingPathComponent("Content/situations/ruritania/updates/2024-01-10.md")
        let original = try String(contentsOf: file, encoding: .utf8)
        let corrected = original
            .replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.")
            .replacingOccurrences(of: "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-12\n    note: Clarified the pace of events.\n")
        try Data(corrected.utf8).write(to: file)
        let accepted = try await Builder().build(options(root))
        #expect(accepted.errors.isEmpty, "\(accepted.diagnostics)")
        let page = try String(contentsOf: root.appendingPathComponent("Public/situations/ruritania/2024-01-10/index.html"), encoding: .utf8)
        #expect(page.contains("Tension is rising fast."))
        #expect(page.contains("Corrected on <time datetime=\"2024-01-12\">12 January 2024</time>: Clarified the pace of events."))
        let lock = try JSONDecoder().decode(VersionLock.self, from: Data(contentsOf: root.appendingPathComponent("Content/versions.lock")))
        #expect(lock.updates["ruritania/2024-01-10"]?.corrections == 1)
        #expect(lock.updates["ruritania/2024-01-10"]?.sha256 == VersionLock.fingerprint(corrected))
        // And a build after that is quiet again.
        let again = try await Builder().build(options(root))
        #expect(again.errors.isEmpty)
    }

    /// A correction re-records its update: the build says so, and `--locked` refuses it until
    /// the new record is committed.
    @Test func aCorrectionIsReportedAndRefusedWhenLocked() async throws {
        var site = versionedSite
        site.files["Content/versions.lock"] = try #require(await site.generate().lockToWrite).text
        let file = "Content/situations/ruritania/updates/2024-01-10.md"
        site = site.replacing(file, "Tension is rising.", with: "Tension is rising fast.")
            .replacing(file, "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-12\n    note: Clarified the pace.\n")
        let built = await site.generate()
        #expect(built.errors.isEmpty)
        #expect(built.lockChanges == LockChanges(recorded: [], rerecorded: ["ruritania/2024-01-10"]))
        var options = Builder.Options(today: IsoDate("2025-01-01")!)
        options.locked = true
        let locked = await Builder(fileSystem: site.fileSystem).generate(options)
        #expect(locked.errors == [.error("Content/versions.lock", "versions.lock records ruritania/2024-01-10 as before its latest correction; "
            + "with --locked the record must already be committed: build without --locked and commit the versions.lock it writes")])
    }

    /// A first build records a whole archive: messages name a few updates and count the rest.
    @Test func manyUpdatesAreCountedInMessages() {
        let updates = (1...12).map { "dprk/2024-\(String(format: "%02d", $0))-01" }
        #expect(LockChanges.list(Array(updates.prefix(5))) == updates.prefix(5).joined(separator: ", "))
        #expect(LockChanges.list(updates) == "dprk/2024-01-01, dprk/2024-02-01, dprk/2024-03-01 and 9 other updates")
        #expect(LockChanges(recorded: updates, rerecorded: []).lockedMessage().hasPrefix(
            "versions.lock does not record dprk/2024-01-01, dprk/2024-02-01, dprk/2024-03-01 and 9 other updates, published by this build;"))
    }

    @Test func removedPublishedUpdateIsAnError() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        try FileManager.default.removeItem(at: root.appendingPathComponent("Content/situations/ruritania/updates/2024-06-01.md"))
        let result = try await Builder().build(options(root))
        #expect(result.errors.contains { $0.message.hasPrefix("published update 'ruritania/2024-06-01' is missing") })
    }

    @Test func publishedUpdateCannotBecomeDraft() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        let file = root.appendingPathComponent("Content/situations/ruritania/updates/2024-08-01.md")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "issue: 3\n", with: "issue: 3\nstatus: draft\n")
        try Data(text.utf8).write(to: file)
        let result = try await Builder().build(options(root))
        #expect(result.errors.contains { $0.file == file.path && $0.message.hasPrefix("this update was published and cannot become a draft") })
    }

    @Test func damagedLockIsAnError() async throws {
        var site = versionedSite
        site.files["Content/versions.lock"] = "{ not json"
        let result = await site.generate()
        #expect(result.errors.contains(.error("Content/versions.lock", line: 1, column: 1,
            "versions.lock is damaged and cannot be read (it is not valid JSON); restore it from version control")))
        site.files["Content/versions.lock"] = #"{"format": 1, "updates": {"ruritania/2024-01-10": {"corrections": 0, "facts": []}}}"#
        #expect(await site.generate().errors.contains(.error("Content/versions.lock", line: 1, column: 1,
            "versions.lock is damaged and cannot be read ('updates → ruritania/2024-01-10 → sha256' is missing); restore it from version control")))
    }

    /// What git makes of a lock two branches changed: `git merge-file`, the real merge.
    func gitMerge(base: String, ours: String, theirs: String) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (name, text) in [("ours", ours), ("base", base), ("theirs", theirs)] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            paths.append(folder.appendingPathComponent(name).path)
        }
        return await PDFRenderer.run("/usr/bin/git", ["merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs"] + paths,
                                     environment: ProcessInfo.processInfo.environment).stdout
    }

    /// Two branches each publish an update, one of them in a new situation; git cannot merge
    /// the lock. The build keeps both sides' records, says so, and writes the merged lock.
    @Test func aLockWithAMergeConflictKeepsBothSides() async throws {
        let base = versionedSite.removing("Content/situations/ruritania/updates/2024-08-01.md")
        let baseLock = try #require(await base.generate().lockToWrite).text
        var ours = versionedSite
        ours.files["Content/versions.lock"] = baseLock
        var theirs = base
        theirs.files["Content/versions.lock"] = baseLock
        for (path, text) in base.files where path.hasPrefix("Content/situations/ruritania/") && !path.contains("/updates/2024-06-01") {
            theirs.files[path.replacingOccurrences(of: "/ruritania/", with: "/syldavia/")] = text
        }
        let oursLock = try #require(await ours.generate().lockToWrite)
        let theirsLock = try #require(await theirs.generate().lockToWrite)
        let conflicted = try await gitMerge(base: baseLock, ours: oursLock.text, theirs: theirsLock.text)
        let conflictLine = try #require(conflicted.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("<<<<<<<") }) + 1

        var merged = ours
        merged.files.merge(theirs.files) { own, _ in own }
        merged.files["Content/versions.lock"] = conflicted
        let result = await merged.generate()
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.contains(.warning("Content/versions.lock", line: conflictLine, column: 1,
            "versions.lock has a merge conflict: both sides' published updates are kept (3 and 3, 4 in all); a build writes the merged file, which you then commit")))
        let written = try #require(result.lockToWrite)
        #expect(written.updates.keys.sorted() == ["ruritania/2024-01-10", "ruritania/2024-06-01", "ruritania/2024-08-01", "syldavia/2024-01-10"])
        #expect(written.updates == oursLock.updates.merging(theirsLock.updates) { a, _ in a })

        // With the merged lock, the next build has nothing to say about it.
        merged.files["Content/versions.lock"] = written.text
        let again = await merged.generate()
        #expect(again.diagnostics.filter { $0.file == "Content/versions.lock" }.isEmpty)
        #expect(again.lockToWrite == nil)
    }

    /// Both sides record the same update differently, or the markers are damaged: git's
    /// conflict is left to the editor, with the line it starts at.
    @Test func aLockConflictOverOneUpdateIsAnError() async throws {
        let fact = VersionLock.LockedFact(label: "Detainees", value: "80,000", source: nil)
        let base = VersionLock(updates: ["dprk/2024-01-10": .init(sha256: "aa", corrections: 0, facts: [fact])])
        var ours = base, theirs = base
        ours.updates["dprk/2024-01-10"]?.sha256 = "bb"
        ours.updates["dprk/2024-01-10"]?.corrections = 1
        theirs.updates["dprk/2024-01-10"]?.sha256 = "cc"
        theirs.updates["dprk/2024-01-10"]?.corrections = 1
        let conflicted = try await gitMerge(base: base.text, ours: ours.text, theirs: theirs.text)
        let line = try #require(conflicted.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("<<<<<<<") }) + 1
        guard case .failure(let problem) = VersionLock.parse(SourceFile(path: "versions.lock", text: conflicted)) else {
            Issue.record("a conflict over one update was merged")
            return
        }
        #expect(problem == .error("versions.lock", line: line, column: 1,
            "versions.lock has a merge conflict (line \(line)) that Dossier cannot merge: the two sides record 'dprk/2024-01-10' differently; keep the side whose record matches the update as it is now, and build again"))

        let unbalanced = conflicted.replacingOccurrences(of: ">>>>>>> theirs", with: "")
        guard case .failure(let damaged) = VersionLock.parse(SourceFile(path: "versions.lock", text: unbalanced)) else {
            Issue.record("a conflict without its end was merged")
            return
        }
        #expect(damaged.line == line)
        #expect(damaged.message.hasPrefix("versions.lock has a merge conflict (line \(line)) that Dossier cannot merge: its conflict markers or one of its sides are damaged"))
    }

    /// The lock text last read or written is decoded once; reading it again gives the same
    /// record, and a lock of another format is refused however often it is read.
    @Test func lockReadAgainIsTheSameRecord() throws {
        let fact = VersionLock.LockedFact(label: "Detainees", value: "80,000", source: nil)
        let lock = VersionLock(updates: ["dprk/2024-01-10": .init(sha256: "ab", corrections: 1, facts: [fact])])
        let file = SourceFile(path: "versions.lock", text: lock.text)
        #expect(try VersionLock.parse(file).get().lock == lock)
        #expect(try VersionLock.parse(file).get().lock == lock)
        let other = SourceFile(path: "versions.lock", text: "{\"format\": 1, \"updates\": {}}")
        #expect(try VersionLock.parse(other).get().lock == VersionLock())
        #expect(try VersionLock.parse(file).get().lock == lock)
        let future = SourceFile(path: "versions.lock", text: VersionLock(format: 2, updates: lock.updates).text)
        for _ in 0..<2 {
            guard case .failure(let problem) = VersionLock.parse(future) else {
                Issue.record("a lock of format 2 was read")
                return
            }
            #expect(problem.message == "versions.lock has format 2; this Dossier reads format 1")
        }
    }

    @Test func snapshotKeepsTheFactsPublishedWithIt() async throws {
        let root = try versionedSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        let situation = root.appendingPathComponent("Content/situations/ruritania/situation.yaml")
        let text = try String(contentsOf: situation, encoding: .utf8).replacingOccurrences(of: "Many thousands", with: "Over 20,000")
        try Data(text.utf8).write(to: situation)
        let result = try await Builder().build(options(root))
        #expect(result.warnings.contains { $0.message.hasPrefix("the facts differ from those published with the latest update (2024-08-01)") })
        let old = try String(contentsOf: root.appendingPathComponent("Public/situations/ruritania/2024-01-10/index.html"), encoding: .utf8)
        #expect(old.contains("Many thousands"))
    }

    /// Parts are length-prefixed, whichever way they are given: the same bytes as one SHA-256 of
    /// "2:ab1:c", and not the digest of ("a", "bc").
    @Test func partsDigestIsLengthPrefixed() {
        var text = Hasher256(), data = Hasher256(), split = Hasher256()
        text.add("ab"); text.add("c")
        data.add(Data("ab".utf8)); data.add(Data("c".utf8))
        split.add("a"); split.add("bc")
        #expect(text.finish() == Digest.sha256(text: "2:ab1:c"))
        #expect(data.finish() == text.finish())
        #expect(split.finish() != text.finish())
        #expect(Digest.sha256(text: "é") == Digest.sha256(Data("é".utf8)))
        #expect(Digest.sha256(text: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// The digest a rebuild uses to tell whether a situation's locked record changed.
    @Test func lockDigestSeesEveryFieldAndNotTheOrder() {
        func digest(_ lock: VersionLock) -> String {
            var hasher = Hasher256()
            lock.add(to: &hasher)
            return hasher.finish()
        }
        let fact = VersionLock.LockedFact(label: "Detainees", value: "80,000", source: "coi-2014")
        let entry = VersionLock.Entry(sha256: "aa", corrections: 0, facts: [fact])
        let base = VersionLock(updates: ["dprk/2024-01-10": entry, "dprk/2024-05-01": entry])
        func with(_ change: (inout VersionLock.Entry) -> Void) -> VersionLock {
            var changed = entry
            change(&changed)
            return VersionLock(updates: ["dprk/2024-01-10": entry, "dprk/2024-05-01": changed])
        }
        let variants = [
            with { $0.sha256 = "ab" },
            with { $0.corrections = 1 },
            with { $0.facts = [] },
            with { $0.facts = [fact, fact] },
            with { $0.facts[0].label = "Detainee" },
            with { $0.facts[0].value = "80,001" },
            with { $0.facts[0].source = nil },
            with { $0.facts[0].source = "" },
            with { $0.facts[0].source = "-" },
            VersionLock(updates: ["dprk/2024-01-10": entry, "dprk/2024-05-02": entry]),
            VersionLock(updates: ["dprk/2024-01-10": entry]),
            VersionLock(format: 2, updates: base.updates),
        ]
        let digests = [digest(base)] + variants.map(digest)
        #expect(Set(digests).count == digests.count)
        // The same record built in another order digests the same.
        var reordered = VersionLock()
        reordered.updates["dprk/2024-05-01"] = entry
        reordered.updates["dprk/2024-01-10"] = entry
        #expect(digest(reordered) == digest(base))
    }
}
