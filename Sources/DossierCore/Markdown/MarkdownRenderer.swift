import CCmark
import Foundation

/// The Markdown boundary: CommonMark through libcmark, plus our own passes on the parsed tree
/// (raw HTML and unsafe links removed, citations numbered, level-2 headings given ids).
/// This is the only file that touches libcmark's C pointers; each allocation is freed beside it.
public struct MarkdownRenderer: Sendable {
    public struct Options: Sendable, Hashable {
        /// Pass author raw HTML through (site.yaml `unsafe_html: true`).
        public var unsafeHTML: Bool
        /// Whether links relative to the page (`../x/`) are allowed. An update's text appears on
        /// pages at different depths (latest page, snapshot, print views), so no such link can be
        /// right on all of them: there, links within the site start from its root (`/x/`).
        public var relativeLinks: Bool
        /// Ids of the page around the body, which a heading's id steps past as it steps past an
        /// earlier heading's (`main` becomes `main-2`).
        public var reservedIDs: ReservedIDs
        public init(unsafeHTML: Bool = false, relativeLinks: Bool = true, reservedIDs: ReservedIDs = .none) {
            self.unsafeHTML = unsafeHTML
            self.relativeLinks = relativeLinks
            self.reservedIDs = reservedIDs
        }
    }

    /// How citations are handled: nil leaves `[@key]` as text (`dossier markdown`).
    public struct CitationContext: Sendable {
        public var knownKeys: Set<String>
        /// Where the keys are defined, for the message about an unknown one.
        public var sourcesFile: String
        /// False for a plain page, which has no sources: a citation there stays as written, with
        /// a warning saying so.
        public var hasSources: Bool
        public init(knownKeys: Set<String>, sourcesFile: String, hasSources: Bool = true) {
            self.knownKeys = knownKeys
            self.sourcesFile = sourcesFile
            self.hasSources = hasSources
        }

