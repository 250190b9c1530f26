import Foundation
import Testing
@testable import DossierCore

/// The pieces of an edit rebuild that reuse work done earlier in the same build, or by the last.
@Suite("Rebuilding after an edit")
struct IncrementalTests {
    private let options = Builder.Options(today: IsoDate("2025-01-01")!)

    /// The site with two situations and the lock a first build writes for it.
    private func lockedSite() async throws -> (Fixture, VersionLock) {
        var site = PublishTests.withFreedonia(validSite)
        let lock = try #require(await site.generate().lockToWrite)
        site.files["Content/versions.lock"] = lock.text
        return (site, lock)
    }

    /// The program built again (from newer sources, under the same version) is another program
    /// to the state beside the output: nothing an older build made or said is kept.
    @Test func theProgramIsKnownByItsFile() throws {
        #if os(Linux)
        #expect(BuildState.toolVersion.hasSuffix(BuildState.identity(of: "/proc/self/exe")))
        #expect(!BuildState.programIdentity.isEmpty)
        #endif
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("a program".utf8).write(to: file)
        let before = BuildState.identity(of: file.path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: file.path)
        let touched = BuildState.identity(of: file.path)
        try Data("a program, built again".utf8).write(to: file)
        #expect(Set([before, touched, BuildState.identity(of: file.path)]).count == 3)
        #expect(BuildState.identity(of: file.path + "-missing").isEmpty)
    }

    @Test func situationKeysReusedFromBeforeTheLockWasWrittenFollowTheNewLock() async throws {
        let (site, lock) = try await lockedSite()
        let inputs = Builder(fileSystem: site.fileSystem).load(options)
        let digests = inputs.digests(options)
        let before = inputs.situationKeys(digests)
        #expect(Set(before.keys.keys) == ["freedonia", "ruritania"])

        // The build re-records one of Freedonia's updates (a correction) and writes the lock.
        var changed = lock
        let key = try #require(changed.updates.keys.first { $0.hasPrefix("freedonia/") })
        changed.updates[key]!.corrections += 1
        var after = inputs
        after.replaceLock(with: changed.text, path: "Content/versions.lock")
        let reused = after.situationKeys(digests, reusing: before)
        #expect(reused.keys == after.situationKeys(digests).keys)
        // Given the record the build wrote instead of decoding its text: the same keys.
        #expect(after.situationKeys(digests, reusing: before, lock: changed).keys == reused.keys)
        #expect(after.situationKeys(digests, lock: changed).keys == reused.keys)
        #expect(reused.keys["freedonia"] != before.keys["freedonia"])
        #expect(reused.keys["ruritania"] == before.keys["ruritania"])
    }

    /// The keys a build leaves in its state are those of the inputs as they are after it, whether
    /// it wrote the lock (keys from the record it wrote) or not (the keys its plan made).
    @Test func storedSituationKeysAreTheInputsKeysAfterTheBuild() async throws {
        let root = try PublishTests.withFreedonia(validSite).write()
        defer { try? FileManager.default.removeItem(at: root) }
        var options = Builder.Options(content: root.appendingPathComponent("Content").path,
                                      templates: root.appendingPathComponent("Templates").path,
                                      output: root.appendingPathComponent("Public").path, today: IsoDate("2025-01-01")!)
        options.skeletonsFromPages = 0
        func expectStoredKeysFresh(_ comment: Comment) throws {
            let state = try #require(BuildState.read(beside: options.output))
            let inputs = Builder().load(options)
            let fresh = inputs.situationKeys(inputs.digests(options)).keys
            #expect(state.situations.mapValues(\.key) == fresh, comment)
            #expect(fresh.count == 2)
        }
        let updates = root.appendingPathComponent("Content/situations/freedonia/updates")
        func edit(_ name: String, _ change: (String) -> String) throws {
            let url = updates.appendingPathComponent(name)
            try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        }

        // The first build writes the lock.
        #expect(try await Builder().build(options).lockText != nil)
        try expectStoredKeysFresh("after the build that wrote the lock")
        // A draft edited: the situation's key changes, the lock does not.
        try edit("2024-09-01.md") { $0 + "\nMore draft text.\n" }
        #expect(try await Builder().build(options).lockText == nil)
        try expectStoredKeysFresh("after a build that left the lock as it was")
        // A published update corrected: the build records it again in the lock.
        try edit("2024-06-01.md") {
            $0.replacingOccurrences(of: "corrections:\n", with: "corrections:\n  - date: 2024-12-31\n    note: A sentence added.\n") + "\nA sentence added.\n"
        }
        let rebuilt = try await Builder().build(options)
        #expect(!rebuilt.diagnostics.hasErrors, "\(rebuilt.diagnostics)")
        #expect(rebuilt.lockText != nil)
        try expectStoredKeysFresh("after a build that re-recorded an update")
    }

