import Foundation
@testable import DossierCore

/// A site written inline as a text archive of small files, Hugo-style:
///
///     -- Content/site.yaml --
///     title: …
///     -- Content/situations/x/situation.yaml --
///     …
struct Fixture {
    var files: [String: String]

    init(_ archive: String) {
        var files: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        func flush() {
            if let current { files[current] = lines.joined(separator: "\n") + "\n" }
        }
        for line in archive.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- "), line.hasSuffix(" --"), line.count > 6 {
                flush()
                current = String(line.dropFirst(3).dropLast(3))
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        self.files = files
    }

    /// Adds the real templates of the project, so fixtures render with what users get.
    func withProjectTemplates() -> Fixture {
        var copy = self
        let templates = try! Fixture.directory(Fixture.projectRoot, folders: ["Templates"])
        copy.files.merge(templates.files) { own, _ in own }
        return copy
    }

    /// The text files of some folders of a project, e.g. the sample site's `Content` and `Templates`.
    static func directory(_ root: URL, folders: [String]) throws -> Fixture {
        var fixture = Fixture("")
        for folder in folders {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)!
            for case let url as URL in enumerator where !url.hasDirectoryPath {
                fixture.files[String(url.path.dropFirst(root.path.count + 1))] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        return fixture
    }

    func replacing(_ path: String, _ old: String, with new: String) -> Fixture {
        var copy = self
        copy.files[path] = copy.files[path]!.replacingOccurrences(of: old, with: new)
        return copy
    }

    func removing(_ path: String) -> Fixture {
        var copy = self
        copy.files[path] = nil
        return copy
    }

    var fileSystem: FileSystem { .memory(text: files) }

    func generate(drafts: Bool = false, today: String = "2025-01-01") async -> Builder.Result {
        await Builder(fileSystem: fileSystem).generate(
            .init(drafts: drafts, today: IsoDate(today)!))
    }

    /// The fixture loaded, validated and resolved: what the render stage is given.
    func resolve(today: String = "2025-01-01") async -> ResolvedSite? {
        let content = ContentLoader(fileSystem: fileSystem).load(from: "Content")
        guard let site = ContentValidator().validate(content).0 else { return nil }
        return await Resolver(today: IsoDate(today)!).resolve(site).0
    }

    /// Writes the fixture into a fresh temporary folder and returns it.
    func write() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    /// Every file under a folder with its bytes, by path inside the folder.
    static func tree(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            out[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()
}

extension Builder.Result {
    func file(_ path: String) -> String? {
        files.first { $0.path == path }?.text
    }

    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// A small valid site: an invented country with two published updates and a draft.
let validSite = Fixture(#"""
-- Content/site.yaml --
title: Atrocity Watch
base_url: https://watch.example.org/reports
language: en
paper: Letter
organisation:
  name: Atrocity Watch
  address: ["1 Example Street", "Example City"]
risk_levels:
  - id: current-crisis
    label: Current Crisis
    definition: Crimes are occurring.
  - id: imminent-risk
    label: Imminent Risk
    definition: Crimes are likely soon.
  - id: serious-concern
    label: Serious Concern
    definition: Crimes are possible.
sections: [Background, Analysis, Necessary Action]
-- Content/situations/ruritania/situation.yaml --
name: Republic of Ruritania
short_name: Ruritania
region: Europe
populations_at_risk: Civilians in the northern provinces.
facts:
  - label: Inquiry
    value: Report published March 2020
    source: inquiry-2020
  - label: Displaced
    value: Many thousands
-- Content/situations/ruritania/sources.yaml --
inquiry-2020:
  title: Report of the inquiry on Ruritania
  publisher: Example Council
  symbol: A/HRC/00/1
  date: 2020-03
  url: https://docs.example.org/A/HRC/00/1
press-2024:
  title: Statement on the northern provinces
  publisher: Example Office
  date: 2024-05-02
-- Content/situations/ruritania/updates/2024-01-10.md --
---
date: 2024-01-10
risk_level: serious-concern
headline: Tension rises in the northern provinces.
issue: 1
---
## Background

The inquiry found abuses.[@inquiry-2020]

## Analysis

Tension is rising.

## Necessary Action

Talks should resume.
-- Content/situations/ruritania/updates/2024-06-01.md --
---
date: 2024-06-01
risk_level: imminent-risk
headline: Attacks on civilians have begun in the north.
issue: 2
corrections:
  - date: 2024-06-03
    note: Corrected the name of the province.
---
## Background

The inquiry found abuses.[@inquiry-2020, p. 12] A statement followed.[@press-2024; @inquiry-2020]

## Analysis

Attacks began in May.

## Necessary Action

Talks must resume now.
-- Content/situations/ruritania/updates/2024-09-01.md --
---
date: 2024-09-01
risk_level: current-crisis
headline: A draft not yet published.
status: draft
---
## Background

Draft text.

## Analysis

More.

## Necessary Action

Act.
-- Content/pages/about.md --
---
title: About us
---
We watch.
"""#).withProjectTemplates()
