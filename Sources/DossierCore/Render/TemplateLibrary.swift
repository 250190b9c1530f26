import Foundation
import Mustache

/// The parsed templates, checked once: syntax errors located in their file, partials and parents
/// that exist. Parsed once, rendered many times in parallel.
struct TemplateLibrary: Sendable {
    static let required = ["layout", "index", "situation", "versions", "changes", "print", "page", "404"]

    let library: MustacheLibrary
    let files: [String: SourceFile]
    /// Partials that show only an update's content (see `sharedPartials(_:)`): rendered once per
    /// update and placed into each of its pages.
    let sharedPartials: [String]
    /// Partials that show only one entry of a situation's list of versions (see `versionPartials(_:)`):
    /// rendered once per distinct entry and placed into every page that lists it.
    let versionPartials: [String]
    /// The page templates that show a version partial.
    let versionPartialTemplates: Set<String>
    /// Whether a page's list of versions may be given to the templates as one entry carrying the
    /// texts of all (see `listsCollapse`).
    let versionListsCollapse: Bool
    /// The library the page templates render with: each shared partial and version partial
    /// replaced by its output.
    let pageLibrary: MustacheLibrary
    /// Renders each template once per shape of view (see `Skeletons`); nil where the templates
    /// use something whose output depends on a value's text (`skeletonsRefusal`, kept to say why).
    private(set) var skeletons: Skeletons?
    let skeletonsRefusal: String?

    /// Templates rendered with their update's shared partials.
    static let pageTemplates: Set<String> = ["situation", "print"]
    /// The name a page template finds its update's shared partials under.
    static let sharedPartialsName = "sharedPartials"
    /// The name an entry of a situation's list of versions answers with its version partials.
    static let versionPartialsName = "versionPartials"

    /// - Parameter sharePartials: render partials that show only an update's content once per update
    ///   (off only to check that it changes nothing).
    /// - Parameter skeletons: render each template once per shape of view (off only to check the same).
    /// The same templates, every page rendered in full.
    func withoutSkeletons() -> TemplateLibrary {
        var copy = self
        copy.skeletons = nil
        return copy
    }

