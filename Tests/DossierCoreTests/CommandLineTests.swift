import Foundation
import Testing

/// Runs the real `dossier` executable, built beside the tests.
@Suite("Command line")
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dossier")
    }

    static func run(_ arguments: [String], stdin: String = "", in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Run {
        var executable = Self.executable
        if !FileManager.default.fileExists(atPath: executable.path) {
            // `swift test` runs the bundle from the build folder; look there too.
            executable = Fixture.projectRoot.appendingPathComponent(".build/debug/dossier")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func markdownCommandRendersStdin() throws {
        let run = try Self.run(["markdown"], stdin: "## Hello *world*\n\n<i>raw</i> [@a] \"q\"\n")
        #expect(run.status == 0)
        #expect(run.stdout == "<h2 id=\"hello-world\">Hello <em>world</em></h2>\n<p>raw [@a] “q”</p>\n")
        // The raw HTML it dropped is reported on standard error, where and why, as a build reports it.
        #expect(run.stderr.hasPrefix("<stdin>:3:1: warning: raw HTML"), "\(run.stderr)")
        #expect(run.stderr.contains("<i>raw</i>"))
    }

    @Test func markdownCommandWarnsOnStandardErrorOnly() throws {
        let run = try Self.run(["markdown"], stdin: "Clean *text*.\n\n| a | b |\n|---|---|\n")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("<p>Clean <em>text</em>.</p>\n<p>| a | b |"))
        #expect(run.stderr.hasPrefix("<stdin>:3:1: warning: this looks like a table"), "\(run.stderr)")
        #expect(try Self.run(["markdown"], stdin: "Clean *text*.\n").stderr.isEmpty)
    }

    #if os(Linux)
    /// The command line allocates through tcmalloc (Package.swift): every library's calls to
    /// `malloc` and `free` (the Swift runtime's, Foundation's, libcmark's) reach it, none glibc's own.
    @Test func allocatesThroughTcmalloc() throws {
        // The dynamic linker says where it bound each symbol, into a file of its own (`.<pid>`
        // added to the name): there is too much of it for a pipe the test reads after the process ends.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-bindings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.run(["markdown"], stdin: "Some *text*.\n",
                               environment: ["LD_DEBUG": "bindings", "LD_DEBUG_OUTPUT": folder.appendingPathComponent("ld").path])
        #expect(run.status == 0)
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(logs.count == 1)
        let log = try logs.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
        // (Each line ends with the symbol's version, which depends on the architecture.)
        let bindings = log.split(separator: "\n").filter { $0.contains("normal symbol `malloc'") || $0.contains("normal symbol `free'") }
        #expect(bindings.contains { $0.contains("libswiftCore.so") && $0.contains("libtcmalloc_minimal.so") })
        #expect(bindings.contains { $0.contains("libcmark.so") && $0.contains("libtcmalloc_minimal.so") })
        #expect(!bindings.isEmpty && bindings.allSatisfy { String($0).components(separatedBy: " to ").dropFirst().last?.contains("libtcmalloc_minimal.so") == true },
                "\(bindings.joined(separator: "\n"))")
    }
    #endif

    @Test func markdownUnsafeKeepsRawHTML() throws {
        let run = try Self.run(["markdown", "--unsafe"], stdin: "<i>raw</i>\n")
        #expect(run.stdout == "<p><i>raw</i></p>\n")
    }

    @Test func buildSucceedsAndSummarises() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(["build"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("built Public/: 1 situation(s), 2 update(s), 1 page(s)"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/situations/ruritania/index.html").path))
    }

    @Test func contentErrorExitsOneWithCompilerStyleDiagnostic() throws {
        let root = try validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "risk_level: imminent-risk", with: "risk_level: critical")
            .write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(["build"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("""
        Content/situations/ruritania/updates/2024-06-01.md:3:13: error: unknown risk level 'critical'; expected one of current-crisis, imminent-risk, serious-concern
            risk_level: critical
                        ^
        """))
        #expect(!run.stderr.contains("\u{1B}["))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
    }

    /// In CI, `--locked` refuses to publish an update the committed record lacks; without it,
    /// the build records the update and says what to commit.
    @Test func lockedRefusesWhatTheRecordLacks() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try Self.run(["build", "--locked"], in: root)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Content/versions.lock: error: versions.lock does not record ruritania/2024-01-10, ruritania/2024-06-01, "
            + "published by this build; with --locked the record must already be committed: build without --locked and commit the versions.lock it writes"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Content/versions.lock").path))
        #expect(try Self.run(["check", "--locked"], in: root).status == 1)

        let recorded = try Self.run(["build"], in: root)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("Content/versions.lock now records ruritania/2024-01-10, ruritania/2024-06-01: commit it with the content"))
        let again = try Self.run(["build", "--locked"], in: root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("versions.lock"))
        #expect(try Self.run(["check", "--locked"], in: root).status == 0)
    }

    @Test func checkWritesNothing() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(["check"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
    }

    @Test(arguments: [["build", "--no-such-flag"], ["frobnicate"], ["markdown", "extra"]])
    func usageErrorsExit64(arguments: [String]) throws {
        let run = try Self.run(arguments)
        #expect(run.status == 64)
    }
}
