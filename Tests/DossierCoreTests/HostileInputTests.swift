import Foundation
import Testing
@testable import DossierCore

/// Malformed and hostile inputs, table-driven: each mutation of the valid fixture, the exit
/// status, the diagnostic's `file:line:col: severity: message` (its start), and `Public/`
/// left byte-for-byte as the previous good build made it.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String] = []
    var exit: Int32 = 1
    /// The start of a line the run must print on standard error.
    var expected: String
    var mutate: @Sendable (inout [String: String], URL) throws -> Void

    var testDescription: String { name }
}

private let update = "Content/situations/ruritania/updates/2024-06-01.md"
private let first = "Content/situations/ruritania/updates/2024-01-10.md"
private let situation = "Content/situations/ruritania/situation.yaml"
private let sources = "Content/situations/ruritania/sources.yaml"

private func replace(_ path: String, _ old: String, _ new: String) -> @Sendable (inout [String: String], URL) throws -> Void {
    { files, _ in
        guard let text = files[path], text.contains(old) else { throw CocoaError(.fileReadCorruptFile) }
        files[path] = text.replacingOccurrences(of: old, with: new)
    }
}

let hostileCases: [HostileCase] = [
    HostileCase(name: "unknown risk level", expected: "\(update):3:13: error: unknown risk level 'critical'; expected one of current-crisis, imminent-risk, serious-concern",
                mutate: replace(update, "risk_level: imminent-risk", "risk_level: critical")),
    HostileCase(name: "date differs from the file name", expected: "\(update):2:7: error: date 2024-06-02 does not match the file name 2024-06-01.md",
                mutate: replace(update, "date: 2024-06-01", "date: 2024-06-02")),
    HostileCase(name: "date that does not exist", expected: "\(update):2:7: error: 'date' must be a real date written YYYY-MM-DD, found '2024-02-30'",
                mutate: replace(update, "date: 2024-06-01", "date: 2024-02-30")),
    HostileCase(name: "missing headline", expected: "\(update):2:1: error: the update's front matter is missing the required field 'headline'",
                mutate: replace(update, "headline: Attacks on civilians have begun in the north.\n", "")),
    HostileCase(name: "no front matter", expected: "\(update):1:1: error: missing front matter",
                mutate: { files, _ in files[update] = "## Background\n\nText.\n" }),
    HostileCase(name: "front matter never closed", expected: "\(update):1:1: error: front matter is not closed",
                mutate: replace(update, "---\n## Background", "## Background")),
    HostileCase(name: "YAML syntax error", expected: "Content/site.yaml:2:9: error: YAML syntax error: did not find expected ',' or ']'",
                mutate: replace("Content/site.yaml", "title: Atrocity Watch", "title: [Atrocity Watch")),
    HostileCase(name: "duplicate key", expected: "\(situation):1:1: error: duplicate key 'name' in this mapping",
                mutate: replace(situation, "short_name: Ruritania", "name: Ruritania")),
    HostileCase(name: "unknown citation key", expected: "\(first):9:27: error: unknown source 'inquiry-2021' in citation: did you mean 'inquiry-2020'?",
                mutate: replace(first, "[@inquiry-2020]", "[@inquiry-2021]")),
    HostileCase(name: "unknown fact source", expected: "\(situation):8:13: error: unknown source 'inquiry-2021'; did you mean 'inquiry-2020'?",
                mutate: replace(situation, "source: inquiry-2020", "source: inquiry-2021")),
    HostileCase(name: "javascript: source URL", expected: "\(sources):6:8: error: 'url' must be an http:// or https:// address, found 'javascript:alert(1)'",
                mutate: replace(sources, "url: https://docs.example.org/A/HRC/00/1", "url: javascript:alert(1)")),
    HostileCase(name: "data: source URL", expected: "\(sources):6:8: error: 'url' must be an http:// or https:// address, found 'data:text/html,x'",
                mutate: replace(sources, "url: https://docs.example.org/A/HRC/00/1", "url: data:text/html,x")),
    HostileCase(name: "source URL without its scheme", expected: "\(sources):6:8: error: 'url' must be an http:// or https:// address, found 'docs.example.org/A/HRC/00/1': did you mean 'https://docs.example.org/A/HRC/00/1'?",
                mutate: replace(sources, "url: https://docs.example.org/A/HRC/00/1", "url: docs.example.org/A/HRC/00/1")),
    HostileCase(name: "source date that does not exist", expected: "\(sources):5:9: error: 'date' must be YYYY, YYYY-MM or YYYY-MM-DD (a real date), found '2020-13'",
                mutate: replace(sources, "date: 2020-03", "date: 2020-13")),
    HostileCase(name: "situation folder not a slug", expected: "Content/situations/Ruritania: error: situation folder 'Ruritania' is not a valid slug",
                mutate: { files, _ in
                    for key in files.keys where key.hasPrefix("Content/situations/ruritania/") {
                        files[key.replacingOccurrences(of: "/ruritania/", with: "/Ruritania/")] = files.removeValue(forKey: key)
                    }
                }),
    HostileCase(name: "update file name not a date", expected: "Content/situations/ruritania/updates/2024-6-1.md: error: an update's file name must be its date",
                mutate: { files, _ in files["Content/situations/ruritania/updates/2024-6-1.md"] = files[update] }),
    HostileCase(name: "unknown status", expected: "\(update):5:9: error: unknown status 'publish'; expected published or draft",
                mutate: replace(update, "issue: 2\n", "status: publish\n")),
    HostileCase(name: "issue not a number", expected: "\(update):5:8: error: 'issue' must be a whole number from 1 to 1000000, found 'two'",
                mutate: replace(update, "issue: 2", "issue: two")),
    HostileCase(name: "base URL not http(s)", expected: "Content/site.yaml:2:11: error: 'base_url' must be an absolute http(s) address",
                mutate: replace("Content/site.yaml", "base_url: https://watch.example.org/reports", "base_url: ftp://watch.example.org/")),
    HostileCase(name: "language not a language tag",
                expected: "Content/site.yaml:3:11: error: 'language' must be a language tag such as en, fr or pt-BR (BCP 47), found 'English'",
                mutate: replace("Content/site.yaml", "language: en", "language: English")),
    HostileCase(name: "unknown paper", expected: "Content/site.yaml:4:8: error: unknown paper 'A5'; expected A4 or Letter",
                mutate: replace("Content/site.yaml", "paper: Letter", "paper: A5")),
    HostileCase(name: "risk level defined twice", expected: "Content/site.yaml:12:5: error: risk level 'imminent-risk' is defined twice",
                mutate: replace("Content/site.yaml", "id: current-crisis", "id: imminent-risk")),
    HostileCase(name: "correction dated before its update", expected: "\(update):7:11: error: a correction cannot be dated before the update it corrects (2024-06-01)",
                mutate: replace(update, "  - date: 2024-06-03", "  - date: 2024-05-03")),
    HostileCase(name: "correction without a note", expected: "\(update):7:5: error: a correction is missing the required field 'note'",
                mutate: replace(update, "    note: Corrected the name of the province.\n", "")),
    HostileCase(name: "sources.yaml is a list", expected: "\(sources):1:1: error: sources.yaml must map source keys to sources, found a list",
                mutate: { files, _ in files[sources] = "- a\n- b\n" }),
    HostileCase(name: "facts is not a list", expected: "\(situation):5:8: error: 'facts' must be a list, found a value",
                mutate: replace(situation, "facts:\n", "facts: none\nold_facts:\n")),
    HostileCase(name: "invalid UTF-8", expected: "\(sources):3:24: error: file is not valid UTF-8 text",
                mutate: replace(sources, "publisher: Example Council", "publisher: Example Co\u{FFFF}uncil")),
    HostileCase(name: "merge conflict left in an update",
                expected: "\(update):15:1: error: a merge conflict is left in this file: keep the text you want from each side",
                mutate: replace(update, "## Analysis\n", "## Analysis\n<<<<<<< HEAD\nOurs.\n=======\nTheirs.\n>>>>>>> other\n")),
    HostileCase(name: "merge conflict left in a template",
                expected: "Templates/page.mustache:5:1: error: a merge conflict is left in this file",
                mutate: replace("Templates/page.mustache", "<h1>{{title}}</h1>", "<<<<<<< HEAD\n<h1>{{title}}</h1>\n=======\n<h2>{{title}}</h2>\n>>>>>>> b")),
    HostileCase(name: "empty file", expected: "\(sources): error: file is empty",
                mutate: { files, _ in files[sources] = "\n" }),
    HostileCase(name: "template syntax error", expected: "Templates/page.mustache:8:5: error: template syntax error: section closed with a different name than it was opened with",
                mutate: replace("Templates/page.mustache", "<h1>{{title}}</h1>", "<h1>{{#title}}</h1>")),
    HostileCase(name: "template names a field that does not exist", expected: "Templates/page.mustache:5:5: error: unknown name 'tittle': no view model has this field, so it would render as nothing; did you mean 'title'?",
                mutate: replace("Templates/page.mustache", "<h1>{{title}}</h1>", "<h1>{{tittle}}</h1>")),
    HostileCase(name: "template uses a partial that does not exist", expected: "Templates/situation.mustache:",
                mutate: replace("Templates/situation.mustache", "{{>fact-box}}", "{{>fact-boxx}}")),
    HostileCase(name: "broken internal link", expected: "Content/pages/about.md:4:12: error: broken link '../nowhere/index.html' (on Public/pages/about/index.html): Public/pages/nowhere/index.html does not exist",
                mutate: replace("Content/pages/about.md", "We watch.", "We [watch](../nowhere/index.html).")),
    HostileCase(name: "broken anchor", expected: "Content/pages/about.md:4:12: error: broken link '#nowhere' (on Public/pages/about/index.html): no element with id 'nowhere' on the page",
                mutate: replace("Content/pages/about.md", "We watch.", "We [watch](#nowhere).")),
    HostileCase(name: "symbolic link in the content", expected: "Content/situations/ruritania/evil: error: symbolic links are not followed in the content folder",
                mutate: { _, root in
                    try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("Content/situations/ruritania/evil").path,
                                                               withDestinationPath: "/etc")
                }),
    HostileCase(name: "published update edited without a correction", expected: "\(first):1:1: error: this update was published on 2024-01-10 and its text has changed since",
                mutate: replace(first, "Tension is rising.", "Tension is rising fast.")),
    HostileCase(name: "published update removed", expected: "Content/versions.lock: error: published update 'ruritania/2024-01-10' is missing",
                mutate: { files, _ in files[first] = nil }),
    HostileCase(name: "unknown field fails under --strict", arguments: ["--strict"],
                expected: "Content/site.yaml:4:1: warning: unknown field 'colour' in site.yaml",
                mutate: replace("Content/site.yaml", "paper: Letter", "colour: red")),
    HostileCase(name: "image without alt text fails under --strict", arguments: ["--strict"],
                expected: "\(first):13:1: warning: image without alt text",
                mutate: replace(first, "Tension is rising.", "![](https://example.org/chart.png)")),
    HostileCase(name: "missing section fails under --strict", arguments: ["--strict"],
                expected: "\(first): warning: missing section '## Necessary Action'",
                mutate: replace(first, "## Necessary Action", "## Next steps")),
    HostileCase(name: "output folder is the content folder", arguments: ["--output", "Content"],
                expected: "Content: error: the output folder must not be Content or a folder that contains it",
                mutate: { _, _ in }),
    HostileCase(name: "unknown option is a usage error", arguments: ["--frobnicate"], exit: 64,
                expected: "Error: Unknown option '--frobnicate'", mutate: { _, _ in }),
]

