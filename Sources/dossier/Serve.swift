import ArgumentParser
import DossierCore
import DossierServe
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site with drafts: serve it on this machine, rebuild on every save, reload open pages.")

    @Option(help: "The content folder.")
    var content = "Content"

    @Option(help: "The templates folder.")
    var templates = "Templates"

    @Option(help: "The preview's own output folder (never the published one).")
    var output = ".dossier-preview"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8000

    @Option(help: "The address to listen on; loopback unless you say otherwise.")
    var host = "127.0.0.1"

    func validate() throws {
        if URL(fileURLWithPath: output).standardizedFileURL == URL(fileURLWithPath: "Public").standardizedFileURL {
            throw ValidationError("the preview never writes the published folder; choose another --output")
        }
    }

    func run() async throws {
        var options = Builder.Options(content: content, templates: templates, output: output, drafts: true, today: .today())
        options.writeLock = false
        let server = PreviewServer(
            host: host, port: port, options: options,
            report: { result in
                Console.report(result)
                if !result.failed(strict: false) {
                    Console.out("built \(output)/: \(result.situationCount) situation(s), \(result.versionCount) update(s) with drafts")
                }
            },
            onListening: { address in Console.out("Serving \(address) (Ctrl+C to stop)") })
        try await server.run()
        Console.out("stopped")
    }
}
