import Crypto
import Foundation
import Testing
@testable import DossierCore

/// A build killed at any moment, or two builds at once, never leave a broken `Public/`.
@Suite("Killed and concurrent builds", .serialized)
struct InterruptionTests {
    /// A generated site: many situations with a few updates each, big enough to take a while.
    static func largeSite(situations: Int, updates: Int, marker: String) -> Fixture {
        var site = validSite
        site.files = site.files.filter { !$0.key.hasPrefix("Content/situations/") }
        let paragraph = String(repeating: "Civilians in the region report attacks, arrests and displacement. ", count: 12)
        for s in 0..<situations {
            let slug = "country-\(s)"
            site.files["Content/situations/\(slug)/situation.yaml"] = "name: Country \(s)\nfacts:\n  - label: Inquiry\n    value: Report \(s)\n    source: report\n"
            site.files["Content/situations/\(slug)/sources.yaml"] = "report:\n  title: Report on country \(s)\n  url: https://docs.example.org/\(s)\n"
            for u in 0..<updates {
                let date = "2024-\(String(format: "%02d", u + 1))-15"
                site.files["Content/situations/\(slug)/updates/\(date).md"] = """
                ---
                date: \(date)
                risk_level: \(["current-crisis", "imminent-risk", "serious-concern"][(s + u) % 3])
                headline: Update \(u) on country \(s). \(marker)
                ---
                ## Background

                \(paragraph)[@report]

                ## Analysis

                \(paragraph)

                ## Necessary Action

                \(paragraph)

                """
            }
        }
        return site
    }

    /// True when the folder holds exactly the files its manifest lists, with those hashes.
    static func isComplete(_ folder: URL) throws -> Bool {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: [[String: Any]]]
        let listed = manifest["files"]!
        var present = Set<String>()
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            present.insert(String(url.path.dropFirst(folder.path.count + 1)))
        }
        guard present == Set(listed.map { $0["path"] as! String } + ["manifest.json"]) else { return false }
        for entry in listed {
            let data = try Data(contentsOf: folder.appendingPathComponent(entry["path"] as! String))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            if digest != entry["sha256"] as! String { return false }
        }
        return true
    }

    static var executable: URL {
        FileManager.default.fileExists(atPath: CommandLineTests.executable.path)
            ? CommandLineTests.executable : Fixture.projectRoot.appendingPathComponent(".build/debug/dossier")
    }

    static func launch(_ arguments: [String], in directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedBuildsLeaveThePreviousSiteIntact() async throws {
        let root = try Self.largeSite(situations: 80, updates: 4, marker: "First.").write()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try CommandLineTests.run(["build"], in: root)
        try #require(first.status == 0, "\(first.stderr)")
        let public_ = root.appendingPathComponent("Public")
        let before = try Fixture.tree(public_)
        #expect(try Self.isComplete(public_))

        // Change every page: new situations so the lock stays satisfied.
        let next = Self.largeSite(situations: 120, updates: 4, marker: "First.")
        for (path, text) in next.files where path.hasPrefix("Content/situations/") {
            let url = root.appendingPathComponent(path)
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }
        var sawOld = 0
        for delay in [0.02, 0.1, 0.25, 0.5, 0.8] {
            let process = try Self.launch(["build"], in: root)
            // A blocking sleep: the kill must land on time even when other tests keep the
            // concurrency pool busy.
            usleep(UInt32(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Either the previous site, untouched, or (if the build had finished) the complete new one.
            let after = try Fixture.tree(public_)
            if after == before { sawOld += 1 } else { #expect(try Self.isComplete(public_), "after a kill at \(delay) s") }
        }
        #expect(sawOld > 0, "no kill landed during a build; the site is too small to test this")
        // The next build cleans what the killed ones left and publishes the new site.
        let last = try CommandLineTests.run(["build"], in: root)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.isComplete(public_))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains(".staging-") || $0.contains(".old-") }
        #expect(leftovers.isEmpty)
        #expect(FileManager.default.fileExists(atPath: public_.appendingPathComponent("situations/country-119/index.html").path))
    }

    @Test func twoBuildsAtOnceLeaveOneCompleteSite() async throws {
        let root = try Self.largeSite(situations: 40, updates: 3, marker: "Concurrent.").write()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try Self.launch(["build"], in: root)
        let b = try Self.launch(["build"], in: root)
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0)
        #expect(b.terminationStatus == 0)
        #expect(try Self.isComplete(root.appendingPathComponent("Public")))
    }
}
