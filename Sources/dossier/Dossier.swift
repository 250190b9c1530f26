import ArgumentParser
import DossierCore
import Foundation

@main
struct Dossier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Builds versioned human-rights situation pages from Markdown briefings and YAML facts.",
        subcommands: [Build.self, Check.self, Serve.self, New.self, MarkdownCommand.self]
    )
}

/// The folder options every command shares.
struct Folders: ParsableArguments {
    @Option(help: "The content folder.")
    var content = "Content"

    @Option(help: "The templates folder.")
    var templates = "Templates"

    @Option(help: "The output folder.")
    var output = "Public"
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var folders: Folders

    @Flag(help: "Include draft updates (marked as drafts, never indexed).")
    var drafts = false

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Flag(help: "Also render each update's print view to PDF with WeasyPrint.")
    var pdf = false

    @Flag(help: "Fail if versions.lock does not already record every update this build publishes (for CI).")
    var locked = false

    @Flag(name: .shortAndLong, help: "Print errors only: no warnings, no summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print how long each stage took.")
    var verbose = false

    func run() async throws {
        let clock = ContinuousClock.now
        var options = Builder.Options(content: folders.content, templates: folders.templates, output: folders.output,
                                      drafts: drafts, strict: strict, pdf: pdf, today: .today())
        options.locked = locked
        let result: Builder.Result
        do {
            result = try await Builder(progress: Console.progress).build(options)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        Console.report(result, errorsOnly: quiet && !strict)
        if result.failed(strict: strict) {
            Console.error("build failed; \(folders.output)/ was left as it was")
            throw ExitCode(1)
        }
        if quiet { return }
        if verbose {
            for (stage, duration) in result.timings {
                Console.out("  \(stage.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Console.seconds(duration, digits: 3))")
            }
            if let ahead = result.partialsAhead {
                func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
                Console.out("  partials rendered once per update: \(list(ahead.perUpdate))")
                Console.out("  partials rendered once per version listed: \(list(ahead.perVersion))")
            }
            if let shapes = result.templateShapes { Console.out("  templates rendered once per shape of page: \(shapes)") }
        }
        let files = result.unchangedFileCount.map { "\($0) files (nothing changed)" }
            ?? "\(result.paths.count + result.carried.count) files (\(result.writtenCount) changed)"
        Console.out("built \(folders.output)/: \(result.situationCount) situation(s), \(result.versionCount) update(s), "
                    + "\(result.pageCount) page(s), " + (pdf ? "\(result.pdfCount) PDF(s), " : "")
                    + "\(files) in \(Console.seconds(ContinuousClock.now - clock))")
        if let changes = result.lockChanges {
            var parts: [String] = []
            if !changes.recorded.isEmpty { parts.append("now records \(LockChanges.list(changes.recorded))") }
            if !changes.rerecorded.isEmpty { parts.append("records \(LockChanges.list(changes.rerecorded)) as corrected") }
            Console.out("\(folders.content)/versions.lock " + (parts.isEmpty ? "was merged" : parts.joined(separator: " and "))
                        + ": commit it with the content")
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate everything a build would, writing nothing.")

    @OptionGroup var folders: Folders

    @Flag(help: "Include draft updates.")
    var drafts = false

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @Flag(help: "Fail if versions.lock does not already record every update a build would publish (for CI).")
    var locked = false

    func run() async throws {
        var options = Builder.Options(content: folders.content, templates: folders.templates, output: folders.output,
                                      drafts: drafts, strict: strict, today: .today())
        options.locked = locked
        let result = await Builder().generate(options)
        Console.report(result)
        if result.failed(strict: strict) { throw ExitCode(1) }
        Console.out("no problems found" + (result.diagnostics.isEmpty ? "" : " that fail the build (\(result.diagnostics.count) warning(s))"))
    }
}

struct MarkdownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "markdown",
        abstract: "Render CommonMark from standard input to an HTML fragment (citations are left as text).")

    @Flag(help: "Pass raw HTML through instead of dropping it.")
    var unsafe = false

    func run() async throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: input, as: UTF8.self)
        let source = MarkdownSource(text: text, file: "<stdin>", startLine: 1, fullText: text)
        let rendered = MarkdownRenderer(options: .init(unsafeHTML: unsafe)).render(source)
        try FileHandle.standardOutput.write(contentsOf: Data(rendered.html.utf8))
        // What a build would warn about in the same text (raw HTML dropped, footnotes, tables…),
        // on standard error as a build reports it, so the HTML on standard output stays clean.
        let formatter = DiagnosticFormatter(useColour: Console.useColour) { $0 == source.file ? text : nil }
        for diagnostic in rendered.diagnostics.sortedForReport() { Console.error(formatter.format(diagnostic)) }
        if rendered.diagnostics.hasErrors { throw ExitCode(1) }
    }
}
