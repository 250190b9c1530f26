import Foundation
import Testing
@testable import DossierCore

@Suite("Front matter and YAML loading")
struct LoadingTests {
    private func split(_ text: String) -> Result<FrontMatter, Diagnostic> {
        FrontMatter.split(SourceFile(path: "u.md", text: text))
    }

    @Test func frontMatterSplitsWithBodyLine() throws {
        let front = try split("---\ndate: 2024-01-01\nheadline: Hi\n---\n## Background\nText\n").get()
        #expect(front.body == "## Background\nText\n")
        #expect(front.bodyStartLine == 5)
        let pairs = try #require(front.yaml.pairs)
        #expect(pairs.map(\.key) == ["date", "headline"])
        // Positions are lines of the whole file, not of the YAML alone.
        #expect(pairs[1].value.location == SourceLocation(file: "u.md", line: 3, column: 11))
        #expect(pairs[0].value.scalar == "2024-01-01")
    }

    @Test func missingFrontMatter() {
        #expect(throws: Diagnostic.error("u.md", line: 1, column: 1,
            "missing front matter: the file must start with a line '---', then YAML fields, then another '---'")) {
            try split("## Background\n").get()
        }
    }

    @Test func unterminatedFrontMatter() {
        #expect(throws: Diagnostic.error("u.md", line: 1, column: 1,
            "front matter is not closed: add a line '---' after the YAML fields")) {
            try split("---\ndate: 2024-01-01\n").get()
        }
    }

    @Test func yamlSyntaxErrorKeepsFileLine() {
        let result = split("---\ndate: 2024-01-01\nheadline: [unclosed\n---\nbody\n")
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.file == "u.md")
        #expect(diagnostic.line >= 3)
        #expect(diagnostic.message.hasPrefix("YAML syntax error"))
    }

    @Test func duplicateKeysAreAnError() {
        let result = YAMLParser.parse("a: 1\na: 2\n", file: "s.yaml")
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.message.contains("'a'"))
    }

    @Test func realFilesAreReadWholeAndFailuresNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for size in [0, 1, 4095, 4096, 4097, 100_000] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let path = folder.appendingPathComponent("f\(size)").path
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(try FileSystem.real.read(path) == bytes, "\(size) bytes")
        }
        #expect(throws: (any Error).self) { try FileSystem.real.read(folder.path) }
        do {
            _ = try FileSystem.real.read(folder.appendingPathComponent("missing.md").path)
            Issue.record("a missing file was read")
        } catch {
            #expect(error.localizedDescription == "No such file or directory")
        }
    }

    /// Values are read as written: no implicit booleans, numbers or dates; only the plain YAML
    /// nulls are null, and a key written twice is a duplicate however it is quoted.
    @Test func valuesStayTextAndOnlyPlainNullsAreNull() throws {
        let node = try YAMLParser.parse("a: yes\nb: 2024-01-10\nc: 0x1F\nd: null\ne: 'null'\nf: NULL\ng: .nan\n", file: "s.yaml").get()
        let pairs = try #require(node.pairs)
        let scalars = pairs.map { pair -> String? in
            if case .scalar(let text, plain: _) = pair.value.value { return text }
            return nil
        }
        #expect(scalars == ["yes", "2024-01-10", "0x1F", nil, "null", nil, ".nan"])
        #expect(pairs.map(\.value.isNull) == [false, false, false, true, false, true, false])
        guard case .failure(let duplicate) = YAMLParser.parse("1: a\n\"1\": b\n", file: "s.yaml") else {
            Issue.record("expected a duplicate key")
            return
        }
        #expect(duplicate.message == "duplicate key '1' in this mapping")
    }

    @Test func quotedAndPlainScalars() throws {
        let node = try YAMLParser.parse("a: '74'\nb: 74\nc:\nd: ~\n", file: "s.yaml").get()
        let pairs = try #require(node.pairs)
        guard case .scalar("74", plain: false) = pairs[0].value.value else { Issue.record("a"); return }
        guard case .scalar("74", plain: true) = pairs[1].value.value else { Issue.record("b"); return }
        #expect(pairs[2].value.isNull)
        #expect(pairs[3].value.isNull)
    }

    @Test func invalidUTF8IsLocated() {
        let data = Data("title: ok\nname: caf".utf8) + Data([0xE9, 0x0A])
        guard case .failure(let diagnostic) = SourceFile.decode(data, path: "s.yaml") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic == .error("s.yaml", line: 2, column: 10, "file is not valid UTF-8 text (save it as UTF-8)"))
    }

    @Test func emptyFileIsAnError() {
        guard case .failure(let diagnostic) = SourceFile.decode(Data("  \n".utf8), path: "s.yaml") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic == .error("s.yaml", "file is empty"))
    }

    @Test func crlfAndBOMAreNormalised() throws {
        let file = try SourceFile.decode(Data([0xEF, 0xBB, 0xBF]) + Data("a: 1\r\nb: 2\r\n".utf8), path: "s.yaml").get()
        #expect(file.text == "a: 1\nb: 2\n")
    }

    @Test func loaderReadsTheWholeFixture() {
        let content = ContentLoader(fileSystem: validSite.fileSystem).load(from: "Content")
        #expect(content.diagnostics.isEmpty)
        #expect(content.site != nil)
        #expect(content.situations.map(\.slug) == ["ruritania"])
        #expect(content.situations[0].updates.map(\.stem) == ["2024-01-10", "2024-06-01", "2024-09-01"])
        #expect(content.pages.map(\.stem) == ["about"])
    }

    @Test func validatorBuildsTypedModels() throws {
        let content = ContentLoader(fileSystem: validSite.fileSystem).load(from: "Content")
        let (site, diagnostics) = ContentValidator().validate(content)
        #expect(diagnostics.isEmpty)
        let model = try #require(site)
        #expect(model.site.baseURL == "https://watch.example.org/reports/")
        #expect(model.site.paper == .letter)
        #expect(model.site.riskLevels.map(\.rank) == [0, 1, 2])
        let situation = try #require(model.situations.first)
        #expect(situation.updates.map(\.date.description) == ["2024-01-10", "2024-06-01", "2024-09-01"])
        #expect(situation.updates.map(\.status) == [.published, .published, .draft])
        #expect(situation.updates[1].corrections == [.init(date: IsoDate("2024-06-03")!, note: "Corrected the name of the province.",
                                                           dateLocation: SourceLocation(file: "Content/situations/ruritania/updates/2024-06-01.md",
                                                                                        line: 7, column: 11))])
        #expect(situation.updates[1].body.startLine == 10)
        #expect(situation.sources.map(\.key) == ["inquiry-2020", "press-2024"])
        #expect(situation.sources[0].date?.long == "March 2020")
        #expect(situation.facts[0].sourceKey == "inquiry-2020")
    }

    @Test(arguments: [
        ("Content/situations/Ruritania/situation.yaml", "situation folder 'Ruritania' is not a valid slug"),
        ("Content/situations/ruritania/updates/2024-02-30.md", "an update's file name must be its date"),
        ("Content/situations/ruritania/updates/notes.txt", "unexpected file here"),
        ("Content/pages/About Us.md", "page name 'About Us' is not a valid slug"),
    ])
    func badNamesAreReportedNotSkipped(path: String, message: String) {
        var files = validSite.files
        files[path] = "---\ntitle: x\n---\n"
        let content = ContentLoader(fileSystem: .memory(text: files)).load(from: "Content")
        #expect(content.diagnostics.contains { $0.message.contains(message) && $0.severity == .error })
    }
}