@Suite("Malformed and hostile inputs")
struct HostileInputTests {
    @Test func thereAreAtLeastThirty() {
        #expect(hostileCases.count >= 30)
    }

    @Test(arguments: hostileCases)
    func refusedWithALocatedDiagnostic(_ hostile: HostileCase) throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try CommandLineTests.run(["build"], in: root)
        try #require(good.status == 0, "\(good.stderr)")
        let before = try Fixture.tree(root.appendingPathComponent("Public"))

        // Apply the mutation to the files on disk.
        var files = try Self.textFiles(under: root)
        let original = files
        try hostile.mutate(&files, root)
        for (path, _) in original where files[path] == nil {
            try FileManager.default.removeItem(at: root.appendingPathComponent(path))
        }
        for (path, text) in files where original[path] != text {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var data = Data(text.utf8)
            // "\u{FFFF}" stands for a byte that is not UTF-8.
            data = data.replacing(Data("\u{FFFF}".utf8), with: Data([0xFF]))
            try data.write(to: url)
        }
        for (path, _) in original where files[path] == nil {
            let folder = root.appendingPathComponent(path).deletingLastPathComponent()
            if (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try FileManager.default.removeItem(at: folder)
            }
        }

        let run = try CommandLineTests.run(["build"] + hostile.arguments, in: root)
        #expect(run.status == hostile.exit, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(hostile.expected) }, "\(run.stderr)")
        #expect(try Fixture.tree(root.appendingPathComponent("Public")) == before)
    }

    static func textFiles(under root: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for folder in ["Content", "Templates"] {
            let base = root.appendingPathComponent(folder)
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)!
            for case let url as URL in enumerator where !url.hasDirectoryPath && !url.path.hasSuffix(".css") {
                out[folder + String(url.path.dropFirst(base.path.count))] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        return out
    }

}
