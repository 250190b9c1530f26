import Foundation

/// Resolves every internal link and `#anchor` of a rendered site, so a build never publishes a
/// broken one. Pure: output files in, diagnostics out.
public struct LinkChecker: Sendable {
    /// The path part of `base_url` (`/` or `/reports/`), for links that start from the site root.
    public var sitePath: String
    /// How the output folder is named in messages, e.g. `Public`.
    public var outputName: String

    public init(sitePath: String, outputName: String) {
        self.sitePath = sitePath
        self.outputName = outputName
    }

    /// What one page holds for the check, found in one scan of its bytes.
    struct PageScan: Sendable {
        /// The page's ids, unescaped, one after another in page order (`idEnds` says where each
        /// ends): kept as bytes, since they are read only for a link from another page to one of
        /// them, and compared as bytes (see `fragmentForms`).
        var idBytes: [UInt8] = []
        var idEnds: [Int32] = []
        /// Each distinct `href` and `src` value, still HTML-escaped, but for links to an id of the
        /// page itself (`#id`) that the scan found there and links that leave the site
        /// (`leavesSite`): other links in order of first appearance, then the page's `#id` links
        /// to ids it lacks.
        var links: [String] = []
        /// Ids the page has more than once (each once, in page order): a link to one leads to
        /// the first, and the page is not valid HTML.
        var duplicateIDs: [String] = []

        /// The page's ids, sorted.
        var ids: [String] { unsortedIDs.sorted() }

        var unsortedIDs: [String] {
            idEnds.indices.map { String(decoding: idBytes[idStart($0)..<Int(idEnds[$0])], as: UTF8.self) }
        }

        /// Where the id at `index` begins in `idBytes`.
        func idStart(_ index: Int) -> Int { index == 0 ? 0 : Int(idEnds[index - 1]) }

        /// Whether a browser following a link to `#fragment` (unescaped) finds an element of the
        /// page: one whose id is a form of the fragment, code point by code point (`fragmentForms`).
        func has(id fragment: String) -> Bool {
            var fragment = fragment
            return fragment.withUTF8 { raw in
                if LinkChecker.isPlainFragment(raw) { return has(bytes: raw) }
                return LinkChecker.fragmentForms(raw).contains { form in form.withUnsafeBufferPointer(has(bytes:)) }
            }
        }

        private func has(bytes wanted: UnsafeBufferPointer<UInt8>) -> Bool {
            idBytes.withUnsafeBufferPointer { bytes in
                idEnds.indices.contains { index in
                    let start = idStart(index), end = Int(idEnds[index])
                    return end - start == wanted.count && (wanted.isEmpty || memcmp(bytes.baseAddress! + start, wanted.baseAddress!, wanted.count) == 0)
                }
            }
        }

        /// An id of the page that a browser would not find for `#fragment` but that Swift's
        /// comparison of strings takes for the same (the same letters in another Unicode
        /// normalization: "é" as one code point or as "e" and a combining accent), to say so.
        func lookalike(of fragment: String) -> String? {
            var fragment = fragment
            let forms = fragment.withUTF8 { LinkChecker.fragmentForms($0).map { String(decoding: $0, as: UTF8.self) } }
            return unsortedIDs.first { id in forms.contains(id) }
        }
    }

