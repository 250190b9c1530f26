import Foundation
import PropertyBased
import Testing
@testable import DossierCore

/// Random text and random mutations of valid files: never a crash, always either a result or a
/// diagnostic that points into the file.
@Suite("Properties")
struct PropertyTests {
    /// Characters that matter to front matter, YAML, Markdown and citations, plus ordinary ones.
    static let alphabet = Array("ab c1@[];,:-_.#*`<>\"'!()\\/&\n\n   ---{}|>é😀\t^=")
    static let text = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 0...300)

    static func isLocated(_ diagnostic: Diagnostic, in file: String, text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return diagnostic.file == file && diagnostic.line >= 0 && diagnostic.line <= max(lines, 1) + 1 && diagnostic.column >= 0
    }

    @Test func markdownNeverCrashesAndLocatesItsProblems() async {
        await propertyCheck(count: 300, input: Self.text) { body in
            let source = MarkdownSource(text: body, file: "u.md", startLine: 1, fullText: body)
            let context = MarkdownRenderer.CitationContext(knownKeys: ["a", "b-1"], sourcesFile: "s.yaml")
            let rendered = MarkdownRenderer().render(source, citations: context)
            for diagnostic in rendered.diagnostics {
                #expect(Self.isLocated(diagnostic, in: "u.md", text: body), "\(diagnostic)")
                #expect(diagnostic.line >= 1)
            }
            #expect(!rendered.html.contains("<script"))
            #expect(rendered.citations.allSatisfy { ["a", "b-1"].contains($0.key) })
        }
    }

    /// Templates' tags are found on bytes: the same tags, names and places as found before,
    /// character by character.
    @Test func templateTagsAreFoundAsBefore() async {
        let piece = Gen<String?>.element(of: ["{{", "}}", "{{{", "}}}", "#", "^", "/", ">", "<", "$", "!", "%", "&", " ", "\t",
                                              "\n", "name", "a.b", "é", "😀", "{", "}", "x"]).map { $0! }
        await propertyCheck(count: 1000, input: piece.array(of: 0...40).map { $0.joined() }) { text in
            let file = SourceFile(path: "t.mustache", text: text)
            let found = TemplateTags.scan(file).map { "\($0.kind) \($0.name) \($0.location.line):\($0.location.column)" }
            let before = Self.referenceScan(file).map { "\($0.kind) \($0.name) \($0.location.line):\($0.location.column)" }
            #expect(found == before, "\(text)")
        }
    }

    /// The scan as it was, character by character with Foundation's searches: the reference.
    static func referenceScan(_ file: SourceFile) -> [TemplateTags.Tag] {
        typealias Tag = TemplateTags.Tag
        typealias Kind = TemplateTags.Kind
        var tags: [Tag] = []
        var line = 1
        var column = 1
        var index = file.text.startIndex
        let text = file.text
        while index < text.endIndex {
            if text[index...].hasPrefix("{{"), let close = text[index...].range(of: "}}") {
                var inner = text[text.index(index, offsetBy: 2)..<close.lowerBound]
                var kind = Kind.variable
                if inner.hasPrefix("{") { inner = inner.dropFirst() }
                switch inner.first {
                case "#": kind = .section
                case "^": kind = .inverted
                case "/": kind = .close
                case ">": kind = .partial
                case "<": kind = .parent
                case "$": kind = .block
                case "!": kind = .comment
                case "%": kind = .pragma
                case "&": kind = .variable
                default: break
                }
                if kind != .variable || inner.first == "&" { inner = inner.dropFirst() }
                let name = inner.trimmingCharacters(in: .whitespaces)
                tags.append(Tag(kind: kind, name: name, location: SourceLocation(file: file.path, line: line, column: column)))
                let end = text.index(close.upperBound, offsetBy: text[close.upperBound...].hasPrefix("}") ? 1 : 0)
                for c in text[index..<end] {
                    if c == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = end
                continue
            }
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        return tags
    }

    /// Heading ids of ASCII text are made from its bytes: the same as scalar by scalar.
    @Test func asciiHeadingIdsAreMadeAsFromScalars() async {
        let ascii = Gen<Character?>.element(of: Array("aZ09 -'_.!?&()\t:/AbcXYZ")).map { $0! }.string(of: 0...40)
        await propertyCheck(count: 500, input: ascii) { text in
            #expect(Slug.make(from: text) == Slug.makeFromScalars(text), "\(text)")
        }
        #expect(Slug.make(from: "Necessary Action") == "necessary-action")
        #expect(Slug.make(from: "Women's rights: 2024 -- now") == "womens-rights-2024-now")
        #expect(Slug.make(from: "!?") == "section")
        #expect(Slug.make(from: "Région d'Élan") == "région-délan")
    }

    /// A heading's id does not depend on how its accents were encoded: composed (`é`) and
    /// decomposed (`e` and a combining accent) give the composed id, and a mark never splits a word.
    @Test func headingIdsAreComposedAndKeepMarksInTheirWord() {
        let composed = "R\u{E9}sum\u{E9} des faits"
        let decomposed = "Re\u{301}sume\u{301} des faits"
        #expect(Array(Slug.make(from: decomposed).unicodeScalars) == Array("r\u{E9}sum\u{E9}-des-faits".unicodeScalars))
        #expect(Array(Slug.make(from: composed).unicodeScalars) == Array("r\u{E9}sum\u{E9}-des-faits".unicodeScalars))
        // Devanagari: the virama (a non-spacing mark) stays inside the word.
        #expect(Slug.make(from: "\u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940} \u{92D}\u{93E}\u{937}\u{93E}")
            == "\u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940}-\u{92D}\u{93E}\u{937}\u{93E}")
        // A mark with no letter before it is dropped, not made a word of its own.
        #expect(Slug.make(from: "\u{301} Background") == "background")
    }

    /// A citation's word in a redline's text reads back as what it cites, and text around it,
    /// any stray marker included, comes back as written.
    @Test func citationTokensReadBackAndLeaveTextAsWritten() async {
        let items = [CitationToken.Item(key: "coi-2014", locator: "p. 12,\tpara 3"), .init(key: "ohchr-2023", locator: nil)]
        var bytes = CitationToken.token(items.map { ($0.key, $0.locator) })
        bytes[2] = CitationToken.gluedByte
        let token = String(decoding: bytes, as: UTF8.self)
        #expect(!token.utf8.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        #expect(CitationToken.pieces(of: "state. " + token + " The") == [
            .text("state. "), .citation(glued: true, items: [.init(key: "coi-2014", locator: "p. 12, para 3"), items[1]]), .text(" The"),
        ])
        let piece = Gen<String?>.element(of: ["a", " ", "\u{E000}", "\u{E001}", "\u{E002}", "\u{E003}", "\u{E004}", "k", "é"]).map { $0! }
        await propertyCheck(count: 500, input: piece.array(of: 0...12).map { $0.joined() }) { text in
            // Whatever it reads, the text pieces are the text's own, in order, and nothing is lost
            // but whole tokens.
            var rest = Substring(text)
            for piece in CitationToken.pieces(of: text) {
                if case .text(let part) = piece {
                    guard let range = rest.range(of: part) else { Issue.record("\(part) not in \(rest)"); return }
                    rest = rest[range.upperBound...]
                }
            }
            if !text.unicodeScalars.contains(CitationToken.close) {
                #expect(CitationToken.pieces(of: text) == (text.isEmpty ? [] : [.text(text[...])]))
            }
        }
    }

    /// Pages are scanned for links without being parsed: on any bytes, the scan and the making
    /// of links relative end, and every value they find lies within the page.
    @Test func linkScansEndOnAnyText() async {
        let piece = Gen<String?>.element(of: ["<a", "<p>", ">", " href=", " src=", " id=", "=", "\"", "'", "/x/", "#y", "a", " ", "\n", "é"])
            .map { $0! }
        await propertyCheck(count: 1000, input: piece.array(of: 0...30).map { $0.joined() }) { html in
            var bytes = html
            let scan = bytes.withUTF8 { LinkChecker.scan(UnsafeRawBufferPointer($0)) }
            for value in scan.links + scan.ids {
                #expect(value.isEmpty || html.contains(value), "\(value) in \(html)")
            }
            let relative = RootLinks.relative(html, root: "../", printedBase: "https://example.org/")
            #expect(relative.count >= html.count || !RootLinks.present(in: html))
        }
    }

    /// A link to a folder is told from its path's last byte when the link is ASCII: the same
    /// answer as the rule on characters, for ASCII links and others.
    @Test func folderPagesAreFoundAsOnCharacters() async {
        let piece = Gen<String?>.element(of: ["/", ".", "..", "?", "#", "a", "index.html", "é", "\u{301}", "x/", "?q=1", "#id"])
            .map { $0! }
        await propertyCheck(count: 1000, input: piece.array(of: 0...8).map { $0.joined() }) { link in
            let pathEnd = link.firstIndex { $0 == "?" || $0 == "#" } ?? link.endIndex
            let path = link[..<pathEnd]
            let expected: String? = path.hasSuffix("/") ? path + "index.html" + link[pathEnd...]
                : LinkPolicy.endsInDots(path) ? path + "/index.html" + link[pathEnd...] : nil
            #expect(LinkPolicy.folderPage(of: link) == expected, "\(link)")
        }
        #expect(LinkPolicy.folderPage(of: "situations/x/#a") == "situations/x/index.html#a")
        #expect(LinkPolicy.folderPage(of: "../..?q") == "../../index.html?q")
        #expect(LinkPolicy.folderPage(of: "../index.html#a/") == nil)
        #expect(LinkPolicy.folderPage(of: "#top") == nil)
    }

    /// Plain text set with smart punctuation changes quotes, dashes and dots and nothing else:
    /// turned back, every character is where it was, whatever Markdown the text resembles.
    @Test func typesetTextChangesOnlyItsPunctuation() async {
        let pieces: [String] = "ab 1-.\"'*_`#>+<&;[]()!\\/=~|{}^:@é😀\n\t".map { String($0) }
            + ["1. ", "- ", "--", "...", "&amp;", "<b>", "    "]
        let text = Gen<String?>.element(of: pieces).map { $0! }.array(of: 0...40).map { $0.joined() }
        await propertyCheck(count: 500, input: text) { plain in
            let set = MarkdownRenderer.smartPunctuation(plain)
            var back = ""
            for character in set {
                switch character {
                case "‘", "’": back += "'"
                case "“", "”": back += "\""
                case "–": back += "--"
                case "—": back += "---"
                case "…": back += "..."
                default: back.append(character)
                }
            }
            #expect(back == plain, "\(plain.debugDescription) → \(set.debugDescription)")
        }
    }

    /// The length of a longest common subsequence, by the textbook table: the yardstick for `Diff`.
    static func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for j in 0..<b.count {
                let above = row[j + 1]
                row[j + 1] = x == b[j] ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }

    /// What a shortest edit keeps: the same sequence on both sides, and as long as a common
    /// subsequence of the two can be (`lcs`, from the table).
    static func expectShortestEdit<T: Equatable>(_ a: [T], _ b: [T], removed: [Bool], inserted: [Bool], lcs: Int,
                                                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(removed.count == a.count && inserted.count == b.count, sourceLocation: sourceLocation)
        guard removed.count == a.count, inserted.count == b.count else { return }
        let keptA = a.indices.filter { !removed[$0] }.map { a[$0] }
        let keptB = b.indices.filter { !inserted[$0] }.map { b[$0] }
        #expect(keptA == keptB, sourceLocation: sourceLocation)
        #expect(keptA.count == lcs, sourceLocation: sourceLocation)
    }

    @Test func diffKeepsALongestCommonSubsequence() async {
        // Small alphabets make many repeats, where a diff is easiest to get wrong.
        let tokens = Gen<Int32>.int32(in: 0...3).array(of: 0...40)
        await propertyCheck(count: 500, input: tokens, tokens) { a, b in
            let (removed, inserted) = Diff.changes(a, b)
            Self.expectShortestEdit(a, b, removed: removed, inserted: inserted, lcs: Self.lcsLength(a, b))
        }
    }

    @Test func diffKeepsALongestCommonSubsequenceOfLongTexts() async {
        // Past 64 elements a row spans several machine words and the sum carries between them.
        let tokens = Gen<Int32>.int32(in: 0...5).array(of: 60...300)
        await propertyCheck(count: 150, input: tokens, tokens) { a, b in
            let (removed, inserted) = Diff.changes(a, b)
            Self.expectShortestEdit(a, b, removed: removed, inserted: inserted, lcs: Self.lcsLength(a, b))
        }
    }

    @Test func paragraphChangesKeepALongestCommonSubsequence() async {
        // Paragraphs equal at either end are matched by their text, the rest by the diff: together
        // still a shortest edit.
        let paragraphs = Gen<Character?>.element(of: Array("abc")).map { String($0!) }.array(of: 0...12)
        await propertyCheck(count: 500, input: paragraphs, paragraphs) { before, after in
            let (removed, inserted) = Redline.paragraphChanges(before, after)
            let id = { (text: String) in Int32(text.unicodeScalars.first!.value) }
            Self.expectShortestEdit(before, after, removed: removed, inserted: inserted,
                                    lcs: Self.lcsLength(before.map(id), after.map(id)))
        }
    }

    @Test func wordRunsRebuildBothTexts() async {
        let words = Gen<Character?>.element(of: Array("abc")).map { $0! }.string(of: 1...2).array(of: 0...25)
        await propertyCheck(count: 300, input: words, words) { before, after in
            let runs = Redline.diff(before.joined(separator: " "), after.joined(separator: " "))
            let old = runs.filter { $0.change != .inserted }.map(\.text).joined(separator: " ")
            let new = runs.filter { $0.change != .deleted }.map(\.text).joined(separator: " ")
            #expect(old == before.joined(separator: " "))
            #expect(new == after.joined(separator: " "))
        }
    }

    @Test func wordRunsKeepNoEqualStretchShorterThanTheChangesAroundIt() async {
        // After folding, an unchanged run between changes is at least as long (in words) as the
        // larger side of the change before it or of the change after it.
        let words = Gen<Character?>.element(of: Array("abcd")).map { String($0!) }.array(of: 0...40)
        await propertyCheck(count: 300, input: words, words) { before, after in
            let runs = Redline.diff(before.joined(separator: " "), after.joined(separator: " "))
            func count(_ run: Redline.Run) -> Int { run.text.split(separator: " ").count }
            // The larger side of the change that ends at `end` (exclusive) or starts at `start`.
            func change(_ indices: some Sequence<Int>) -> Int {
                var removed = 0, inserted = 0
                for index in indices {
                    guard runs[index].change != .unchanged else { break }
                    if runs[index].change == .deleted { removed += count(runs[index]) } else { inserted += count(runs[index]) }
                }
                return max(removed, inserted)
            }
            for (index, run) in runs.enumerated() where run.change == .unchanged {
                let left = change(stride(from: index - 1, through: 0, by: -1))
                let right = change((index + 1)..<runs.count)
                #expect(count(run) >= left || count(run) >= right, "\(runs)")
            }
        }
    }

    @Test func redlineSectionsKeepEveryWordOfBothTexts() async {
        // Paragraphs of a few short words, some repeated, some the same text in another form
        // (é precomposed and decomposed): the runs of a section give back each text's words in
        // order, and the counts are the words marked.
        let word = Gen<String?>.element(of: ["a", "b", "c", "é", "e\u{301}", "a,"]).map { $0! }
        let paragraphs = word.array(of: 1...6).map { $0.joined(separator: " ") }.array(of: 0...6)
        await propertyCheck(count: 400, input: paragraphs, paragraphs) { before, after in
            let section = Redline.compare(before, after, title: "T", id: "t")
            let runs = section.paragraphs.flatMap { $0 }
            func words(_ runs: [Redline.Run]) -> [String] { runs.flatMap { $0.text.split(separator: " ").map(String.init) } }
            #expect(words(runs.filter { $0.change != .inserted }) == before.flatMap { $0.split(separator: " ").map(String.init) })
            #expect(words(runs.filter { $0.change != .deleted }) == after.flatMap { $0.split(separator: " ").map(String.init) })
            #expect(section.wordsInserted == words(runs.filter { $0.change == .inserted }).count)
            #expect(section.wordsDeleted == words(runs.filter { $0.change == .deleted }).count)
            #expect((section.status == .unchanged) == (before == after))
        }
        // A paragraph split in two, or two joined, changes no word but does change the section.
        #expect(Redline.compare(["a b"], ["a", "b"], title: "T", id: "t").status == .changed)
        #expect(Redline.compare(["a", "b"], ["a b"], title: "T", id: "t").status == .changed)
    }

    @Test func wordsSplitOnWhitespaceBytesOnly() async {
        let piece = Gen<String?>.element(of: ["a", "bc", " ", "  ", "\n", "\t", "\r\n", "é", "e\u{301}", " \u{301}", "👩‍⚖️", "—", "\u{A0}"])
            .map { $0! }
        let texts = piece.array(of: 0...12).map { $0.joined() }
        await propertyCheck(count: 1000, input: texts) { text in
            // The plain rule: runs of bytes between ASCII spaces, tabs and line ends.
            let expected = text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D })
                .map { String(Substring($0)) }
            var buffer = WordBuffer()
            let words = buffer.append([text]).map { buffer.text(of: [$0]) }
            #expect(words == expected, "\(text.debugDescription)")
        }
    }

    @Test func citationSyntaxGroupsAreWellFormed() async {
        await propertyCheck(count: 500, input: Self.text) { text in
            let count = text.utf8.count
            for group in CitationSyntax.groups(in: text) {
                #expect(group.range.lowerBound >= 0 && group.range.upperBound <= count)
                #expect(!group.items.isEmpty)
                #expect(group.items.allSatisfy { !$0.key.isEmpty && isCitationKey($0.key) })
            }
        }
    }

    @Test func frontMatterIsParsedOrLocated() async {
        await propertyCheck(count: 300, input: Self.text) { text in
            let file = SourceFile(path: "u.md", text: "---\n" + text)
            switch FrontMatter.split(file) {
            case .success(let front):
                #expect(front.bodyStartLine >= 3)
            case .failure(let diagnostic):
                #expect(Self.isLocated(diagnostic, in: "u.md", text: file.text), "\(diagnostic)")
                #expect(diagnostic.line >= 1)
            }
        }
    }

    /// The front matter split by the plainest reading of its rule: lines, the first `---`, the next `---` or `...`.
    static func splitByLines(_ text: String) -> (yaml: String, body: String, bodyStartLine: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func trimmed(_ line: Substring) -> Substring { line.trimmingTrailingSpaces() }
        guard let first = lines.first, trimmed(first) == "---",
              let close = lines.dropFirst().firstIndex(where: { ["---", "..."].contains(trimmed($0)) }) else { return nil }
        return (lines[1..<close].joined(separator: "\n"), lines[(close + 1)...].joined(separator: "\n"), close + 2)
    }

    @Test func frontMatterSplitMatchesTheLineByLineReading() async {
        let pieces = Gen<String?>.element(of: ["---", "--- ", "...", "a: 1", "b: x y", "", "text", "## H", "é 😀", "---\t"])
            .map { $0! }.array(of: 0...12)
        await propertyCheck(count: 500, input: pieces) { lines in
            let text = lines.joined(separator: "\n")
            let file = SourceFile(path: "u.md", text: text)
            let expected = Self.splitByLines(text)
            switch FrontMatter.split(file) {
            case .success(let front):
                #expect(String(front.body) == expected?.body)
                #expect(front.bodyStartLine == expected?.bodyStartLine)
            case .failure(let diagnostic):
                // Either there is no front matter by the rule, or its YAML is what failed.
                if let expected {
                    #expect(YAMLParser.parse(expected.yaml, file: "u.md", lineOffset: 1).isFailure, "\(diagnostic)")
                }
            }
        }
    }

    @Test func concurrentMapKeepsOrder() {
        let numbers = Array(0..<1000)
        #expect(numbers.concurrentMap { $0 * 3 } == numbers.map { $0 * 3 })
        #expect([Int]().concurrentMap { $0 }.isEmpty)
        #expect([7].concurrentMap { $0 + 1 } == [8])
    }

    @Test func mutatedUpdatesBuildOrFailWithALocatedDiagnostic() async {
        let path = "Content/situations/ruritania/updates/2024-06-01.md"
        let original = validSite.files[path]!
        // A mutation of a valid update: delete a stretch, insert random text, or both.
        await propertyCheck(count: 60, input: Gen.int(in: 0...400), Gen.int(in: 0...20), Self.text) { at, deleting, inserted in
            var chars = Array(original)
            let start = min(at, chars.count)
            chars.replaceSubrange(start..<min(start + deleting, chars.count), with: Array(inserted))
            var site = validSite
            site.files[path] = String(chars)
            let result = await site.generate()
            if result.errors.isEmpty {
                #expect(!result.files.isEmpty)
            } else {
                #expect(result.files.isEmpty)
                for error in result.errors {
                    #expect(error.file.hasPrefix("Content/") || error.file.hasPrefix("Public/"), "\(error)")
                }
                // A problem in the mutated file points at a line of it.
                for error in result.errors where error.file == path {
                    #expect(Self.isLocated(error, in: path, text: String(chars)), "\(error)")
                }
            }
        }
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