    static func make(_ loaded: LoadedTemplates, sharePartials: Bool = true, skeletons: Bool = true) -> (TemplateLibrary?, [Diagnostic]) {
        var diagnostics = loaded.diagnostics
        _ = HTMLEscaping.registered
        // Every template's tags, scanned once: for the checks below and for what is rendered ahead.
        let reach = Reach(loaded.templates)
        var library = MustacheLibrary()
        for (name, file) in loaded.templates.sorted(by: { $0.key < $1.key }) {
            do {
                library.register(try MustacheTemplate(string: file.text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(file.path, line: error.context.lineNumber, column: error.context.columnNumber + 1,
                                          "template syntax error: \(describe(error.error))"))
            } catch {
                diagnostics.append(.error(file.path, "template syntax error: \(error)"))
            }
            diagnostics += (reach.tags[name] ?? []).compactMap { tag in
                switch tag.kind {
                case .partial, .parent:
                    guard loaded.templates[tag.name] == nil else { return nil }
                    return .error(at: tag.location, "template '\(tag.name)' does not exist (no \(tag.name).mustache in \(loaded.root) or \(loaded.root)/partials)")
                case .variable, .section, .inverted:
                    guard !ViewModelNames.isKnown(tag.name) else { return nil }
                    var message = "unknown name '\(tag.name)': no view model has this field, so it would render as nothing"
                    let last = String(tag.name.split(separator: ".").last ?? "")
                    if let guess = ViewModelNames.all.min(by: { editDistance(last, $0) < editDistance(last, $1) }),
                       editDistance(last, guess) <= 2 {
                        message += "; did you mean '\(guess)'?"
                    }
                    return .error(at: tag.location, message)
                default:
                    return nil
                }
            }
        }
        let assets = Set(loaded.assets.map(\.name))
        for (_, file) in loaded.templates.sorted(by: { $0.key < $1.key }) {
            diagnostics += missingAssets(in: file, assets: assets, folder: loaded.root + "/assets")
        }
        // When the folder itself is missing, that one error says it all.
        for name in required where loaded.templates[name] == nil && !(loaded.templates.isEmpty && !loaded.diagnostics.isEmpty) {
            diagnostics.append(.error(loaded.root, "missing template \(name).mustache"))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        let shared = sharePartials ? sharedPartials(reach) : []
        let perVersion = sharePartials ? versionPartials(reach) : []
        var pageLibrary = library
        for name in shared {
            // The partial's tag now places the text rendered once for the update.
            pageLibrary.register(try! MustacheTemplate(string: "{{{\(sharedPartialsName).\(name)}}}"), named: name)
        }
        for name in perVersion {
            // The partial's tag now places the text rendered once for the entry of the list.
            pageLibrary.register(try! MustacheTemplate(string: "{{{\(versionPartialsName).\(name)}}}"), named: name)
        }
        let refusal = skeletonsRefusal(loaded.templates, tags: reach.tags)
        let showing = pageTemplates.filter { page in
            reach.included(from: [page], kinds: [.partial, .parent]).contains { name in
                reach.tags[name]?.contains { $0.kind == .partial && perVersion.contains($0.name) } == true
            }
        }
        return (TemplateLibrary(library: library, files: loaded.templates, sharedPartials: shared,
                                versionPartials: perVersion, versionPartialTemplates: showing,
                                versionListsCollapse: listsCollapse(reach, perVersion: perVersion),
                                pageLibrary: pageLibrary,
                                skeletons: skeletons && refusal == nil ? Skeletons() : nil, skeletonsRefusal: refusal),
                diagnostics)
    }

    /// Whether the templates' output depends on their values only through their kinds (`Skeletons`):
    /// every template sets swift-mustache's HTML content type before anything else (so every
    /// value is escaped as `HTML.escape` escapes it) and uses none of what reads a value's text or
    /// writes text around it by its own rules: transforms, dynamic partials, changed delimiters,
    /// other content types, partials or blocks indented on a line of their own, or the
    /// placeholders' characters.
    /// Returns nil where they apply, else why not, at the first place found (for `--verbose`).
    static func skeletonsRefusal(_ templates: [String: SourceFile], tags: [String: [TemplateTags.Tag]]) -> String? {
        for (name, file) in templates.sorted(by: { $0.key < $1.key }) {
            let list = tags[name] ?? []
            guard let first = list.first, first.kind == .pragma, first.name == "CONTENT_TYPE: HTML" else {
                return "\(file.path) does not begin with {{% CONTENT_TYPE: HTML }}"
            }
            if file.text.contains("{{=") { return "\(file.path) changes the delimiters" }
            if Skeletons.holdsPlaceholderCharacters(file.text) { return "\(file.path) holds U+E000 or U+E001" }
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
            for tag in list.dropFirst() {
                let place = "\(file.path):\(tag.location.line):\(tag.location.column)"
                if tag.kind == .pragma { return "\(place) sets a pragma" }
                if tag.name.contains("(") { return "\(place) uses a transform" }
                if tag.kind == .partial && tag.name.hasPrefix("*") { return "\(place) uses a dynamic partial" }
                if [.partial, .parent, .block].contains(tag.kind), tag.location.line <= lines.count {
                    let before = lines[tag.location.line - 1].unicodeScalars.prefix(tag.location.column - 1)
                    if !before.isEmpty && before.allSatisfy({ $0 == " " || $0 == "\t" }) {
                        return "\(place) indents a partial or block on a line of its own"
                    }
                }
            }
        }
        return nil
    }

    /// Whether the page templates use their list of versions only as `{{#versions}}` around a
    /// version partial and nothing else, either on three lines of their own
    /// (`{{#versions}}`, `{{>version-link}}`, `{{/versions}}`) or as one run of the three tags. Such a
    /// section shows, entry after entry, the partial's text and nothing between: given one entry
    /// that carries the texts of all, joined, it shows the same bytes, without going over the
    /// entries in the template engine (work that grows with the square of a situation's updates).
    static func listsCollapse(_ reach: Reach, perVersion: [String]) -> Bool {
        guard reach.scannable, !perVersion.isEmpty else { return false }
        for name in reach.reachable {
            guard let file = reach.files[name], let list = reach.tags[name] else { continue }
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
            func line(_ tag: TemplateTags.Tag) -> Substring { lines[tag.location.line - 1] }
            var index = 0
            while index < list.count {
                let tag = list[index]
                defer { index += 1 }
                guard tag.name.prefix(while: { $0 != "." }) == "versions" else { continue }
                guard tag.kind == .section, tag.name == "versions", index + 2 < list.count else { return false }
                let partial = list[index + 1], close = list[index + 2]
                guard partial.kind == .partial, perVersion.contains(partial.name),
                      close.kind == .close, close.name == "versions" else { return false }
                let open = "{{#versions}}", place = "{{>\(partial.name)}}", end = "{{/versions}}"
                let onLinesOfTheirOwn = line(tag) == open && line(partial) == place && line(close) == end
                    && partial.location.line == tag.location.line + 1 && close.location.line == partial.location.line + 1
                let inOneRun = tag.location.line == close.location.line
                    && line(tag).dropFirst(tag.location.column - 1).hasPrefix(open + place + end)
                guard onLinesOfTheirOwn || inOneRun else { return false }
                index += 2
            }
        }
        return true
    }

    /// The templates a page template reaches, and what a light scan can vouch for.
    struct Reach {
        let files: [String: SourceFile]
        let tags: [String: [TemplateTags.Tag]]
        /// Templates reached from the page templates through partials and parents.
        let reachable: Set<String>
        /// Page templates and the parents they extend.
        let frames: Set<String>
        /// False when a reached template sets delimiters (which the scan does not follow) or
        /// another content type: then nothing is rendered ahead.
        let scannable: Bool

        init(_ templates: [String: SourceFile]) {
            let tags = templates.mapValues { TemplateTags.scan($0) }
            files = templates
            self.tags = tags
            reachable = Self.included(from: pageTemplates, kinds: [.partial, .parent], tags: tags)
            frames = Self.included(from: pageTemplates, kinds: [.parent], tags: tags)
            scannable = reachable.allSatisfy { name in
                guard let file = templates[name], let list = tags[name] else { return true }
                return !file.text.contains("{{=") && !list.contains { $0.kind == .pragma && $0.name != "CONTENT_TYPE: HTML" }
            }
        }

        func included(from roots: Set<String>, kinds: Set<TemplateTags.Kind>) -> Set<String> {
            Self.included(from: roots, kinds: kinds, tags: tags)
        }

        static func included(from roots: Set<String>, kinds: Set<TemplateTags.Kind>,
                             tags: [String: [TemplateTags.Tag]]) -> Set<String> {
            var seen: Set<String> = []
            var queue = Array(roots)
            while let name = queue.popLast() {
                guard seen.insert(name).inserted else { continue }
                queue += (tags[name] ?? []).filter { kinds.contains($0.kind) }.map(\.name)
            }
            return seen
        }

        /// Whether every name in a partial and the partials it includes passes `accepts`, which is
        /// given the tag and the sections open around it, each with whether it put a value of its
        /// own on the context stack (a section over a flag does not). Blocks and parents never pass.
        func everyName(in partial: String, _ accepts: (TemplateTags.Tag, [(name: String, value: Bool)]) -> Bool) -> Bool {
            for name in included(from: [partial], kinds: [.partial]) {
                guard let list = tags[name] else { return false }
                var open: [(name: String, value: Bool)] = []
                for tag in list {
                    switch tag.kind {
                    case .parent, .block:
                        return false
                    case .section, .inverted, .variable:
                        guard accepts(tag, open) else { return false }
                        if tag.kind != .variable {
                            open.append((tag.name, tag.kind == .section && ViewModelNames.opensValue(tag.name)))
                        }
                    case .close:
                        if let index = open.lastIndex(where: { $0.name == tag.name }) { open.removeSubrange(index...) }
                    default:
                        break
                    }
                }
            }
            return true
        }

        /// Every `{{>partial}}` in the reached templates: where it is, the tags open around it, and
        /// whether it is indented (swift-mustache indents every line of an indented partial).
        func partialSites() -> [(partial: String, in: String, open: [TemplateTags.Tag], indented: Bool)] {
            var sites: [(String, String, [TemplateTags.Tag], Bool)] = []
            for name in reachable {
                guard let file = files[name], let list = tags[name] else { continue }
                let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
                var open: [TemplateTags.Tag] = []
                for tag in list {
                    switch tag.kind {
                    case .section, .inverted, .parent, .block:
                        open.append(tag)
                    case .close:
                        if let index = open.lastIndex(where: { $0.name == tag.name }) { open.removeSubrange(index...) }
                    case .partial:
                        let before = lines[tag.location.line - 1].prefix(tag.location.column - 1)
                        sites.append((tag.name, name, open, !before.isEmpty && before.allSatisfy { $0 == " " || $0 == "\t" }))
                    default:
                        break
                    }
                }
            }
            return sites
        }
    }

    /// The partials a page template may take ready-made from its update: those whose output is
    /// the same on every page of one update (latest page, snapshot, print views), so rendering
    /// them once per update instead of on every page changes no byte. A partial qualifies when
    /// - it names nothing that differs between those pages (`ViewModelNames.pageDependent`: links,
    ///   `isArchived`, the layout, the print view's own fields) and no `{{.}}` outside a section over a value,
    ///   nor do partials it includes, and it has no blocks or parents;
    /// - every `{{>partial}}` that reaches it is in a page template or its parent, outside any
    ///   section except `{{#page}}` (which opens the same page) and inverted ones, and not indented
    ///   (swift-mustache indents every line of an indented partial);
    /// - the templates involved use no set-delimiter tags and only the HTML content type.
    /// Anything else renders on every page as before.
    static func sharedPartials(_ reach: Reach) -> [String] {
        guard reach.scannable else { return [] }
        func isNeutral(_ open: [TemplateTags.Tag]) -> Bool {
            open.allSatisfy { tag in
                switch tag.kind {
                case .inverted, .parent, .block: true
                case .section: tag.name == "page"
                default: false
                }
            }
        }
        // A block placed in a parent shows a child's text in the parent's context there.
        for name in reach.reachable {
            var open: [TemplateTags.Tag] = []
            for tag in reach.tags[name] ?? [] {
                switch tag.kind {
                case .section, .inverted, .parent, .block:
                    if tag.kind == .block, !open.contains(where: { $0.kind == .parent }), !isNeutral(open) { return [] }
                    open.append(tag)
                case .close:
                    if let index = open.lastIndex(where: { $0.name == tag.name }) { open.removeSubrange(index...) }
                default:
                    break
                }
            }
        }
        var sites: [String: [Bool]] = [:]
        for site in reach.partialSites() {
            sites[site.partial, default: []].append(reach.frames.contains(site.in) && isNeutral(site.open) && !site.indented)
        }
        func showsOnlyContent(_ partial: String) -> Bool {
            reach.everyName(in: partial) { tag, open in
                // `.` outside a section over a value is the page's own view, a different one on
                // each kind of page.
                tag.name == "." ? open.contains { $0.value }
                    : !ViewModelNames.pageDependent.contains(String(tag.name.prefix { $0 != "." }))
            }
        }
        return sites.filter { name, valid in
            valid.allSatisfy { $0 } && !reach.frames.contains(name) && reach.files[name] != nil
                && isPlainName(name) && showsOnlyContent(name)
        }.keys.sorted()
    }

    /// A partial's name that can be looked up as one name (no dots, spaces or braces).
    static func isPlainName(_ name: String) -> Bool {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The partials a situation page may take ready-made from each entry of its list of versions
    /// (`{{#versions}}{{>version-link}}{{/versions}}`): an entry's partial renders the same on every
    /// page that lists that entry with the same link and the same mark, so it is rendered once for
    /// each, instead of once per entry on every page (which grows with the square of a situation's
    /// updates). A partial qualifies when
    /// - every `{{>partial}}` that reaches it from a page template is directly inside a `{{#versions}}`
    ///   section (no other section opened between them, inverted ones aside) and not indented;
    /// - it and the partials it includes name only an entry's own fields (`date`, `href`, `isCurrent`,
    ///   `isDraft`, and a date's fields inside `{{#date}}`), `{{.}}` only inside a section over a
    ///   value (not a flag), and have no blocks or parents;
    /// - the templates involved use no set-delimiter tags and only the HTML content type.
    /// Anything else renders on every page as before.
    static func versionPartials(_ reach: Reach) -> [String] {
        guard reach.scannable else { return [] }
        var sites: [String: [Bool]] = [:]
        for site in reach.partialSites() {
            let section = site.open.last { $0.kind != .inverted }
            let valid = section?.kind == .section && section?.name == "versions" && !site.indented
            sites[site.partial, default: []].append(valid)
        }
        let entryNames = ViewModelNames.versionLinkFields
        let dateNames = Set(Mirror(reflecting: ViewModelNames.sampleDate).children.compactMap(\.label))
        func showsOnlyItsEntry(_ partial: String) -> Bool {
            reach.everyName(in: partial) { tag, open in
                // `.` outside a section over a value is the entry itself, which carries its
                // partials' texts on a page and not where they are rendered.
                let first = String(tag.name.prefix { $0 != "." })
                return tag.name == "." ? open.contains { $0.value }
                    : entryNames.contains(first) || (dateNames.contains(first) && open.contains { $0.name == "date" && $0.value })
            }
        }
        return sites.filter { name, valid in
            valid.allSatisfy { $0 } && !reach.frames.contains(name) && reach.files[name] != nil
                && isPlainName(name) && showsOnlyItsEntry(name)
        }.keys.sorted()
    }

    /// An update's shared partials, rendered from its content.
    func renderSharedPartials(_ content: UpdateContentView) -> [String: String] {
        var out: [String: String] = [:]
        for name in sharedPartials { out[name] = render(content, template: name, in: library, as: name, asBytes: false)?.string }
        return out
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: return "section closed with a different name than it was opened with"
        case MustacheTemplate.Error.unfinishedName: return "tag is not closed with }}"
        case MustacheTemplate.Error.expectedSectionEnd: return "section is never closed"
        case MustacheTemplate.Error.invalidSetDelimiter: return "invalid set-delimiter tag"
        case MustacheTemplate.Error.textInsideInheritSection: return "text inside an inheriting section; only {{$block}} definitions may go there"
        case MustacheTemplate.Error.illegalTokenInsideInheritSection: return "only {{$block}} definitions may go inside {{<parent}}"
        default: return "\(error)"
        }
    }

    /// Renders a page; a page template of an update takes the update's `shared` partials ready-made,
    /// and its version partials from the entries of its list of versions. A page filled from a
    /// skeleton is given as its bytes, which the site's pages are written from.
    func renderPage(_ page: any FieldView, template name: String, shared: [String: String] = [:]) -> RenderedText? {
        if !(sharedPartials.isEmpty && versionPartials.isEmpty), Self.pageTemplates.contains(name) {
            return render(SharedPartialsView(partials: shared, page: page), template: name, in: pageLibrary,
                          as: "page " + name, asBytes: true)
        }
        return render(page, template: name, in: library, as: name, asBytes: true)
    }

    /// One entry's version partial, rendered on its own (what `VersionPartials` keeps).
    func renderVersionPartial(_ link: VersionLinkView, _ name: String) -> String? {
        render(link, template: name, in: library, as: name, asBytes: false)?.string
    }

    /// A render by swift-mustache, or by the skeleton of the view's shape (`Skeletons`), under
    /// `key`: the template's name and which library renders it. Every view the site renders
    /// answers with `ViewField`s, and is handed to the skeletons as one, so they match it
    /// without a cast to find out.
    private func render(_ view: any FieldView, template name: String, in library: MustacheLibrary, as key: String,
                        asBytes: Bool) -> RenderedText? {
        guard let skeletons else { return library.render(view, withTemplate: name).map(RenderedText.string) }
        return skeletons.render(view, typed: view, template: key, asBytes: asBytes) { library.render($0, withTemplate: name) }
    }
}

/// A page's view with its update's shared partials beside it, under `sharedPartials`.
struct SharedPartialsView: FieldView {
    var partials: [String: String]
    var page: any FieldView

    func field(named name: String) -> ViewField {
        name == TemplateLibrary.sharedPartialsName ? .other(partials) : page.field(named: name)
    }

    func lambdaFunction(named name: String) -> ((String) -> String)? {
        page.lambdaFunction(named: name)
    }
}

/// `{{#asset}}name{{/asset}}` sections whose name is no file of the assets folder, at the name's place.
func missingAssets(in file: SourceFile, assets: Set<String>, folder: String) -> [Diagnostic] {
    let text = file.text
    var found: [Diagnostic] = []
    var from = text.startIndex
    while let open = text.range(of: "{{#asset}}", range: from..<text.endIndex),
          let close = text.range(of: "{{/asset}}", range: open.upperBound..<text.endIndex) {
        from = close.upperBound
        let name = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        // A name made by the template itself (`{{#asset}}{{icon}}{{/asset}}`) is left to the link check.
        guard !name.contains("{{"), !assets.contains(name) else { continue }
        let offset = text.utf8.distance(from: text.utf8.startIndex, to: open.upperBound)
        found.append(.error(at: SourceLocation(file: file.path, offset: offset, in: Array(text.utf8)), "asset '\(name)' is not in \(folder)"))
    }
    return found
}

/// The tags of a template, found by a light scan, so names can be checked against the view models.
struct TemplateTags {
    enum Kind { case variable, section, inverted, close, partial, parent, block, comment, pragma }

    struct Tag {
        var kind: Kind
        var name: String
        var location: SourceLocation
    }

    /// Every `{{…}}` of the template, with its place (line, and column in characters). Read on
    /// the text's bytes: walked character by character with Foundation's searches, the scan of
    /// the project's templates took a few thousandths of a second of every build.
    static func scan(_ file: SourceFile) -> [Tag] {
        var tags: [Tag] = []
        let bytes = Array(file.text.utf8)
        let open = UInt8(ascii: "{"), shut = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
        var line = 1, lineStart = 0, i = 0
        func column(at offset: Int) -> Int {
            let before = bytes[lineStart..<offset]
            return (before.allSatisfy { $0 < 0x80 } ? before.count : String(decoding: before, as: UTF8.self).count) + 1
        }
        while i < bytes.count {
            if bytes[i] == newline {
                line += 1
                lineStart = i + 1
            } else if bytes[i] == open, i + 1 < bytes.count, bytes[i + 1] == open,
                      let close = (i + 2..<max(i + 2, bytes.count - 1)).first(where: { bytes[$0] == shut && bytes[$0 + 1] == shut }) {
                var inner = bytes[(i + 2)..<close]
                var kind = Kind.variable
                if inner.first == open { inner = inner.dropFirst() }
                switch inner.first {
                case UInt8(ascii: "#"): kind = .section
                case UInt8(ascii: "^"): kind = .inverted
                case UInt8(ascii: "/"): kind = .close
                case UInt8(ascii: ">"): kind = .partial
                case UInt8(ascii: "<"): kind = .parent
                case UInt8(ascii: "$"): kind = .block
                case UInt8(ascii: "!"): kind = .comment
                case UInt8(ascii: "%"): kind = .pragma
                default: break
                }
                if kind != .variable || inner.first == UInt8(ascii: "&") { inner = inner.dropFirst() }
                let name: String
                if inner.allSatisfy({ $0 < 0x80 }) {
                    let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
                    let start = inner.firstIndex { !blank($0) } ?? inner.endIndex
                    let end = inner.lastIndex { !blank($0) }.map { $0 + 1 } ?? start
                    name = String(decoding: inner[start..<max(start, end)], as: UTF8.self)
                } else {
                    name = String(decoding: inner, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                }
                tags.append(Tag(kind: kind, name: name, location: SourceLocation(file: file.path, line: line, column: column(at: i))))
                let end = close + 2 + (close + 2 < bytes.count && bytes[close + 2] == shut ? 1 : 0)
                for j in i..<end where bytes[j] == newline {
                    line += 1
                    lineStart = j + 1
                }
                i = end
                continue
            }
            i += 1
        }
        return tags
    }
}

/// HTML escaping for templates that begin with `{{% CONTENT_TYPE: HTML }}`: the same five
/// characters swift-mustache escapes, found on UTF-8 bytes, and text with none of them (most
/// values) passed through whole. Without the line a template renders the same, more slowly;
/// swift-mustache's own escaping looks every character up in a dictionary.
struct HTMLEscaping: MustacheContentType {
    /// Registered once, under swift-mustache's own name for HTML, before any template is parsed.
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: "HTML")

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