    /// - Parameters:
    ///   - records: every file of the new site, with what each page links to.
    ///   - origins: the content file each page was written from, so a broken link an editor wrote
    ///     is reported at its place in the Markdown.
    ///   - texts: content files' texts, to find that place.
    ///   - kept: files kept from the previous build; links to them count, their own links were checked then.
    ///   - keptPage: the bytes of a kept page, read only when a page made now links to one of its ids.
    func check(_ records: [SiteRenderer.FileRecord], origins: [String: String] = [:], texts: [String: String] = [:],
               kept: Set<String> = [], keptPage: (String) -> Data? = { _ in nil }) -> [Diagnostic] {
        let paths = Set(records.map(\.entry.path)).union(kept)
        let pages = records.compactMap { record in record.scan.map { (path: record.entry.path, scan: $0) } }
        var scans = Dictionary(pages.map { ($0.path, $0.scan) }, uniquingKeysWith: { first, _ in first })
        // Kept pages that a page made now links into, by an id: scanned once each, from disk.
        let keptTargets = kept.isEmpty ? [] : Set(pages.flatMap { page in
            page.scan.links.compactMap { raw -> String? in
                let link = raw.utf8.contains(0x26) ? Self.unescape(raw) : raw
                guard link.contains("#"), let (target, fragment) = resolve(link, from: page.path), let fragment, !fragment.isEmpty,
                      kept.contains(target), target.hasSuffix(".html") else { return nil }
                return target
            }
        })
        for target in keptTargets {
            if let data = keptPage(target) { scans[target] = data.withUnsafeBytes(Self.scan) }
        }
        typealias Finding = (link: String, reason: String, isFolder: Bool)
        let scanned = scans
        /// A link's target, and what is wrong with it (nil: nothing).
        @Sendable func evaluate(_ raw: String, from path: String) -> (target: String, finding: Finding?)? {
            let link = raw.utf8.contains(0x26) ? Self.unescape(raw) : raw
            guard let (target, fragment) = resolve(link, from: path) else { return nil }
            if target.hasPrefix("../") { return (target, (link, "it leads outside \(outputName)/", false)) }
            // A host compares a path's bytes; Swift's sets compare strings (canonical equivalence).
            if let found = paths.firstIndex(of: target) {
                let path = paths[found]
                if Exact(path) != Exact(target) {
                    return (target, (link, "\(outputName)/\(target) does not exist; \(outputName)/\(path) \(Self.lookalikeReason)", false))
                }
            } else {
                return (target, (link, "\(outputName)/\(target) does not exist", false))
            }
            if let fragment, !fragment.isEmpty, target.hasSuffix(".html"), !kept.contains(target) || scanned[target] != nil,
               !(scanned[target]?.has(id: fragment) ?? false) {
                // Said the same way on every page that shows the text, so it is reported once.
                let place = target == path ? "on the page" : "in \(outputName)/\(target)"
                var reason = "no element with id '\(Self.percentDecoded(fragment))' \(place)"
                if let lookalike = scanned[target]?.lookalike(of: fragment) {
                    reason += "; \(target == path ? "the page" : "that page") has '\(lookalike)', \(Self.lookalikeReason)"
                }
                return (target, (link, reason, false))
            }
            if let page = LinkPolicy.folderPage(of: link) {
                return (target, (link, "a host serves its index.html, but opened from the file system it shows a list of files: write '\(page)'", true))
            }
            return (target, nil)
        }
        // A link that climbs from its page to the site's root first (`../../index.html` on a page two
        // folders down, as every link a template makes does) leads to the same place from every page
        // at that depth: each distinct one is resolved and checked once, not once per page.
        // Such a link is checked from a page of that depth that is no file (`\u{1}/\u{1}`), so no
        // link is to "the page" itself; a link to the page it is on is checked for that page.
        // Links to the page itself by their form (`#id`, `?q`) are always checked for their page.
        // The pages of a depth are checked in runs of a few hundred across the cores, each run
        // with its own distinct links: most pages are at one depth (an update's redline and print
        // view), and a run finds nearly all of its depth's links in its first pages. What a run
        // keeps of a link is its finding and the page it leads to, by number: no string the
        // other core reads too, whose reference count both cores would write.
        let pageNumbers = Dictionary(pages.indices.map { (pages[$0].path, $0) }, uniquingKeysWith: { first, _ in first })
        let runLength = 256
        let depths = Dictionary(grouping: pages.indices) { pages[$0].path.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }
        var runs: [(depth: Int, members: [Int])] = []
        for (depth, members) in depths.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: members.count, by: runLength) {
                runs.append((depth, Array(members[start..<min(start + runLength, members.count)])))
            }
        }
        let perRun = runs.concurrentMap { depth, members -> [[Finding]] in
            let from = String(repeating: "\u{1}/", count: depth) + "\u{1}"
            var index: [Exact: Int] = [:]
            var findings: [Finding?] = []
            var targets: [Int] = []
            return members.map { member in
                let page = pages[member]
                let root = OutputPaths.root(from: page.path)
                var found: [Finding] = []
                for raw in page.scan.links {
                    if raw.hasPrefix(root), let first = raw.utf8.first, first != UInt8(ascii: "#"), first != UInt8(ascii: "?") {
                        let key: Int
                        if let known = index[Exact(raw)] {
                            key = known
                        } else {
                            let evaluated = evaluate(raw, from: from)
                            key = findings.count
                            index[Exact(raw)] = key
                            findings.append(evaluated?.finding)
                            targets.append(evaluated.flatMap { pageNumbers[$0.target] } ?? -1)
                        }
                        // A link to the page itself is said differently ("on the page"): checked for the page.
                        if targets[key] != member {
                            if let finding = findings[key] { found.append(finding) }
                            continue
                        }
                    }
                    if let finding = evaluate(raw, from: page.path)?.finding { found.append(finding) }
                }
                return found
            }
        }
        var found = [[Finding]](repeating: [], count: pages.count)
        for (run, findings) in zip(runs, perRun) {
            for (member, pageFindings) in zip(run.members, findings) { found[member] = pageFindings }
        }
        // A broken link is one problem, however many pages show it: one an editor wrote is on every
        // page that shows the text (an update's snapshot, the latest page, their print views), one a
        // template makes is on every page of its kind, written from each page's depth.
        struct Broken {
            var origin: (file: String, line: Int, column: Int)?
            var link: String
            var reason: String
            var isFolder: Bool
            var pages: [String]
        }
        var broken: [Broken] = []
        var index: [Exact: Int] = [:]
        for (page, links) in zip(pages, found) {
            for (link, reason, isFolder) in links {
                let output = "\(outputName)/\(page.path)"
                var problem = Broken(origin: nil, link: link, reason: reason, isFolder: isFolder, pages: [output])
                if let origin = origins[page.path], let text = texts[origin], let (written, place) = locate(link, from: page.path, in: text) {
                    problem.origin = (origin, place.line, place.column)
                    problem.link = written
                }
                let key = problem.origin.map { "\($0.file):\($0.line):\($0.column) \(problem.link) \(reason)" } ?? reason
                if let known = index[Exact(key)] {
                    broken[known].pages.append(output)
                } else {
                    index[Exact(key)] = broken.count
                    broken.append(problem)
                }
            }
        }
        return broken.map { problem in
            let others = problem.pages.count - 1
            let more = others == 0 ? "" : "\(others) other page\(others == 1 ? "" : "s")"
            // A link to a folder works on a host and is a warning; one that leads nowhere is an error.
            let severity: Diagnostic.Severity = problem.isFolder ? .warning : .error
            let what = problem.isFolder ? "link to a folder" : "broken link"
            guard let origin = problem.origin else {
                return Diagnostic(severity, problem.pages[0], "\(what) '\(problem.link)'" + (more.isEmpty ? "" : " (and on \(more))") + ": \(problem.reason)")
            }
            let on = problem.pages[0] + (more.isEmpty ? "" : " and \(more)")
            return Diagnostic(severity, origin.file, line: origin.line, column: origin.column, "\(what) '\(problem.link)' (on \(on)): \(problem.reason)")
        } + duplicates(in: pages, origins: origins, texts: texts)
    }

    /// An id a page has twice: reported once for all the pages that have it (an update's raw
    /// HTML is on four pages, a template's id on every page of a kind), at the id in the content
    /// file when the page's content file has it.
    func duplicates(in pages: [(path: String, scan: PageScan)], origins: [String: String], texts: [String: String]) -> [Diagnostic] {
        struct Duplicate {
            var id: String
            var origin: (file: String, line: Int, column: Int)?
            var pages: [String]
        }
        var duplicates: [Duplicate] = []
        var index: [Exact: Int] = [:]
        for page in pages {
            for id in page.scan.duplicateIDs {
                var origin: (file: String, line: Int, column: Int)?
                if let file = origins[page.path], let text = texts[file], let place = Self.locate(id: id, in: text) {
                    origin = (file, place.line, place.column)
                }
                let key = origin.map { "\($0.file):\($0.line):\($0.column) \(id)" } ?? id
                if let known = index[Exact(key)] {
                    duplicates[known].pages.append("\(outputName)/\(page.path)")
                } else {
                    index[Exact(key)] = duplicates.count
                    duplicates.append(Duplicate(id: id, origin: origin, pages: ["\(outputName)/\(page.path)"]))
                }
            }
        }
        return duplicates.map { duplicate in
            let others = duplicate.pages.count - 1
            let more = others == 0 ? "" : " (and \(others) other page\(others == 1 ? "" : "s"))"
            let page = duplicate.origin == nil ? "the page" : duplicate.pages[0]
            let message = "the id '\(duplicate.id)' is given to more than one element on \(page)\(more): a link to '#\(duplicate.id)' leads "
                + "to the first, and the page is not valid HTML: change one of them (an id written in raw HTML, or in a template)"
            guard let origin = duplicate.origin else { return .warning(duplicate.pages[0], message) }
            return .warning(origin.file, line: origin.line, column: origin.column, message)
        }
    }

    /// Where an id is written in a content file's raw HTML (`id="x"` or `id='x'`), by its bytes.
    static func locate(id: String, in text: String) -> (line: Int, column: Int)? {
        place(of: ["id=\"\(id)\"", "id='\(id)'"].map { (Array($0.utf8), 0) }, in: text) { bytes, at in
            // An attribute of its own, not the end of another's name (`data-id`).
            at == 0 || [0x20, 0x09, 0x0A].contains(bytes[at - 1])
        }
    }

    /// Where a link on a page was written in its Markdown, and how: as it is, or from the site's
    /// root (`/pages/about/`) before the page made it relative (`../../pages/about/index.html`),
    /// a link to a folder before it was given its `index.html` either way.
    func locate(_ link: String, from page: String, in text: String) -> (String, (line: Int, column: Int))? {
        var forms = [link]
        let root = OutputPaths.root(from: page)
        if !root.isEmpty, link.hasPrefix(root) {
            let fromRoot = "/" + link.dropFirst(root.count)
            forms.append(fromRoot)
            // Written with the path of `base_url` in front.
            if sitePath.count > 1 { forms.append(String(sitePath.dropLast()) + fromRoot) }
        }
        forms += forms.flatMap(Self.asFolder)
        // cmark percent-encodes what a link's target has beyond ASCII (`#café` is written
        // `#caf%C3%A9`): the editor wrote it decoded.
        if link.utf8.contains(0x25) { forms += forms.map(Self.percentDecoded).filter { !forms.contains($0) } }
        for written in forms {
            if let place = Self.locate(written, in: text) { return (written, place) }
        }
        return nil
    }

    /// A link to a folder's `index.html` as it may have been written, to the folder.
    static func asFolder(_ link: String) -> [String] {
        let pathEnd = link.firstIndex { $0 == "?" || $0 == "#" } ?? link.endIndex
        let path = link[..<pathEnd], rest = link[pathEnd...]
        guard path.hasSuffix("/index.html") else { return [] }
        let folder = path.dropLast("index.html".count)
        let bare = folder.dropLast()
        return [String(folder + rest)] + (LinkPolicy.endsInDots(bare) ? [String(bare + rest)] : [])
    }

    /// The output path a link points to, with its fragment; nil for external links.
    /// Works on the link's UTF-8 bytes: it runs for every link of every page.
    func resolve(_ link: String, from page: String) -> (String, String?)? {
        var link = link
        return link.withUTF8 { bytes -> (String, String?)? in
            guard let first = bytes.first else { return nil }
            if first == UInt8(ascii: "#") { return (page, String(decoding: bytes[1...], as: UTF8.self)) }
            if Self.leavesSite(bytes) { return nil }
            var end = bytes.count
            var fragment: String?
            if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) {
                fragment = String(decoding: bytes[(hash + 1)...], as: UTF8.self)
                end = hash
            }
            if let query = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) { end = query }
            let rest = bytes[..<end]
            if rest.isEmpty { return (page, fragment) }

            // The target's segments, kept as bytes with where each begins, so `..` can drop one.
            var target: [UInt8] = []
            target.reserveCapacity(page.utf8.count + rest.count)
            var starts: [Int] = []
            var escapedRoot = false
            func add(_ segment: Slice<UnsafeBufferPointer<UInt8>>) {
                if segment.isEmpty || (segment.count == 1 && segment.first == UInt8(ascii: ".")) { return }
                if segment.count == 2, segment.first == UInt8(ascii: "."), segment.last == UInt8(ascii: ".") {
                    guard let start = starts.popLast() else { escapedRoot = true; return }
                    target.removeSubrange(start...)
                    return
                }
                // A segment is dropped from where its separating slash begins.
                starts.append(target.count)
                if !target.isEmpty { target.append(UInt8(ascii: "/")) }
                target.append(contentsOf: segment)
            }
            func addSegments(of path: Slice<UnsafeBufferPointer<UInt8>>) {
                var segmentStart = path.startIndex
                for index in path.indices where path[index] == UInt8(ascii: "/") {
                    add(path[segmentStart..<index])
                    if escapedRoot { return }
                    segmentStart = index + 1
                }
                add(path[segmentStart...])
            }
            if first == UInt8(ascii: "/") {
                var site = sitePath
                let underSite = site.withUTF8 { site in
                    rest.count >= site.count && zip(rest, site).allSatisfy { $0 == $1 }
                }
                guard underSite else { return (String(decoding: rest.dropFirst(), as: UTF8.self), fragment) }
                addSegments(of: rest.dropFirst(sitePath.utf8.count))
            } else {
                var page = page
                page.withUTF8 { page in
                    if let lastSlash = page.lastIndex(of: UInt8(ascii: "/")) { addSegments(of: page[..<lastSlash]) }
                }
                if !escapedRoot { addSegments(of: rest) }
            }
            if escapedRoot { return ("../" + String(decoding: rest, as: UTF8.self), fragment) }
            // A path ending in `/`, `.` or `..` names a folder, as it does for a browser.
            let lastSegment = rest[((rest.lastIndex(of: UInt8(ascii: "/")) ?? rest.startIndex - 1) + 1)...]
            if rest.last == UInt8(ascii: "/") || target.isEmpty
                || (1...2).contains(lastSegment.count) && lastSegment.allSatisfy({ $0 == UInt8(ascii: ".") }) {
                target.append(contentsOf: (target.isEmpty ? "index.html" : "/index.html").utf8)
            }
            let path = String(decoding: target, as: UTF8.self)
            return (target.contains(0x25) ? Self.percentDecoded(path) : path, fragment)
        }
    }

    static let lookalikeReason = "which looks the same but is encoded differently (Unicode normalization), and a browser"
        + " compares links exactly: write the link the way the target is written"

    /// A string compared and hashed by its UTF-8 bytes, that is code point by code point, as
    /// browsers and hosts compare links and ids; Swift compares strings by canonical equivalence
    /// ("é" as one code point equals "e" and a combining accent).
    struct Exact: Hashable {
        var text: String

        init(_ text: String) {
            self.text = text
        }

        static func == (a: Exact, b: Exact) -> Bool {
            var first = a.text, second = b.text
            return first.withUTF8 { x in
                second.withUTF8 { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
            }
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Where a link target is written in a Markdown file, as `](target`, `<target>` or, in raw
    /// HTML, an attribute's value.
    static func locate(_ link: String, in text: String) -> (line: Int, column: Int)? {
        // Found by their bytes: the same link in another Unicode normalization is another link
        // to a browser, and may be written beside this one.
        place(of: [("](", ""), ("]: ", ""), ("<", ">"), ("=\"", "\""), ("='", "'"), ("=", ">"), ("=", " ")]
            .map { before, after in (Array((before + link + after).utf8), before.count) }, in: text)
    }

    /// The line and column (in characters) of the first line holding one of `needles` (each
    /// with how many characters come before what is sought) where `accept` takes it, the
    /// needles tried in order on each line.
    static func place(of needles: [(bytes: [UInt8], before: Int)], in text: String,
                      where accept: (UnsafeBufferPointer<UInt8>, Int) -> Bool = { _, _ in true }) -> (line: Int, column: Int)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            for needle in needles {
                var found: Int?
                _ = ByteSearch.contains(needle.bytes, in: line) { bytes, at in
                    guard accept(bytes, at) else { return false }
                    found = at
                    return true
                }
                if let found {
                    let start = line.utf8.index(line.utf8.startIndex, offsetBy: found)
                    return (index + 1, line[line.startIndex..<start].count + needle.before + 1)
                }
            }
        }
        return nil
    }

    /// The `id`, `href` and `src` values of a page, in one pass over its bytes: jump from one `=`
    /// to the next and look at the attribute name before it (`AttributeValue`). Links to the page's own ids (`#id`,
    /// most of a page's links: citations, notes, sections) are settled here, so no set of
    /// strings is built for them; a broken one is kept for the check to report.
    static func scan(_ raw: UnsafeRawBufferPointer) -> PageScan {
        var scan = PageScan()
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return scan }
        let page = UnsafeBufferPointer(start: base, count: raw.count)
        // Links and the ids that `#id` links of the page name, as where they are in the page (an
        // escaped `&` in an `#id` link is left to the check, which unescapes): strings are made
        // only of the links kept, once each.
        var links: [(start: Int32, end: Int32)] = []
        var fragments: [(start: Int32, end: Int32)] = []
        let count = raw.count
        // Room for about what a page holds (an id or link every few hundred bytes), so the
        // arrays are not grown again and again for each of thousands of pages.
        links.reserveCapacity(count / 512)
        fragments.reserveCapacity(count / 320)
        scan.idEnds.reserveCapacity(count / 400)
        scan.idBytes.reserveCapacity(count / 40)
        var i = 0
        while i < count, let found = memchr(base + i, 0x3D, count - i) {
            let equals = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            i = equals + 1
            let isID = AttributeValue.named("id", before: equals, in: base)
            guard isID || AttributeValue.named("href", before: equals, in: base) || AttributeValue.named("src", before: equals, in: base),
                  let (start, end) = AttributeValue.bounds(after: equals, in: base, count: count) else { continue }
            i = end + 1
            let hasAmpersand = memchr(base + start, 0x26, end - start) != nil
            if isID {
                // An id is compared with links after both are unescaped (`id="a&amp;b"` is `a&b`).
                if hasAmpersand {
                    scan.idBytes += unescape(String(decoding: page[start..<end], as: UTF8.self)).utf8
                } else {
                    scan.idBytes += page[start..<end]
                }
                scan.idEnds.append(Int32(scan.idBytes.count))
                continue
            }
            if start < end, base[start] == UInt8(ascii: "#"), !hasAmpersand {
                if end - start > 1 { fragments.append((Int32(start + 1), Int32(end))) }
                continue
            }
            // A link that leaves the site (`https:`, `mailto:`, `//host`), or an empty one, resolves
            // to no file (`resolve`): nothing to check, and about half of an update's links.
            if Self.leavesSite(UnsafeBufferPointer(rebasing: page[start..<end])) { continue }
            links.append((Int32(start), Int32(end)))
        }
        func text(_ range: (start: Int32, end: Int32)) -> String { String(decoding: page[Int(range.start)..<Int(range.end)], as: UTF8.self) }
        // The page's ids, and then its distinct links, in tables of their bytes' hashes: a link
        // to an id of the page is settled, and a link seen before is passed, without a string.
        // Bytes are what a browser compares (`fragmentForms`); links that differ only in their
        // Unicode normalization are different links to it, and here.
        scan.idBytes.withUnsafeBufferPointer { idBytes in
            var ids = ByteTable(capacity: scan.idEnds.count)
            for (index, end) in scan.idEnds.enumerated() where !ids.insert(idBytes, scan.idStart(index), Int(end)) {
                let id = String(decoding: idBytes[scan.idStart(index)..<Int(end)], as: UTF8.self)
                if !scan.duplicateIDs.contains(where: { Exact($0) == Exact(id) }) { scan.duplicateIDs.append(id) }
            }
            var seen = ByteTable(capacity: links.count)
            for link in links where seen.insert(page, Int(link.start), Int(link.end)) {
                scan.links.append(text(link))
            }
            func found(_ fragment: (start: Int32, end: Int32)) -> Bool {
                let bytes = UnsafeBufferPointer(rebasing: page[Int(fragment.start)..<Int(fragment.end)])
                if isPlainFragment(bytes) { return ids.contains(page, Int(fragment.start), Int(fragment.end), in: idBytes) }
                // Percent-encoded, or with characters a browser's URL parser encodes (an accented
                // heading's id, which cmark writes percent-encoded in the link).
                return fragmentForms(bytes).contains { form in
                    form.withUnsafeBufferPointer { ids.contains($0, 0, $0.count, in: idBytes) }
                }
            }
            var missing = ByteTable(capacity: fragments.count)
            for fragment in fragments where !found(fragment) && missing.insert(page, Int(fragment.start), Int(fragment.end)) {
                // Never the same as a link kept above: those `#` links have an `&` in them.
                scan.links.append("#" + text(fragment))
            }
        }
        return scan
    }

    /// Whether a browser's URL parser leaves a fragment as it is and percent-decoding does not
    /// change it: printable ASCII but for `%` and the characters the parser encodes. Its forms
    /// (`fragmentForms`) are then the fragment itself.
    static func isPlainFragment(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { byte in byte != UInt8(ascii: "%") && !urlParserEncodes(byte) }
    }

    /// Whether a browser's URL parser percent-encodes this byte of a fragment (the fragment
    /// percent-encode set: controls, space, `"`, `<`, `>`, `` ` ``, and what is not ASCII).
    static func urlParserEncodes(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "`")
    }

    /// The ids a browser looks for when it follows a link to `#fragment` (HTML: "find a potential
    /// indicated element"), as UTF-8 bytes: the fragment as the URL parser writes it (spaces,
    /// quotes, angle brackets, backticks, control and non-ASCII characters percent-encoded),
    /// then that percent-decoded and read as UTF-8. An id matches when its code points are the
    /// same, not when Swift's comparison of strings (canonical equivalence) says so. So
    /// `#caf%C3%A9`, which cmark writes for a link to `#café`, finds the heading `café`.
    static func fragmentForms(_ fragment: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        let hex = Array("0123456789ABCDEF".utf8)
        var written: [UInt8] = []
        written.reserveCapacity(fragment.count)
        for byte in fragment {
            if urlParserEncodes(byte) {
                written += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                written.append(byte)
            }
        }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(written.count)
        var i = 0
        while i < written.count {
            if written[i] == UInt8(ascii: "%"), i + 2 < written.count, let high = value(written[i + 1]), let low = value(written[i + 2]) {
                decoded.append(high << 4 | low)
                i += 3
            } else {
                decoded.append(written[i])
                i += 1
            }
        }
        // Read as UTF-8, a malformed sequence as U+FFFD, as the browser does.
        let read = Array(String(decoding: decoded, as: UTF8.self).utf8)
        return read == written ? [written] : [written, read]
    }

    /// A set of byte strings by where they are in a buffer, found by their hash: open addressing
    /// over a table at least twice their number.
    struct ByteTable {
        private var slots: [Int32]
        private var entries: [(hash: UInt64, start: Int32, end: Int32)] = []
        private let mask: Int

        init(capacity: Int) {
            var size = 16
            while size < 2 * capacity { size <<= 1 }
            slots = [Int32](repeating: -1, count: size)
            mask = size - 1
            entries.reserveCapacity(capacity)
        }

        /// Adds `bytes[start..<end]`; false if it was there already.
        mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            let (hash, slot, found) = find(bytes, start, end, in: bytes)
            if found { return false }
            slots[slot] = Int32(entries.count)
            entries.append((hash, Int32(start), Int32(end)))
            return true
        }

        /// Whether `bytes[start..<end]` is in the table, whose entries are in `own`.
        func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, in own: UnsafeBufferPointer<UInt8>) -> Bool {
            find(bytes, start, end, in: own).found
        }

        /// The hash of `bytes[start..<end]`, and the slot that holds the same bytes (found) or the
        /// empty slot where they would go.
        private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                          in own: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, slot: Int, found: Bool) {
            let hash = WordBuffer.hash(bytes, start, end)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 {
                let entry = entries[Int(slots[slot])]
                if entry.hash == hash, Self.equal(own.baseAddress, Int(entry.start), Int(entry.end), bytes.baseAddress, start, end) {
                    return (hash, slot, true)
                }
                slot = (slot + 1) & mask
            }
            return (hash, slot, false)
        }

        private static func equal(_ a: UnsafePointer<UInt8>?, _ aStart: Int, _ aEnd: Int,
                                  _ b: UnsafePointer<UInt8>?, _ bStart: Int, _ bEnd: Int) -> Bool {
            guard aEnd - aStart == bEnd - bStart else { return false }
            guard aEnd > aStart, let a, let b else { return true }
            return memcmp(a + aStart, b + bStart, aEnd - aStart) == 0
        }
    }

    /// Whether `resolve` finds no file for a link, by its first bytes: empty, from another host
    /// (`//`), or with a scheme. Its HTML escapes do not change that: they are of characters
    /// (`&`, `"`, `'`, `<`, `>`) that neither a scheme nor `//` is made of.
    static func leavesSite(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        if first == UInt8(ascii: "#") { return false }
        if bytes.count >= 2, first == UInt8(ascii: "/"), bytes[1] == UInt8(ascii: "/") { return true }
        return LinkPolicy.hasScheme(bytes)
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func percentDecoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
