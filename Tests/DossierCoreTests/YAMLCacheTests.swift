import Foundation
import Testing
@testable import DossierCore

/// What the YAML parsed to, kept from one build to the next (`YAMLCache`).
@Suite("The kept YAML")
struct YAMLCacheTests {
    /// Everything a node holds, locations included, as text to compare.
    static func dump(_ node: YAMLNode) -> String {
        let at = "@\(node.location.file):\(node.location.line):\(node.location.column)"
        switch node.value {
        case .null: return "null" + at
        case .scalar(let text, let plain): return (plain ? "plain" : "quoted") + "(\(text))" + at
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key)@\($0.keyLocation.line):\($0.keyLocation.column)=\(dump($0.value))" }
                .joined(separator: ", ") + "}" + at
        case .sequence(let items): return "[" + items.map(dump).joined(separator: ", ") + "]" + at
        }
    }

    static func dump(_ result: Result<YAMLNode, Diagnostic>) -> String {
        switch result {
        case .success(let node): dump(node)
        case .failure(let diagnostic): "failure: \(diagnostic)"
        }
    }

    /// Texts with every kind of node, at the start of a file and after a front matter's `---`.
    static let texts: [(text: String, file: String, lineOffset: Int)] = [
        ("name: Republic of Ruritania\nregion: Europe\nfacts:\n  - label: Displaced\n    value: \"1,200\"\n    source: un-2024\n",
         "Content/situations/ruritania/situation.yaml", 0),
        ("date: 2024-06-01\nrisk_level: imminent-risk\nheadline: 'Attacks began: “now”'\nissue: 7\nsummary: |\n  Two lines\n  of text.\nnote: ~\nempty:\n",
         "Content/situations/ruritania/updates/2024-06-01.md", 1),
        ("[a, b, [c, {d: e}]]", "Content/x.yaml", 0),
        ("plain text", "Content/y.yaml", 0),
        ("", "Content/empty.yaml", 0),
    ]

    @Test func aKeptParseIsTheParseYamsGives() throws {
        let first = YAMLCache()
        for entry in Self.texts {
            let direct = Self.dump(YAMLParser.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset))
            #expect(Self.dump(first.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset)) == direct)
        }
        let bytes = try #require(first.contents())
        let second = YAMLCache(bytes: bytes)
        #expect(second.entryCount == Self.texts.count)
        for entry in Self.texts {
            let direct = Self.dump(YAMLParser.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset))
            #expect(Self.dump(second.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset)) == direct)
        }
        // Every parse was answered from the cache: nothing to write again.
        #expect(second.contents() == nil)
    }

    /// The same text in another file, or starting on another line, is another entry: its nodes
    /// name that file and those lines.
    @Test func anEntryIsForOneFileAndOneStartingLine() throws {
        let text = "title: A\n"
        let first = YAMLCache()
        _ = first.parse(text, file: "a.yaml")
        let cache = YAMLCache(bytes: try #require(first.contents()))
        for (file, lineOffset) in [("a.yaml", 1), ("b.md", 1), ("b.md", 0)] {
            #expect(Self.dump(cache.parse(text, file: file, lineOffset: lineOffset))
                == Self.dump(YAMLParser.parse(text, file: file, lineOffset: lineOffset)))
        }
        #expect(Self.dump(cache.parse(text, file: "b.md", lineOffset: 1)).contains("@b.md:2:1"))
        // Three new entries and no hit: the file to write holds the three, not the one it was read with.
        let next = YAMLCache(bytes: try #require(cache.contents()))
        #expect(next.entryCount == 3)
        _ = next.parse(text, file: "a.yaml")
        #expect(YAMLCache(bytes: try #require(next.contents())).entryCount == 1)
    }

    @Test func aFailedParseIsNeverKept() {
        let cache = YAMLCache()
        let broken = "title: [unclosed\n"
        #expect(Self.dump(cache.parse(broken, file: "site.yaml")) == Self.dump(YAMLParser.parse(broken, file: "site.yaml")))
        #expect(Self.dump(cache.parse(broken, file: "site.yaml")).hasPrefix("failure: "))
        #expect(cache.contents() == nil)
    }

    @Test func aDamagedOrOlderCacheIsReadAsEmpty() throws {
        let first = YAMLCache()
        for entry in Self.texts { _ = first.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset) }
        let bytes = try #require(first.contents())
        #expect(YAMLCache(bytes: bytes).entryCount == Self.texts.count)

        var flipped = bytes
        flipped[flipped.count - 3] ^= 0x20
        var older = bytes
        older.replaceSubrange(0..<YAMLCache.header.count, with: Array("dossier yaml cache dossier-0\n".utf8))
        for damaged in [flipped, older, Array(bytes.dropLast(5)), Array(bytes.prefix(10)), []] {
            let cache = YAMLCache(bytes: damaged)
            #expect(cache.entryCount == 0)
            // Parsed by Yams, as if there were no cache.
            let entry = Self.texts[1]
            #expect(Self.dump(cache.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset))
                == Self.dump(YAMLParser.parse(entry.text, file: entry.file, lineOffset: entry.lineOffset)))
        }
    }

    /// Built twice, the second time with the YAML kept by the first: the same problems, at the same
    /// places in the same files, and the same site.
    @Test func aRebuildReportsYAMLProblemsAsTheFirstBuildDid() async throws {
        let site = PublishTests.withFreedonia(validSite)
            .replacing("Content/situations/ruritania/situation.yaml", "name: Republic of Ruritania",
                       with: "name: Republic of Ruritania\nregoin: Europe")
        let root = try site.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let options = Builder.Options(content: root.appendingPathComponent("Content").path,
                                      templates: root.appendingPathComponent("Templates").path,
                                      output: root.appendingPathComponent("Public").path, today: IsoDate("2025-01-01")!)
        let first = try await Builder().build(options)
        #expect(!first.failed(strict: false), "\(first.diagnostics)")
        let warning = try #require(first.diagnostics.first { $0.message.hasPrefix("unknown field 'regoin'") })
        #expect(warning.line == 2)
        let cachePath = YAMLCache.path(beside: options.output)
        #expect(YAMLCache(contentsOf: cachePath).entryCount > 4)

        // Freedonia's first update corrected: Ruritania's YAML comes from the cache.
        let update = root.appendingPathComponent("Content/situations/freedonia/updates/2024-01-10.md")
        let text = try String(contentsOf: update, encoding: .utf8)
            .replacingOccurrences(of: "Tension is rising.", with: "Tension is rising fast.")
            .replacingOccurrences(of: "issue: 1\n", with: "issue: 1\ncorrections:\n  - date: 2024-01-11\n    note: Pace.\n")
        try Data(text.utf8).write(to: update)
        let kept = YAMLCache(contentsOf: cachePath)
        let second = try await Builder().build(options)
        #expect(!second.failed(strict: false), "\(second.diagnostics)")
        #expect(second.diagnostics.map(\.description) == first.diagnostics.map(\.description))
        // The cache now holds the corrected front matter in place of the old one, and no more:
        // the content's YAML, loaded again, is all answered from it.
        let now = YAMLCache(contentsOf: cachePath)
        #expect(now.entryCount == kept.entryCount)
        _ = ContentLoader(fileSystem: .real, yaml: kept).load(from: options.content)
        #expect(kept.contents() != nil)
        _ = ContentLoader(fileSystem: .real, yaml: now).load(from: options.content)
        #expect(now.contents() == nil)
        // And the site is the one a build from scratch makes.
        let scratch = await Builder().generate(options)
        #expect(scratch.diagnostics.map(\.description) == second.diagnostics.map(\.description))
        let built = try Fixture.tree(root.appendingPathComponent("Public"))
        for file in scratch.files {
            #expect(built["/" + file.path] == file.data, "\(file.path)")
        }
        #expect(built.count == scratch.files.count)
    }
}