        /// A plain page's: no sources to cite.
        public static let plainPage = CitationContext(knownKeys: [], sourcesFile: "", hasSources: false)
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func render(_ source: MarkdownSource, citations: CitationContext? = nil) -> RenderedMarkdown {
        // Parsed from the body's own UTF-8 bytes where they are (the file's text), not a copy.
        var text = source.text
        let (parsed, hasPipe) = text.withUTF8 { buffer in
            let document = buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, CMARK_OPT_SMART)
                }
            } ?? cmark_parse_document("", 0, CMARK_OPT_SMART)
            return (document, buffer.baseAddress.map { memchr($0, 0x7C, buffer.count) != nil } ?? false)
        }
        guard let document = parsed else {
            return RenderedMarkdown(html: "", sections: [], citations: [], citedKeys: [],
                                    diagnostics: [.error(source.file, "the Markdown parser could not allocate memory")])
        }
        defer { cmark_node_free(document) }

        var pass = TreePass(source: source, options: options, citations: citations)
        pass.sanitize(document)
        // Most bodies have no `|`, so most never look for tables.
        if hasPipe {
            pass.findTables(document)
        }
        if citations != nil { pass.replaceCitations(document) }
        pass.identifyHeadings(document)
        let (sections, leading) = pass.sections(of: document)
        let leadingText = leading.map { pass.location(of: $0) }
        let html = Self.html(of: document)
        return RenderedMarkdown(html: html, sections: sections, citations: pass.uses,
                                citedKeys: pass.citedKeys, diagnostics: pass.diagnostics,
                                linksFromRoot: RootLinks.present(in: html), leadingText: leadingText)
    }

    /// Plain text (a headline, a name, a fact) with the punctuation libcmark gives a body:
    /// curly quotes and apostrophes, en and em dashes from `--` and `---`, ellipses from `...`.
    /// Nothing else changes: every other ASCII punctuation mark is escaped before parsing, so
    /// no Markdown syntax takes effect, and each line's surrounding spaces are kept.
    public static func smartPunctuation(_ text: String) -> String {
        let bytes = Array(text.utf8)
        // Most text has nothing the rules would change: found on the bytes, it is returned as it is.
        var wanted = false
        for (index, byte) in bytes.enumerated() where byte == 0x27 || byte == 0x22
            || (index > 0 && (byte == 0x2D || byte == 0x2E) && bytes[index - 1] == byte) {
            wanted = true
            break
        }
        guard wanted else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var lineStart = 0
        while lineStart <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            smartLine(bytes[lineStart..<lineEnd], into: &out)
            if lineEnd < bytes.count { out.append(0x0A) }
            lineStart = lineEnd + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func smartLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        let first = line.firstIndex { !isSpace($0) } ?? line.endIndex
        let end = (line[first...].lastIndex { !isSpace($0) }).map { $0 + 1 } ?? first
        let text = line[first..<end]
        // A line of dashes alone would be a rule in a body; as text it stays as written.
        guard text.contains(where: { $0 != 0x2D && !isSpace($0) }) else {
            out += line
            return
        }
        // A dash and a space open a list item.
        let opensList = text.count > 1 && text.first == 0x2D && isSpace(text[text.startIndex + 1])
        var markdown: [UInt8] = []
        markdown.reserveCapacity(text.count * 2)
        var leadingDigits = true
        for (offset, byte) in text.enumerated() {
            let isPunctuation = (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte)
                || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
            // Quotes, dashes and dots are what the smart rules read; a dash that would open a
            // list, or a dot after leading digits (an ordered list), is escaped all the same.
            let smart = byte == 0x27 || byte == 0x22 || (byte == 0x2D && !(opensList && offset == 0))
                || (byte == 0x2E && !(leadingDigits && offset > 0))
            if isPunctuation && !smart { markdown.append(0x5C) }
            markdown.append(byte)
            leadingDigits = leadingDigits && (0x30...0x39).contains(byte)
        }
        let set: [UInt8]? = markdown.withUnsafeBufferPointer { buffer in
            guard let document = buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count, {
                cmark_parse_document($0, buffer.count, CMARK_OPT_SMART)
            }) else { return nil }
            defer { cmark_node_free(document) }
            // One paragraph of text nodes is all an escaped line can make; anything else keeps the line as written.
            guard let paragraph = cmark_node_first_child(document), cmark_node_next(paragraph) == nil,
                  cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { return nil }
            var set: [UInt8] = []
            set.reserveCapacity(text.count + 16)
            var child = cmark_node_first_child(paragraph)
            while let node = child {
                guard cmark_node_get_type(node) == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node) else { return nil }
                set += UnsafeRawBufferPointer(start: literal, count: strlen(literal))
                child = cmark_node_next(node)
            }
            return set
        }
        guard let set else {
            out += line
            return
        }
        out += line[line.startIndex..<first]
        out += set
        out += line[end..<line.endIndex]
    }

    fileprivate static func html(of node: OpaquePointer) -> String {
        // Author HTML was removed from the tree already unless allowed, and link targets checked,
        // so the renderer's own filter would only mangle our citation and heading markup.
        guard let pointer = cmark_render_html(node, CMARK_OPT_UNSAFE) else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// Walks and edits one parsed document. Holds borrowed node pointers only while rendering.
private struct TreePass {
    let source: MarkdownSource
    let options: MarkdownRenderer.Options
    let citations: MarkdownRenderer.CitationContext?
    var diagnostics: [Diagnostic] = []
    var uses: [CitationUse] = []
    var citedKeys: [String] = []
    var headingIDs: Set<String> = []
    /// What each citation put in the tree stands for in a redline's text (`CitationToken`, as
    /// if white space came before it), one after another in one buffer; a citation's node holds
    /// its number here, plus one, as its user data.
    var citationTokens = CitationToken.Store()
    /// Byte offsets where each line of the file starts, found when a location is first needed.
    lazy var lineStarts: [Int] = {
        var starts = [0]
        var text = source.fullText
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count, let newline = memchr(base + offset, 0x0A, bytes.count - offset) {
                offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline)) + 1
                starts.append(offset)
            }
        }
        return starts
    }()

    init(source: MarkdownSource, options: MarkdownRenderer.Options, citations: MarkdownRenderer.CitationContext?) {
        self.source = source
        self.options = options
        self.citations = citations
    }

    // MARK: walking

    /// Visits `root` and every node under it in document order; the tree must not change meanwhile.
    func visit(_ root: OpaquePointer, _ body: (OpaquePointer) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            body(node)
        }
    }

    /// Nodes in document order, collected first so the tree can be edited afterwards.
    func nodes(under root: OpaquePointer, where include: (OpaquePointer) -> Bool) -> [OpaquePointer] {
        var found: [OpaquePointer] = []
        visit(root) { node in if include(node) { found.append(node) } }
        return found
    }

    func children(of node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            out.append(current)
            child = cmark_node_next(current)
        }
        return out
    }

    func type(_ node: OpaquePointer) -> cmark_node_type { cmark_node_get_type(node) }

    func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    func url(_ node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    /// Where a node starts in the file (cmark counts bytes; we report characters).
    /// - Parameter skipping: how many earlier occurrences of `needle` in the node to pass over.
    mutating func location(of node: OpaquePointer, searching needle: String? = nil, skipping: Int = 0) -> SourceLocation {
        let bodyLine = Int(cmark_node_get_start_line(node))
        let byteColumn = Int(cmark_node_get_start_column(node))
        let fileLine = max(1, bodyLine) + source.startLine - 1
        // At the start of its line (every heading but an indented one): no need to find the line.
        if needle == nil, bodyLine > 0, byteColumn == 1 {
            return SourceLocation(file: source.file, line: fileLine, column: 1)
        }
        guard bodyLine > 0, fileLine <= lineStarts.count else {
            return SourceLocation(file: source.file, line: source.startLine, column: 1)
        }
        let all = source.fullText.utf8
        let lineStart = all.index(all.startIndex, offsetBy: lineStarts[fileLine - 1])
        let lineEnd = fileLine < lineStarts.count ? all.index(all.startIndex, offsetBy: lineStarts[fileLine] - 1) : all.endIndex
        let text = source.fullText[lineStart..<lineEnd]
        let utf8 = text.utf8
        var start = utf8.index(utf8.startIndex, offsetBy: max(0, min(byteColumn - 1, utf8.count)))
        if let needle {
            let bytes = Array(needle.utf8)
            var from = start
            for _ in 0...skipping {
                guard let found = Self.firstIndex(of: bytes, in: utf8[from...]) else { break }
                start = found
                from = utf8.index(after: found)
            }
        }
        // cmark counts bytes; an editor's column counts characters.
        return SourceLocation(file: source.file, line: fileLine, column: text[text.startIndex..<start].count + 1)
    }

    /// Where `needle` first occurs in `bytes`, by bytes.
    static func firstIndex(of needle: [UInt8], in bytes: Substring.UTF8View.SubSequence) -> String.Index? {
        guard let first = needle.first else { return bytes.startIndex }
        var index = bytes.startIndex
        while let candidate = bytes[index...].firstIndex(of: first) {
            if bytes[candidate...].starts(with: needle) { return candidate }
            index = bytes.index(after: candidate)
        }
        return nil
    }

    /// A node's text. With `citations`, each citation stands in it as a `CitationToken` (for
    /// a redline's comparison); without, citations leave no text (a heading's title and id).
    func plainText(_ node: OpaquePointer, citations: Bool = false) -> String {
        // Copied straight from cmark's strings into the String, once its length is known.
        enum Part {
            case text(UnsafeRawBufferPointer)
            /// A line break, which becomes a space.
            case space
            /// A citation's token, by its number in `citationTokens`.
            case citation(Int, glued: Bool)
        }
        var parts: [Part] = []
        parts.reserveCapacity(16)
        var count = 0
        var lastByte: UInt8 = 0x20
        visit(node) { child in
            switch type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let text = cmark_node_get_literal(child) {
                    let part = UnsafeRawBufferPointer(start: text, count: strlen(text))
                    parts.append(.text(part))
                    count += part.count
                    if let last = part.last { lastByte = last }
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                parts.append(.space)
                count += 1
                lastByte = 0x20
            case CMARK_NODE_CUSTOM_INLINE where citations:
                guard let number = cmark_node_get_user_data(child).map({ Int(bitPattern: $0) - 1 }),
                      citationTokens.ends.indices.contains(number) else { break }
                // A token is a word of its own: after text it is written against, a space comes
                // before it, and the token says it was glued so the page can show it so.
                let glued = !(lastByte == 0x20 || lastByte == 0x09 || lastByte == 0x0A)
                parts.append(.citation(number, glued: glued))
                count += citationTokens.range(number).count + (glued ? 1 : 0)
                lastByte = 0x82
            default: break
            }
        }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            for part in parts {
                switch part {
                case .space:
                    buffer[at] = 0x20
                    at += 1
                case .text(let bytes):
                    UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[at...])).copyMemory(from: bytes)
                    at += bytes.count
                case .citation(let number, let glued):
                    if glued {
                        buffer[at] = 0x20
                        at += 1
                    }
                    let token = citationTokens.bytes[citationTokens.range(number)]
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[at...]).initialize(fromContentsOf: token)
                    if glued { buffer[at + 2] = CitationToken.gluedByte }
                    at += token.count
                }
            }
            return at
        }
    }

    /// A node's address, as a dictionary key.
    static func key(_ node: OpaquePointer) -> UInt {
        UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(node)))
    }

    // MARK: tables

    /// A paragraph whose second line is a table's delimiter row (`|---|:--:|`), as GitHub's
    /// Markdown writes tables: CommonMark has none, so the editor is told why it shows as text.
    mutating func findTables(_ document: OpaquePointer) {
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)
        for paragraph in nodes(under: document, where: { type($0) == CMARK_NODE_PARAGRAPH }) {
            let first = Int(cmark_node_get_start_line(paragraph))
            guard first >= 1, first < lines.count, lines[first - 1].contains("|"), Self.isDelimiterRow(lines[first]) else { continue }
            diagnostics.append(.warning(at: location(of: paragraph),
                "this looks like a table, which CommonMark does not have, so it is shown as text: write the rows as a list, "
                + "or put figures in the fact box (facts in situation.yaml)"))
        }
    }

    /// `| --- | :---: |`, `---|---`: cells of dashes with optional colons, split by pipes.
    static func isDelimiterRow(_ line: Substring) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("|") else { return false }
        var cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.first == "" { cells.removeFirst() }
        if cells.last == "" { cells.removeLast() }
        guard !cells.isEmpty else { return false }
        return cells.allSatisfy { cell in
            let dashes = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
            return !dashes.isEmpty && dashes.allSatisfy { $0 == "-" }
        }
    }

    // MARK: sanitizing

    /// Removes author HTML (unless allowed), unwraps links with unsafe targets, drops unsafe images.
    mutating func sanitize(_ document: OpaquePointer) {
        let candidates = nodes(under: document) { node in
            let kind = cmark_node_get_type(node)
            return kind == CMARK_NODE_HTML_BLOCK || kind == CMARK_NODE_HTML_INLINE
                || kind == CMARK_NODE_LINK || kind == CMARK_NODE_IMAGE
        }
        for node in candidates {
            let kind = type(node)
            // `[^1]` with a one-word definition (`[^1]: Source.`) is a CommonMark link to "Source.":
            // shown as written, like any other footnote mark.
            if kind == CMARK_NODE_LINK, case let text = plainText(node), text.hasPrefix("^"), text.count > 1, !text.contains(" ") {
                diagnostics.append(.warning(at: location(of: node), "'[\(text)]' looks like a footnote, which CommonMark does not have, "
                    + "so its definition became a link to '\(url(node))': cite a source with [@key], or put the note in the text"))
                replaceWithText(node, "[\(text)]")
                continue
            }
            // A link's target and its scheme, read once.
            let isLink = kind == CMARK_NODE_LINK || kind == CMARK_NODE_IMAGE
            let target = isLink ? url(node) : ""
            let scheme = isLink ? LinkPolicy.scheme(of: target) : nil
            let relative = isLink && LinkPolicy.isRelativeToPage(target, scheme: scheme)
            if relative, !options.relativeLinks {
                diagnostics.append(.error(at: location(of: node, searching: target),
                    "link '\(target)' is relative to the page, but an update's text appears on pages at different depths (the latest page, its snapshot, the print views): start it from the site's root, as in '/situations/…/' or '/pages/…/'"))
                continue
            }
            switch kind {
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                if !options.unsafeHTML {
                    // A comment is a note to other editors, meant not to show; a closing tag was
                    // reported with its opening one.
                    let html = literal(node).trimmingSpaces()
                    if !html.hasPrefix("<!--"), !html.hasPrefix("</") {
                        let tag = html.prefix { $0 != "\n" }.prefix(40)
                        diagnostics.append(.warning(at: location(of: node),
                            "raw HTML '\(tag)' is left out of the page: write it in Markdown, or set unsafe_html: true in site.yaml"))
                    }
                    cmark_node_free(node)
                }
            case CMARK_NODE_LINK:
                if !LinkPolicy.isSafe(scheme: scheme) {
                    let here = location(of: node)
                    diagnostics.append(.warning(at: here, "link target '\(target)' is not allowed and was removed (only http, https, mailto and relative links)"))
                    for child in children(of: node) { cmark_node_insert_before(node, child) }
                    cmark_node_free(node)
                } else if scheme == "http" {
                    diagnostics.append(.warning(at: location(of: node), "external link without https: '\(target)'"))
                } else if relative, let page = LinkPolicy.folderPage(of: target) {
                    // As links from the site's root are (`RootLinks`): opened from the file
                    // system, a link to a folder shows a list of its files.
                    cmark_node_set_url(node, page)
                }
            case CMARK_NODE_IMAGE:
                let alt = plainText(node).trimmingSpaces()
                if !LinkPolicy.isSafe(scheme: scheme) {
                    diagnostics.append(.warning(at: location(of: node), "image source '\(target)' is not allowed and was removed"))
                    replaceWithText(node, alt)
                } else if alt.isEmpty {
                    diagnostics.append(.warning(at: location(of: node), "image without alt text: describe it in the brackets, ![description](\(target))"))
                }
            default:
                break
            }
        }
    }

    func replaceWithText(_ node: OpaquePointer, _ text: String) {
        if !text.isEmpty, let replacement = cmark_node_new(CMARK_NODE_TEXT) {
            cmark_node_set_literal(replacement, text)
            cmark_node_insert_before(node, replacement)
        }
        cmark_node_free(node)
    }

    // MARK: citations

    /// Finds `[@key…]` in runs of adjacent text (cmark splits brackets into their own text nodes)
    /// and replaces each with a numbered note reference. Code spans and link texts stay untouched.
    mutating func replaceCitations(_ document: OpaquePointer) {
        // The containers of inline text, and whether each is a link's text (or an image's
        // description), which may hold no note: the note is a link, and a link holds no other.
        var inLinks: [Bool] = []
        let containers = nodes(under: document) { node in
            guard let first = cmark_node_first_child(node) else { return false }
            let kind = cmark_node_get_type(first)
            let isInline = kind.rawValue >= CMARK_NODE_FIRST_INLINE.rawValue && kind.rawValue <= CMARK_NODE_LAST_INLINE.rawValue
            if isInline { inLinks.append(isInsideLink(node)) }
            return isInline
        }
        // One run buffer for every container, and each container's children walked in place:
        // a run is processed when the node after it is reached, and replacing its nodes leaves
        // the nodes after it as they are. (An array made and grown for each paragraph was most of
        // the Markdown stage's allocations.)
        var run: [OpaquePointer] = []
        run.reserveCapacity(16)
        for (container, inLink) in zip(containers, inLinks) {
            var child = cmark_node_first_child(container)
            while let current = child {
                child = cmark_node_next(current)
                let kind = type(current)
                if kind == CMARK_NODE_TEXT || kind == CMARK_NODE_SOFTBREAK {
                    run.append(current)
                } else {
                    inLink ? reportCitationsInLink(run) : processRun(run)
                    run.removeAll(keepingCapacity: true)
                }
            }
            inLink ? reportCitationsInLink(run) : processRun(run)
            run.removeAll(keepingCapacity: true)
        }
    }

    /// A run of a link's text (or an image's description) is left as written; a citation in it
    /// would show as its brackets, so the editor is told where to put it instead.
    mutating func reportCitationsInLink(_ run: [OpaquePointer]) {
        guard run.contains(where: { node in cmark_node_get_literal(node).map { strchr($0, 0x40) != nil } ?? false }) else { return }
        let (joined, starts) = Self.joinedText(of: run)
        for group in CitationSyntax.groups(in: joined) {
            let index = (starts.lastIndex { $0 <= group.range.lowerBound }) ?? 0
            let node = run[index]
            guard cmark_node_get_start_line(node) > 0 else { continue }
            let written = String(decoding: joined[group.range], as: UTF8.self)
            let shown = written.replacingOccurrences(of: "\n", with: " ")
            // At the group's opening bracket, past the same text earlier in its node.
            let before = String(decoding: joined[starts[index]..<group.range.lowerBound], as: UTF8.self)
                .components(separatedBy: written).count - 1
            let isImage = enclosingLink(node).map { type($0) == CMARK_NODE_IMAGE } ?? false
            diagnostics.append(.warning(at: location(of: node, searching: written, skipping: before),
                citations?.hasSources == false ? Self.noSourcesHere(shown) : isImage
                    ? "citation '\(shown)' in an image's description is shown as written (a description holds no note): put it in the text beside the image"
                    : "citation '\(shown)' in a link's text is shown as written (a link holds no other link): put it after the link, as in [text](url)\(shown)"))
        }
    }

    /// What is said of a citation on a plain page.
    static func noSourcesHere(_ written: String) -> String {
        "citation '\(written)' on a plain page is shown as written (plain pages have no sources): "
            + "cite sources in a situation's updates, or link to the source here"
    }

    /// A run's text as UTF-8 bytes (a line break as a newline), and the byte offset where each
    /// node's text starts in it.
    static func joinedText(of run: [OpaquePointer]) -> (joined: [UInt8], starts: [Int]) {
        var joined: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(run.count)
        joined.reserveCapacity(run.reduce(0) { total, node in
            total + (cmark_node_get_literal(node).map { strlen($0) } ?? 1)
        })
        for node in run {
            starts.append(joined.count)
            if cmark_node_get_type(node) == CMARK_NODE_SOFTBREAK {
                joined.append(0x0A)
            } else if let literal = cmark_node_get_literal(node) {
                joined += UnsafeRawBufferPointer(start: literal, count: strlen(literal))
            }
        }
        return (joined, starts)
    }

    func isInsideLink(_ node: OpaquePointer) -> Bool { enclosingLink(node) != nil }

    /// The link or image a node is part of (the node itself, or the nearest such ancestor).
    func enclosingLink(_ node: OpaquePointer) -> OpaquePointer? {
        var current: OpaquePointer? = node
        while let here = current {
            let kind = cmark_node_get_type(here)
            if kind == CMARK_NODE_LINK || kind == CMARK_NODE_IMAGE { return here }
            current = cmark_node_parent(here)
        }
        return nil
    }

    mutating func processRun(_ run: [OpaquePointer]) {
        // Most runs cite nothing: look for an `@` (or the `^` of a footnote) in the nodes' own text
        // before copying any of it.
        guard run.contains(where: { node in
            cmark_node_get_literal(node).map { strchr($0, 0x40) != nil || strchr($0, 0x5E) != nil } ?? false
        }) else { return }
        let (joined, starts) = Self.joinedText(of: run)
        // Groups start and end at ASCII brackets, so every cut falls between whole characters.
        func text(_ range: Range<Int>) -> String { String(decoding: joined[range], as: UTF8.self) }
        func nodeIndex(at offset: Int) -> Int {
            (starts.lastIndex { $0 <= offset }) ?? 0
        }
        // Where the text at an offset is in the file: the node's start, then past the same text before it in the run.
        func place(_ needle: String, at offset: Int) -> SourceLocation {
            let node = nodeIndex(at: offset)
            let before = text(starts[node]..<offset).components(separatedBy: needle).count - 1
            return location(of: run[node], searching: needle, skipping: before)
        }
        // Not in text this pass put in place of a link (it has no place in the file): a footnote
        // mark that became a link was reported as one already.
        for footnote in CitationSyntax.footnotes(in: joined) where cmark_node_get_start_line(run[nodeIndex(at: footnote.lowerBound)]) > 0 {
            let written = text(footnote)
            diagnostics.append(.warning(at: place(written, at: footnote.lowerBound),
                "'\(written)' looks like a footnote, which CommonMark does not have, so it is shown as written: cite a source with [@key], or put the note in the text"))
        }
        guard joined.contains(UInt8(ascii: "@")) else { return }
        let groups = CitationSyntax.groups(in: joined)
        if citations?.hasSources == false {
            for group in groups {
                let written = text(group.range)
                diagnostics.append(.warning(at: place(written, at: group.range.lowerBound), Self.noSourcesHere(written)))
            }
            return
        }
        let lookalikes = CitationSyntax.lookalikes(in: joined, besides: groups)
        for lookalike in lookalikes {
            let written = text(lookalike)
            let here = place(written, at: lookalike.lowerBound)
            diagnostics.append(.warning(at: here,
                "'\(written)' looks like a citation but is not one, so it is shown as written: write [@key], [@key, p. 12] or [@a; @b]"))
        }
        if let known = citations?.knownKeys {
            for (at, key) in CitationSyntax.bareKeys(in: joined, besides: groups.map(\.range) + lookalikes, known: known) {
                let here = place("@" + key, at: at)
                diagnostics.append(.warning(at: here, "'@\(key)' is not a citation, so it is shown as written: write [@\(key)]"))
            }
        }
        guard !groups.isEmpty, let anchor = run.first else { return }
        var cursor = 0
        var replacements: [OpaquePointer] = []
        replacements.reserveCapacity(2 * groups.count + 1)
        for group in groups {
            if group.range.lowerBound > cursor {
                replacements.append(textNode(joined[cursor..<group.range.lowerBound]))
            }
            cursor = group.range.upperBound
            // Bytes, not a String: appended to piece by piece, about 11 times for each citation
            // of every update, and handed to cmark as they are.
            var markup: [UInt8] = []
            markup.reserveCapacity(40 + 160 * group.items.count)
            markup.append(utf8: "<span class=\"citation\">[")
            var allKnown = true
            var groupUses: [CitationUse] = []
            groupUses.reserveCapacity(group.items.count)
            for item in group.items {
                guard let context = citations, context.knownKeys.contains(item.key) else {
                    let node = run[nodeIndex(at: group.range.lowerBound + item.offset)]
                    let here = location(of: node, searching: "@" + item.key)
                    var message = "unknown source '\(item.key)' in citation: "
                    let sourcesFile = citations?.sourcesFile ?? "sources.yaml"
                    if let known = citations?.knownKeys,
                       let guess = known.min(by: { editDistance(item.key, $0) < editDistance(item.key, $1) }),
                       editDistance(item.key, guess) <= 3 {
                        message += "did you mean '\(guess)'? If it is a new source, add it to \(sourcesFile)"
                    } else {
                        message += "add it to \(sourcesFile)"
                    }
                    diagnostics.append(.error(at: here, message))
                    allKnown = false
                    continue
                }
                let number: Int
                if let index = citedKeys.firstIndex(of: item.key) {
                    number = index + 1
                } else {
                    citedKeys.append(item.key)
                    number = citedKeys.count
                }
                let useIndex = uses.count + groupUses.count + 1
                let use = CitationUse(key: item.key, locator: item.locator, number: number, anchor: "cite-\(useIndex)")
                groupUses.append(use)
                let shown = String(number)
                if groupUses.count > 1 { markup.append(utf8: "; ") }
                markup.append(utf8: "<a href=\"#source-")
                markup.append(utf8: shown)
                markup.append(utf8: "\" id=\"")
                markup.append(utf8: use.anchor)
                markup.append(utf8: "\" role=\"doc-noteref\" aria-label=\"Source ")
                markup.append(utf8: shown)
                markup.append(utf8: "\">")
                markup.append(utf8: shown)
                markup.append(utf8: "</a>")
                if let locator = item.locator {
                    markup.append(utf8: ", ")
                    markup.append(utf8: HTML.escape(locator))
                }
            }
            if allKnown {
                uses += groupUses
                markup.append(utf8: "]</span>")
                let node = customInline(markup)
                citationTokens.append(group.items.lazy.map { ($0.key, $0.locator) })
                cmark_node_set_user_data(node, UnsafeMutableRawPointer(bitPattern: citationTokens.ends.count))
                replacements.append(node)
            } else {
                replacements.append(textNode(joined[group.range]))
            }
        }
        if cursor < joined.count { replacements.append(textNode(joined[cursor...])) }
        for node in replacements { cmark_node_insert_before(anchor, node) }
        for node in run { cmark_node_free(node) }
    }

    func customInline(_ html: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, html)
        cmark_node_set_on_exit(node, "")
        return node
    }

    /// `customInline` from the HTML's UTF-8 bytes.
    func customInline(_ html: [UInt8]) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        Self.withCString(html) { _ = cmark_node_set_on_enter(node, $0) }
        cmark_node_set_on_exit(node, "")
        return node
    }

    /// A text node of the text's UTF-8 bytes.
    func textNode(_ bytes: ArraySlice<UInt8>) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        Self.withCString(bytes) { _ = cmark_node_set_literal(node, $0) }
        return node
    }

    /// UTF-8 bytes as a C string for cmark, which copies it: terminated in a buffer on the stack
    /// where it fits. (Never a NUL inside: cmark's own text has none, nor has our markup.)
    static func withCString(_ bytes: some Collection<UInt8>, _ body: (UnsafePointer<CChar>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
            var end = buffer.initialize(fromContentsOf: bytes)
            buffer[end] = 0
            end += 1
            UnsafeRawPointer(buffer.baseAddress!).withMemoryRebound(to: CChar.self, capacity: end) { body($0) }
        }
    }

    // MARK: headings

    /// Gives every heading a stable id and warns about skipped levels. The page title is the h1,
    /// so a body starts at level 2.
    mutating func identifyHeadings(_ document: OpaquePointer) {
        var previousLevel = 1
        for heading in nodes(under: document, where: { cmark_node_get_type($0) == CMARK_NODE_HEADING }) {
            let level = Int(cmark_node_get_heading_level(heading))
            let text = plainText(heading).trimmingSpaces()
            if level == 1 {
                diagnostics.append(.warning(at: location(of: heading),
                    "a level-1 heading: the page's own title (the situation's name, or the page's title) is its one level-1 heading; "
                    + "make this a section (##) or a heading inside one (###)"))
            }
            if level > previousLevel + 1 {
                diagnostics.append(.warning(at: location(of: heading),
                    "heading level skipped: level \(level) after level \(previousLevel); use \(String(repeating: "#", count: previousLevel + 1))"))
            }
            previousLevel = level
            var id = Slug.make(from: text)
            func taken(_ id: String) -> Bool { headingIDs.contains(id) || options.reservedIDs.contains(id) }
            if taken(id) {
                var n = 2
                while taken("\(id)-\(n)") { n += 1 }
                id = "\(id)-\(n)"
            }
            headingIDs.insert(id)
            // A custom block holds our own tags around the heading's inline children. The tags are
            // inline nodes, not the block's own: cmark starts a new line after a block's opening
            // tag and before its closing one, which would put the heading's text on a line of its own.
            let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(block, "")
            cmark_node_set_on_exit(block, "")
            cmark_node_append_child(block, customInline("<h\(level) id=\"\(id)\">"))
            for child in children(of: heading) { cmark_node_append_child(block, child) }
            cmark_node_append_child(block, customInline("</h\(level)>"))
            cmark_node_insert_before(heading, block)
            sectionHeadings[Self.key(block)] =
                (level, text, id, location(of: heading))
            cmark_node_free(heading)
        }
    }

    var sectionHeadings: [UInt: (level: Int, title: String, id: String, location: SourceLocation)] = [:]

    /// Splits the top level at level-2 headings.
    /// - Returns: the sections, and the first block with text before the first of them (which
    ///   is in no section).
    func sections(of document: OpaquePointer) -> (sections: [RenderedSection], leading: OpaquePointer?) {
        var sections: [RenderedSection] = []
        var current: RenderedSection?
        var blocks: [OpaquePointer] = []
        var leading: OpaquePointer?
        func close() {
            guard var section = current else {
                leading = blocks.first { !paragraphs(of: $0).isEmpty }
                return
            }
            section.paragraphs = blocks.flatMap(paragraphs(of:))
            sections.append(section)
        }
        for block in children(of: document) {
            let key = Self.key(block)
            if let heading = sectionHeadings[key], heading.level == 2 {
                close()
                current = RenderedSection(title: heading.title, id: heading.id, location: heading.location, paragraphs: [])
                blocks = []
            } else {
                blocks.append(block)
            }
        }
        close()
        return (sections, leading)
    }

    /// One plain-text paragraph per leaf block, for word-level comparison.
    func paragraphs(of block: OpaquePointer) -> [String] {
        switch type(block) {
        case CMARK_NODE_PARAGRAPH, CMARK_NODE_CUSTOM_BLOCK, CMARK_NODE_HEADING:
            let text = plainText(block, citations: true).trimmingSpaces()
            return text.isEmpty ? [] : [text]
        case CMARK_NODE_CODE_BLOCK:
            return [literal(block)]
        case CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_HTML_BLOCK:
            return []
        default:
            return children(of: block).flatMap(paragraphs(of:))
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a text's UTF-8 bytes, copied where they are (a literal's are in the program).
    mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends a literal's UTF-8 bytes straight from the program.
    mutating func append(literal text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}

extension String {
    /// Without leading and trailing white space (spaces, tabs and the like).
    func trimmingSpaces() -> String {
        // Most texts (every paragraph of every update) begin and end with a visible ASCII
        // character: nothing to trim, and nothing copied or split into characters.
        // A paragraph that ends with a citation ends with its token's closing mark (EE 80 82),
        // no white space either.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F,
           (last > 0x20 && last < 0x7F) || (last == 0x82 && utf8.reversed().starts(with: [0x82, 0x80, 0xEE])) {
            return self
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