@Suite("Source addresses")
struct SourceAddressTests {
    /// An address copied without its scheme, as an address bar shows it, is completed in the error's hint.
    @Test(arguments: [("undocs.org/A/HRC/25/63", "https://undocs.org/A/HRC/25/63"),
                      ("www.ohchr.org", "https://www.ohchr.org"),
                      ("//undocs.org/A/RES/79/181", "https://undocs.org/A/RES/79/181")])
    func schemeLessAddressesAreCompleted(text: String, expected: String) {
        #expect(ContentValidator.webAddress(completing: text) == expected)
    }

    /// Anything else gets no guess: other schemes, paths, file names, text.
    @Test(arguments: ["javascript:alert(1)", "data:text/html,x", "mailto:a@example.org", "/reports/a.pdf",
                      "report.pdf", "see the UN site", "example.org:8080/x", ".org/x"])
    func otherTextIsNotGuessed(text: String) {
        #expect(ContentValidator.webAddress(completing: text) == nil)
    }
}

@Suite("Language tags")
struct LanguageTagTests {
    @Test(arguments: ["en", "fr", "pt-BR", "es-419", "zh-Hant-TW", "ast", "sr-Latn", "de-CH-1996", "EN-gb"])
    func tagsAreTaken(tag: String) {
        #expect(ContentValidator.isLanguageTag(tag))
    }

    @Test(arguments: ["English", "e", "en_GB", "en-", "-en", "en--gb", "fr-CanadianFrench", "Francais", "fr CA", "é", "12", ""])
    func namesAndMalformedTagsAreNot(text: String) {
        #expect(!ContentValidator.isLanguageTag(text))
    }
}

@Suite("Dates")
struct DateTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "1999-12-31"])
    func realDates(text: String) {
        #expect(IsoDate(text)?.description == text)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-04-31", "2024-01-01x"])
    func impossibleDates(text: String) {
        #expect(IsoDate(text) == nil)
    }

    @Test func epochRoundTrip() {
        let date = IsoDate("2025-06-16")!
        #expect(IsoDate(epochSeconds: date.epochSeconds) == date)
        #expect(IsoDate("1970-01-02")!.epochSeconds == 86_400)
    }

    @Test func longForms() {
        #expect(IsoDate("2025-06-01")!.long == "1 June 2025")
        #expect(PartialDate("2014-02")?.long == "February 2014")
        #expect(PartialDate("2014-13") == nil)
    }
}
