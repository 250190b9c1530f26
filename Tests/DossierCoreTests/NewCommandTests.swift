import Foundation
import Testing

@Suite("dossier new")
struct NewCommandTests {
    @Test func nextUpdateStartsFromTheLatestAsADraft() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["new", "ruritania", "--date", "2024-10-01"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Content/situations/ruritania/updates/2024-10-01.md\n")
        let text = try String(contentsOf: root.appendingPathComponent("Content/situations/ruritania/updates/2024-10-01.md"), encoding: .utf8)
        // The latest update is the draft of 2024-09-01: its text and fields, a new date, still a draft,
        // no issue number, no corrections.
        #expect(text.hasPrefix("---\ndate: 2024-10-01\nrisk_level: current-crisis\nheadline: A draft not yet published.\nstatus: draft\n---\n"))
        #expect(text.contains("## Background\n\nDraft text."))
        #expect(!text.contains("issue:"))
        #expect(!text.contains("corrections"))
        // And the site still builds, with the new draft left out of the published pages.
        let build = try CommandLineTests.run(["check", "--drafts"], in: root)
        #expect(build.status == 0, "\(build.stderr)")
    }

    @Test func headlineWithAColonIsQuoted() throws {
        let root = try validSite
            .replacing("Content/situations/ruritania/updates/2024-09-01.md", "headline: A draft not yet published.",
                       with: "headline: \"Warning: attacks resumed\"")
            .write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["new", "ruritania", "--date", "2024-10-01"], in: root)
        #expect(run.status == 0)
        let text = try String(contentsOf: root.appendingPathComponent("Content/situations/ruritania/updates/2024-10-01.md"), encoding: .utf8)
        #expect(text.contains("headline: \"Warning: attacks resumed\"\n"))
        #expect(try CommandLineTests.run(["check", "--drafts"], in: root).status == 0)
    }

    @Test(arguments: [
        (["new", "ruritania", "--date", "2024-09-01"], 1, "error: an update for 2024-09-01 already exists; pass another --date"),
        (["new", "ruritania", "--date", "2024-08-01"], 1, "error: the new update's date 2024-08-01 must be after the latest update, 2024-09-01"),
        (["new", "freedonia", "--date", "2024-10-01"], 1, "error: no situation 'freedonia' in Content/situations (there are: ruritania); to start a new one: dossier new situation freedonia --name \"…\""),
        (["new", "ruritania", "--date", "2024-02-30"], 64, "Error: --date must be a real date written YYYY-MM-DD, found '2024-02-30'"),
        (["new", "situation", "ruritania", "--name", "Ruritania"], 1, "error: situation 'ruritania' already exists"),
        (["new", "situation", "Bad Slug", "--name", "X"], 1, "error: situation 'Bad Slug' is not a valid slug"),
        (["new", "situation", "freedonia"], 64, "Error: a new situation needs --name"),
    ])
    func refusals(arguments: [String], status: Int32, message: String) throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(arguments, in: root)
        #expect(run.status == status)
        #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
    }

    @Test func newSituationIsScaffoldedAndBuilds() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["new", "situation", "freedonia", "--name", "Freedonia", "--date", "2024-10-01"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "Content/situations/freedonia/updates/2024-10-01.md\n")
        let update = try String(contentsOf: root.appendingPathComponent("Content/situations/freedonia/updates/2024-10-01.md"), encoding: .utf8)
        #expect(update.contains("status: draft"))
        #expect(update.contains("## Background") && update.contains("## Analysis") && update.contains("## Necessary Action"))
        let check = try CommandLineTests.run(["check", "--drafts"], in: root)
        #expect(check.status == 0, "\(check.stderr)")
        let preview = try CommandLineTests.run(["build", "--drafts", "--output", "Preview"], in: root)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Preview/situations/freedonia/index.html").path))

        // Published as it was scaffolded, the placeholders are errors at their places.
        let path = root.appendingPathComponent("Content/situations/freedonia/updates/2024-10-01.md")
        try Data(update.replacingOccurrences(of: "status: draft", with: "status: published")
            .replacingOccurrences(of: "## Analysis\n\nWrite here.", with: "## Analysis\n\nWritten.").utf8).write(to: path)
        let published = try CommandLineTests.run(["check"], in: root)
        #expect(published.status == 1)
        let file = "Content/situations/freedonia/updates/2024-10-01.md"
        let errors = published.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [
            "\(file):4:11: error: the headline is still the placeholder that 'dossier new' wrote; write the update's own before publishing, or keep 'status: draft'",
            "\(file):9:1: error: 'Write here.' is the placeholder that 'dossier new' wrote; write the section before publishing, or keep 'status: draft'",
            "\(file):17:1: error: 'Write here.' is the placeholder that 'dossier new' wrote; write the section before publishing, or keep 'status: draft'",
        ])
    }
}

@Suite("Build output")
struct BuildOutputTests {
    @Test func quietPrintsNothingOnSuccess() throws {
        let root = try validSite.replacing("Content/site.yaml", "language: en", with: "language: en\ncolour: red").write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["build", "--quiet"], in: root)
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.isEmpty)
    }

    @Test func verbosePrintsStageTimes() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["build", "--verbose"], in: root)
        for stage in ["load", "validate", "resolve", "render", "publish"] {
            #expect(run.stdout.contains("  \(stage) "))
        }
        #expect(run.stdout.contains("  partials rendered once per update: corrections, fact-box, risk-badge, sources\n"
                                    + "  partials rendered once per version listed: version-link\n"))
    }

    @Test func progressLineUpdatesInPlaceOnATerminal() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        // `script` (util-linux) runs the build on a pseudo-terminal and copies what it shows.
        let command = "cd '\(root.path)' && '\(InterruptionTests.executable.path)' build --pdf"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\r\u{1B}[Krendering PDFs: 1/2"))
        #expect(text.contains("\r\u{1B}[Krendering PDFs: 2/2\r\u{1B}[K"))
        #expect(text.contains("2 PDF(s)"))
    }

    @Test func noProgressLineWhenNotATerminal() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["build", "--pdf"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("\r"))
        #expect(!run.stderr.contains("rendering PDFs"))
        #expect(run.stdout.contains("2 PDF(s)"))
    }
}
