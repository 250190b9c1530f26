import Foundation
import Testing
@testable import DossierCore

/// Runs the real WeasyPrint and reads its PDFs back with poppler's pdfinfo and pdftotext.
@Suite("Print view and PDF", .serialized)
struct PDFTests {
    static func tool(_ name: String, _ arguments: [String]) async -> String {
        await PDFRenderer.run("/usr/bin/" + name, arguments, environment: ProcessInfo.processInfo.environment).stdout
    }

    private func options(_ root: URL) -> Builder.Options {
        .init(content: root.appendingPathComponent("Content").path,
              templates: root.appendingPathComponent("Templates").path,
              output: root.appendingPathComponent("Public").path, pdf: true, today: IsoDate("2025-01-01")!)
    }

    @Test func printViewHasMastheadSourcesAndNoNavigation() async throws {
        let result = await validSite.generate()
        let print = try #require(result.file("situations/ruritania/2024-06-01/print/index.html"))
        #expect(print.contains("@page { size: letter;"))
        #expect(print.contains("@top-left { content: \"Atrocity Watch\"; }"))
        #expect(print.contains("@top-right { content: \"Ruritania · As of 1 June 2024\"; }"))
        #expect(print.contains("<span class=\"meta-issue\">Issue 2</span>"))
        #expect(print.contains("<span class=\"source-url\">https://docs.example.org/A/HRC/00/1</span>"))
        #expect(print.contains("Corrected on"))
        #expect(!print.contains("<nav"))
        #expect(!print.contains("<script"))
        #expect(!print.contains("banner-archived"))
        #expect(print.contains("This update: <span class=\"url\">https://watch.example.org/reports/situations/ruritania/2024-06-01/</span>"))
        let latest = try #require(result.file("situations/ruritania/print/index.html"))
        #expect(latest.contains("As of <time datetime=\"2024-06-01\">1 June 2024</time>"))
        let page = try #require(result.file("situations/ruritania/index.html"))
        #expect(page.contains("<a href=\"../../situations/ruritania/print/index.html\">Print view</a>"))
        #expect(!page.contains(".pdf"))
    }

    @Test func cssStringsCannotEscapeTheStyleElement() {
        #expect(PageContext.cssString("A \"B\" </style><script>") == "\"A \\\"B\\\" \\3c /style>\\3c script>\"")
    }

    @Test func missingWeasyPrintIsOneClearLine() {
        guard case .failure(let problem) = PDFRenderer.locate(environment: ["PATH": "/nonexistent"]) else {
            Issue.record("expected WeasyPrint to be missing")
            return
        }
        #expect(problem.description == "weasyprint: error: --pdf needs WeasyPrint, which was not found on PATH: install it with 'apt-get install weasyprint' (Debian, Ubuntu) or 'pip install weasyprint'")
    }

    @Test func buildMakesReproduciblePDFs() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Builder().build(options(root))
        #expect(!result.failed(strict: false), "\(result.diagnostics)")
        #expect(result.pdfCount == 2)
        let pdf = root.appendingPathComponent("Public/situations/ruritania/2024-06-01/ruritania-2024-06-01.pdf")
        #expect(FileManager.default.fileExists(atPath: pdf.path))

        let info = await Self.tool("pdfinfo", [pdf.path])
        #expect(info.contains("612 x 792 pts (letter)"))
        #expect(info.contains("Tagged:          yes"))
        #expect(info.contains("Author:          Atrocity Watch"))
        #expect(info.contains("Title:           Republic of Ruritania: Imminent Risk, as of 1 June 2024"))
        // Dates come from the update and its latest correction, never the clock.
        #expect(info.contains("CreationDate:    Sat Jun  1 00:00:00 2024 UTC"))
        #expect(info.contains("ModDate:         Mon Jun  3 00:00:00 2024 UTC"))

        let text = await Self.tool("pdftotext", ["-layout", pdf.path, "-"])
        let flat = text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        #expect(text.contains("Attacks on civilians have begun in the north."))
        #expect(text.contains("As of 1 June 2024"))
        #expect(text.contains("Page 1 of "))
        #expect(flat.contains("https://docs.example.org/A/HRC/00/1"))

        // The pages link to their PDF.
        let page = try String(contentsOf: root.appendingPathComponent("Public/situations/ruritania/2024-06-01/index.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"../../../situations/ruritania/2024-06-01/ruritania-2024-06-01.pdf\" type=\"application/pdf\">PDF</a>"))
        let manifest = try String(contentsOf: root.appendingPathComponent("Public/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("ruritania-2024-06-01.pdf"))

        // Rendering again without the cache gives the same bytes.
        let first = try Data(contentsOf: pdf)
        let renderer = PDFRenderer(weasyprint: "/usr/bin/weasyprint", cacheFolder: nil)
        let jobs = PDFRenderer.jobs(for: try #require(await validSite.resolve()))
        let (again, problems) = await renderer.render(jobs.filter { $0.identifier == "ruritania-2024-06-01" }, files: result.files)
        #expect(problems.isEmpty)
        #expect(again.first?.data == first)
    }

    /// A link to another page of the site is relative in the print view, which a PDF cannot follow:
    /// the PDF prints its permanent address after it, as it does an external link's.
    @Test func linksWithinTheSiteArePrintedWithTheirPermanentAddress() async throws {
        let root = try validSite
            .replacing("Content/situations/ruritania/updates/2024-06-01.md", "Attacks began in May.",
                       with: "Attacks began in May (see [how we work](/pages/about/)). "
                           + (1...12).map { "Point \(String(repeating: "x", count: $0)) [in January](/situations/ruritania/2024-01-10/#necessary-action)." }
                               .joined(separator: " "))
            .write()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Builder().build(options(root))
        #expect(!result.failed(strict: false), "\(result.diagnostics)")
        let pdf = root.appendingPathComponent("Public/situations/ruritania/2024-06-01/ruritania-2024-06-01.pdf")
        let text = await Self.tool("pdftotext", ["-layout", pdf.path, "-"])
        let flat = text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        #expect(flat.contains("seehowwework<https://watch.example.org/reports/pages/about/>"), "\(text)")
        // Broken across lines where it must be (at twelve places in the line), never hyphenated as the text around it is.
        let address = "inJanuary<https://watch.example.org/reports/situations/ruritania/2024-01-10/#necessary-action>"
        #expect(flat.components(separatedBy: address).count - 1 == 12, "\(text)")
    }

    @Test func weasyPrintFailureNamesThePrintView() async throws {
        let renderer = PDFRenderer(weasyprint: "/bin/false", cacheFolder: nil)
        let job = PDFRenderer.Job(printView: "situations/x/2024-01-01/print/index.html", output: "x.pdf", identifier: "x", epoch: 0)
        let (pdfs, problems) = await renderer.render([job], files: [OutputFile(path: job.printView, text: "<p>x</p>")])
        #expect(pdfs.isEmpty)
        #expect(problems.first?.file == "situations/x/2024-01-01/print/index.html")
        #expect(problems.first?.message.hasPrefix("WeasyPrint could not render this print view") == true)
    }
}
