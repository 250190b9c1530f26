import Foundation
import Testing
@testable import DossierCore

/// Builds on the real file system, in a temporary folder.
@Suite("Publishing to disk")
struct PublishTests {
    private func options(_ root: URL, drafts: Bool = false) -> Builder.Options {
        .init(content: root.appendingPathComponent("Content").path,
              templates: root.appendingPathComponent("Templates").path,
              output: root.appendingPathComponent("Public").path,
              drafts: drafts, today: IsoDate("2025-01-01")!)
    }

    /// Pages' folders are made outside the staging lock, so two tasks may make one folder at
    /// once, in a reused folder where a file stands in its way: both must end with the folder.
    @Test func twoTasksMakingOneFolderBothSucceed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-folders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let failures = NSLock()
        nonisolated(unsafe) var failed: [String] = []
        for round in 0..<300 {
            let folder = root.appendingPathComponent("f\(round)").path
            // A file where the folder belongs, as a reused site may hold.
            #expect(FileManager.default.createFile(atPath: folder, contents: Data("x".utf8)))
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                do { try FileTree.makeFolder(folder) } catch { failures.withLock { failed.append("\(error)") } }
            }
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
        }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
    }

    /// A page's folder is made ahead of it from `PageContext.pagePaths`: those must be the pages
    /// the render makes in folders of their own, or the site would gain empty folders.
    @Test func foldersMadeAheadAreThoseOfThePagesMade() async throws {
        let site = try #require(await validSite.resolve())
        let ahead = PageContext.pagePaths(of: site)
        let made = await validSite.generate().paths.filter { $0.hasSuffix("/index.html") }
        #expect(ahead.count == Set(ahead).count)
        #expect(Set(ahead) == Set(made))
        #expect(made.contains("situations/ruritania/2024-06-01/changes/index.html"))
        #expect(!made.contains("situations/ruritania/2024-01-10/changes/index.html"))

        // On disk, every folder of the published site holds a file.
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(!(try await Builder().build(options(root))).failed(strict: false))
        let output = root.appendingPathComponent("Public")
        let enumerator = try #require(FileManager.default.enumerator(at: output, includingPropertiesForKeys: nil))
        for case let url as URL in enumerator where url.hasDirectoryPath {
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: url.path)).isEmpty, "\(url.path) is empty")
        }
    }

    @Test func twoBuildsAreByteIdentical() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await Builder().build(options(root))
        #expect(!first.failed(strict: false), "\(first.diagnostics)")
        let before = try Fixture.tree(root.appendingPathComponent("Public"))
        #expect(before.count == first.paths.count)
        let second = try await Builder().build(options(root))
        #expect(!second.failed(strict: false))
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == before)
    }

    @Test func rebuildWritesOnlyChangedFiles() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await Builder().build(options(root))
        #expect(first.writtenCount == first.paths.count)
        let public_ = root.appendingPathComponent("Public")
        func identity(_ path: String) throws -> [FileAttributeKey: Any] {
            try FileManager.default.attributesOfItem(atPath: public_.appendingPathComponent(path).path)
        }
        let snapshotBefore = try identity("situations/ruritania/2024-01-10/index.html")
        let aboutBefore = try identity("pages/about/index.html")
        let about = root.appendingPathComponent("Content/pages/about.md")
        try Data(try String(contentsOf: about, encoding: .utf8).replacingOccurrences(of: "We watch.", with: "We watch closely.").utf8).write(to: about)

        let second = try await Builder().build(options(root))
        #expect(!second.failed(strict: false))
        // Only the about page and the manifest changed.
        #expect(second.writtenCount == 2)
        let snapshotAfter = try identity("situations/ruritania/2024-01-10/index.html")
        #expect(snapshotAfter[.systemFileNumber] as? Int == snapshotBefore[.systemFileNumber] as? Int)
        #expect(snapshotAfter[.modificationDate] as? Date == snapshotBefore[.modificationDate] as? Date)
        #expect(try identity("pages/about/index.html")[.systemFileNumber] as? Int != aboutBefore[.systemFileNumber] as? Int)
        #expect(try String(contentsOf: public_.appendingPathComponent("pages/about/index.html"), encoding: .utf8).contains("We watch closely."))
    }

    @Test func unchangedInputsSkipTheBuild() async throws {
        let root = try validSite.replacing("Content/site.yaml", "language: en", with: "language: en\ncolour: red").write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await Builder().build(options(root))
        #expect(first.unchangedFileCount == nil)
        let second = try await Builder().build(options(root))
        #expect(second.unchangedFileCount == first.paths.count)
        // The warnings of the skipped build are reported again.
        #expect(second.diagnostics == first.diagnostics)
        #expect(second.diagnostics.contains { $0.message.hasPrefix("unknown field 'colour'") })
        // A touched output is rebuilt, whatever the inputs.
        let manifest = root.appendingPathComponent("Public/manifest.json")
        try Data("{}".utf8).write(to: manifest)
        let third = try await Builder().build(options(root))
        #expect(third.unchangedFileCount == nil)
        #expect(try String(contentsOf: manifest, encoding: .utf8).contains("\"files\""))
        // So is a changed input.
        let about = root.appendingPathComponent("Content/pages/about.md")
        try Data("---\ntitle: About us\n---\nWe watch closely.\n".utf8).write(to: about)
        let fourth = try await Builder().build(options(root))
        #expect(fourth.unchangedFileCount == nil)
        #expect(fourth.writtenCount == 2)
    }

    /// The site with a second situation, Freedonia, a copy of Ruritania.
    static func withFreedonia(_ site: Fixture) -> Fixture {
        var site = site
        for (path, text) in site.files where path.hasPrefix("Content/situations/ruritania/") {
            site.files[path.replacingOccurrences(of: "/ruritania/", with: "/freedonia/")] =
                text.replacingOccurrences(of: "Ruritania", with: "Freedonia")
        }
        return site
    }

    @Test func editingOneSituationKeepsTheOthersPages() async throws {
        let site = Self.withFreedonia(validSite.replacing("Content/situations/ruritania/sources.yaml", "press-2024:",
                                                          with: "unused:\n  title: Never cited\npress-2024:"))
        let root = try site.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await Builder().build(options(root))
        #expect(first.carried.isEmpty)
        let public_ = root.appendingPathComponent("Public")
        let kept = "situations/ruritania/2024-01-10/index.html"
        let keptInode = try FileManager.default.attributesOfItem(atPath: public_.appendingPathComponent(kept).path)[.systemFileNumber] as? Int

        // A correction to one update of Freedonia.
        let update = root.appendingPathComponent("Content/situations/freedonia/updates/2024-01-10.md")
        let text = try String(contentsOf: update, encoding: .utf8)
            .replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.")
            .replacingOccurrences(of: "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-11\n    note: Pace.\n")
        try Data(text.utf8).write(to: update)
        let second = try await Builder().build(options(root))
        #expect(!second.failed(strict: false), "\(second.diagnostics)")
        // Ruritania's pages were kept, not rendered again; Freedonia's were rebuilt.
        #expect(!second.carried.isEmpty)
        #expect(second.carried.allSatisfy { $0.path.hasPrefix("situations/ruritania/") })
        #expect(!second.paths.contains { $0.hasPrefix("situations/ruritania/") })
        #expect(try FileManager.default.attributesOfItem(atPath: public_.appendingPathComponent(kept).path)[.systemFileNumber] as? Int == keptInode)
        #expect(try String(contentsOf: public_.appendingPathComponent("situations/freedonia/2024-01-10/index.html"), encoding: .utf8)
            .contains("Tension is rising fast."))
        // The kept situation's warnings are still reported, and the site is whole.
        #expect(second.diagnostics.contains { $0.message == "source 'unused' is never cited" && $0.file.contains("/ruritania/") })
        #expect(try InterruptionTests.isComplete(public_))
        // And the result is the same as a build from scratch.
        let scratch = await Builder().generate(options(root))
        let built = try Fixture.tree(public_)
        for file in scratch.files {
            #expect(built["/" + file.path] == file.data, "\(file.path)")
        }
        #expect(built.count == scratch.files.count)
    }

    /// Ruritania's latest update linking to an id of Freedonia's first snapshot, written to disk
    /// and built once, without a problem.
    private func linkedSites(to id: String) async throws -> URL {
        let root = try Self.withFreedonia(validSite)
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in May, as [in Freedonia](/situations/freedonia/2024-01-10/#\(id)).")
            .write()
        let first = try await Builder().build(options(root))
        #expect(!first.failed(strict: false), "\(first.diagnostics)")
        return root
    }

    /// A situation that links into another's pages is checked again when only the other changed:
    /// its own files are as before, but what it links to may be gone.
    @Test func aLinkIntoAnotherSituationIsCheckedWhenThatOneChanges() async throws {
        let root = try await linkedSites(to: "cite-1")
        defer { try? FileManager.default.removeItem(at: root) }

        // Freedonia's only citation in that update is corrected away, and with it the anchor.
        let update = root.appendingPathComponent("Content/situations/freedonia/updates/2024-01-10.md")
        let text = try String(contentsOf: update, encoding: .utf8)
            .replacingOccurrences(of: "The inquiry found abuses.[@inquiry-2020]", with: "The inquiry found abuses.")
            .replacingOccurrences(of: "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-11\n    note: Citation removed.\n")
        try Data(text.utf8).write(to: update)
        let second = try await Builder().build(options(root))
        #expect(second.errors.map(\.message) == [
            "broken link '/situations/freedonia/2024-01-10/#cite-1' (on Public/situations/ruritania/index.html and 3 other pages): no element with id 'cite-1' in Public/situations/freedonia/2024-01-10/index.html",
        ])

        let content = ContentLoader().load(from: root.appendingPathComponent("Content").path)
        #expect(content.situations.map { ($0.slug, Builder.linksIntoOtherSituations($0)) }.sorted { $0.0 < $1.0 }.map(\.1) == [false, true])
    }

    /// The other way round: the other situation is kept as it was, and a new link into one of its
    /// pages names an id that page does not have. The kept page is read to check it.
    @Test func aNewLinkIntoAKeptPageIsChecked() async throws {
        let root = try await linkedSites(to: "analysis")
        defer { try? FileManager.default.removeItem(at: root) }

        let page = root.appendingPathComponent("Content/situations/ruritania/updates/2024-06-01.md")
        let text = try String(contentsOf: page, encoding: .utf8)
            .replacingOccurrences(of: "#analysis)", with: "#nope)")
            .replacingOccurrences(of: "    note: Corrected the name of the province.\n",
                                  with: "    note: Corrected the name of the province.\n  - date: 2024-06-05\n    note: Linked to Freedonia.\n")
        try Data(text.utf8).write(to: page)
        let second = try await Builder().build(options(root))
        #expect(second.carried.contains { $0.path == "situations/freedonia/2024-01-10/index.html" })
        #expect(second.errors.map(\.message) == [
            "broken link '/situations/freedonia/2024-01-10/#nope' (on Public/situations/ruritania/index.html and 3 other pages): no element with id 'nope' in Public/situations/freedonia/2024-01-10/index.html",
        ])
    }

    @Test func failedBuildLeavesOutputUntouched() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await Builder().build(options(root))
        let before = try Fixture.tree(root.appendingPathComponent("Public"))
        let update = root.appendingPathComponent("Content/situations/ruritania/updates/2024-06-01.md")
        try Data("---\ndate: 2024-06-01\n".utf8).write(to: update)
        let failed = try await Builder().build(options(root))
        #expect(failed.failed(strict: false))
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == before)
        // No staging folder is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    /// Every folder under `folder`, relative, so a test can see that none is left over.
    private func folders(_ folder: URL) -> Set<String> {
        var out: Set<String> = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where url.hasDirectoryPath {
            out.insert(String(url.path.dropFirst(folder.path.count)))
        }
        return out
    }

    /// The published folder holds exactly what a build from scratch makes: every file, its bytes, no more.
    private func expectExactSite(_ root: URL, _ comment: Comment) async throws {
        let scratch = await Builder().generate(options(root))
        let built = try Fixture.tree(root.appendingPathComponent("Public"))
        #expect(Set(built.keys) == Set(scratch.files.map { "/" + $0.path }), comment)
        for file in scratch.files { #expect(built["/" + file.path] == file.data, "\(comment): \(file.path)") }
        let needed = Set(scratch.files.flatMap { file in
            file.path.split(separator: "/").dropLast().indices.map { "/" + file.path.split(separator: "/")[...$0].joined(separator: "/") }
        })
        #expect(folders(root.appendingPathComponent("Public")) == needed, comment)
    }

    @Test func rebuildsReuseTheSiteBeforeAndStayExact() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let public_ = root.appendingPathComponent("Public"), previous = root.appendingPathComponent(".Public.previous")
        let about = root.appendingPathComponent("Content/pages/about.md")
        _ = try await Builder().build(options(root))
        try await expectExactSite(root, "first build")

        // Second build: the first site is kept beside the output for the next one.
        try Data("---\ntitle: About us\n---\nWe watch closely.\n".utf8).write(to: about)
        let second = try await Builder().build(options(root))
        #expect(!second.failed(strict: false), "\(second.diagnostics)")
        #expect(FileManager.default.fileExists(atPath: previous.appendingPathComponent("pages/about/index.html").path))
        try await expectExactSite(root, "second build")

        // A published file about to change is shared with the kept site (unchanged since): hold a
        // link to it; the new version must be a new file, the old one untouched.
        let held = root.appendingPathComponent("held.html")
        let snapshot = "situations/ruritania/2024-06-01/index.html"
        try FileManager.default.linkItem(at: public_.appendingPathComponent(snapshot), to: held)
        let heldBefore = try Data(contentsOf: held)
        // Tamper with the kept site: an extra file, a stray folder, a file where a folder belongs,
        // and a changed copy of a published file. None of it may reach the output.
        try Data("intruder".utf8).write(to: previous.appendingPathComponent("intruder.html"))
        try FileManager.default.createDirectory(at: previous.appendingPathComponent("stray/deeper"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: previous.appendingPathComponent("pages/about"))
        try Data("not a folder".utf8).write(to: previous.appendingPathComponent("pages/about"))
        // The stylesheet does not change in the next build: its kept copy must not be trusted either.
        let css = try #require(try FileManager.default.contentsOfDirectory(atPath: previous.appendingPathComponent("assets").path)
            .first { $0.hasPrefix("dossier.") })
        let keptCSS = previous.appendingPathComponent("assets/" + css)
        try FileManager.default.removeItem(at: keptCSS)
        try Data("body { color: red }".utf8).write(to: keptCSS)

        // Third build: a new site title changes every page, and the about page goes.
        try FileManager.default.removeItem(at: about)
        let site = root.appendingPathComponent("Content/site.yaml")
        try Data(try String(contentsOf: site, encoding: .utf8).replacingOccurrences(of: "title: ", with: "title: The ").utf8).write(to: site)
        let third = try await Builder().build(options(root))
        #expect(!third.failed(strict: false), "\(third.diagnostics)")
        try await expectExactSite(root, "third build")
        #expect(!FileManager.default.fileExists(atPath: public_.appendingPathComponent("pages/about").path))
        #expect(try Data(contentsOf: held) == heldBefore)
        #expect(try Data(contentsOf: public_.appendingPathComponent(snapshot)) != heldBefore)

        // And a build after a failed one starts afresh, still exact.
        try FileManager.default.removeItem(at: previous)
        let fourth = try await Builder().build(options(root))
        #expect(!fourth.failed(strict: false))
        try await expectExactSite(root, "after the kept site was removed")
    }

    @Test func failedBuildKeepsTheSiteBeforeForTheNext() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let previous = root.appendingPathComponent(".Public.previous")
        let about = root.appendingPathComponent("Content/pages/about.md")
        _ = try await Builder().build(options(root))
        try Data("---\ntitle: About us\n---\nWe watch closely.\n".utf8).write(to: about)
        _ = try await Builder().build(options(root))
        #expect(FileManager.default.fileExists(atPath: previous.path))
        let published = try Fixture.tree(root.appendingPathComponent("Public"))

        try Data("---\ntitle: About us\n".utf8).write(to: about)
        let failed = try await Builder().build(options(root))
        #expect(failed.failed(strict: false))
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == published)
        #expect(FileManager.default.fileExists(atPath: previous.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") }.isEmpty)

        try Data("---\ntitle: About us\n---\nWe watch very closely.\n".utf8).write(to: about)
        let fixed = try await Builder().build(options(root))
        #expect(!fixed.failed(strict: false))
        try await expectExactSite(root, "after a failed build")
    }

    /// After the first build there is no kept site: a failed build's staging folder (the kept
    /// situation's pages linked in) becomes it, rather than being removed, and the next build
    /// starts from it and is still exact.
    @Test func aFailedBuildsFolderIsKeptForTheNext() async throws {
        let root = try PublishTests.withFreedonia(validSite).write()
        defer { try? FileManager.default.removeItem(at: root) }
        let previous = root.appendingPathComponent(".Public.previous")
        _ = try await Builder().build(options(root))
        #expect(!FileManager.default.fileExists(atPath: previous.path))
        let published = try Fixture.tree(root.appendingPathComponent("Public"))

        // A published update edited without a correction fails the build; Ruritania's pages
        // were placed in the staging folder meanwhile.
        let update = root.appendingPathComponent("Content/situations/freedonia/updates/2024-01-10.md")
        let text = try String(contentsOf: update, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.").utf8).write(to: update)
        let failed = try await Builder().build(options(root))
        #expect(failed.failed(strict: false))
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == published)
        #expect(FileManager.default.fileExists(atPath: previous.appendingPathComponent("situations/ruritania/2024-01-10/index.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") }.isEmpty)

        // Tamper with what it left: nothing in it is trusted.
        try Data("intruder".utf8).write(to: previous.appendingPathComponent("intruder.html"))
        let keptPage = previous.appendingPathComponent("situations/ruritania/2024-01-10/index.html")
        try FileManager.default.removeItem(at: keptPage)  // a hard link to the published page: not written through
        try Data("changed".utf8).write(to: keptPage)
        try Data(text.replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.")
            .replacingOccurrences(of: "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-11\n    note: Pace.\n").utf8).write(to: update)
        let fixed = try await Builder().build(options(root))
        #expect(!fixed.failed(strict: false), "\(fixed.diagnostics)")
        #expect(!fixed.carried.isEmpty)
        try await expectExactSite(root, "after a failed build that left its folder")
    }

    @Test func strictFailsOnWarnings() async throws {
        let root = try validSite.replacing("Content/site.yaml", "language: en", with: "language: en\ncolour: red").write()
        defer { try? FileManager.default.removeItem(at: root) }
        var strict = options(root)
        strict.strict = true
        let result = try await Builder().build(strict)
        #expect(result.failed(strict: true))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
    }

    @Test func staleStagingFoldersAreCleanedUp() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let stale = root.appendingPathComponent(".Public.staging-999999")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        _ = try await Builder().build(options(root))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test(arguments: ["Content", "Templates", "."])
    func outputMayNotBeAnInputOrItsParent(output: String) async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        var bad = options(root)
        bad.output = root.appendingPathComponent(output).path
        let result = try await Builder().build(bad)
        #expect(result.errors.first?.message.hasPrefix("the output folder must not be") == true)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Content/site.yaml").path))
    }
}