    @Test func everyUpdatesLockFingerprintIsAmongTheBuildsDigests() async throws {
        let (site, _) = try await lockedSite()
        let inputs = Builder(fileSystem: site.fileSystem).load(options)
        let digests = inputs.digests(options)
        let content = try #require(ContentValidator().validate(inputs.content).0)
        let updates = content.situations.flatMap(\.updates)
        #expect(updates.count >= 4)
        for update in updates {
            #expect(digests.files[update.body.file] == VersionLock.fingerprint(update.body.fullText), "\(update.body.file)")
        }
    }

    /// A folder reused as the new site, read while the build writes into it, then pruned from
    /// that reading: the build's own changes meanwhile stay, everything else the new site lacks goes.
    @Test func pruningFromASurveyTakenDuringTheBuildLeavesExactlyTheNewSite() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(path.utf8).write(to: url)
        }
        // The site before: pages kept and pages gone, a stray folder, a file where the new site
        // has a folder and a folder where it has a file.
        for path in ["index.html", "a/index.html", "a/old/index.html", "gone/deep/index.html", "b", "c/index.html/x.html"] {
            try write(path)
        }
        let survey = try #require(FileTree.survey(root.path))
        #expect(Set(survey.files) == ["index.html", "a/index.html", "a/old/index.html", "gone/deep/index.html", "b", "c/index.html/x.html"])
        // What the build does after the survey: writes new pages, turns the stray file into a
        // folder and the stray folder into a file.
        try FileManager.default.removeItem(at: root.appendingPathComponent("b"))
        try write("b/index.html")
        try FileManager.default.removeItem(at: root.appendingPathComponent("c/index.html"))
        try write("c/index.html")
        try write("new/index.html")
        let paths: Set<String> = ["index.html", "a/index.html", "b/index.html", "c/index.html", "new/index.html"]
        try FileTree.prune(root.path, keeping: paths, surveyed: survey)

        let after = try #require(FileTree.survey(root.path))
        #expect(Set(after.files) == paths)
        #expect(Set(after.folders) == ["a", "b", "c", "new"])
        #expect(try String(contentsOf: root.appendingPathComponent("c/index.html"), encoding: .utf8) == "c/index.html")
    }

    /// The survey reads each folder's entries a buffer at a time: a folder whose entries fill
    /// several buffers is read whole, with each file's inode as the file system gives it.
    @Test func aSurveyReadsAFolderLargerThanItsBuffer() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("many")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let names = (0..<600).map { "page-with-a-long-name-to-fill-the-buffer-sooner-\($0).html" }
        for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let survey = try #require(FileTree.survey(root.path))
        #expect(Set(survey.files) == Set(names.map { "many/" + $0 }))
        #expect(Set(survey.folders) == ["many", "many/sub"])
        let index = try #require(survey.files.firstIndex(of: "many/" + names[17]))
        #expect(survey.inodes[index] == FileTree.regularFile(folder.appendingPathComponent(names[17]).path)?.id.inode)
    }

    @Test func aSurveyOfAFolderRemovedMeanwhileIsEmpty() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        let survey = try #require(FileTree.survey(root.path))
        #expect(survey.files.isEmpty && survey.folders.isEmpty)
    }
}
