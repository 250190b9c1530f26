import Foundation

/// The `render` stage: view models into templates, plus the feed, sitemap and manifest.
/// Pure: resolved content in, output files out.
public struct SiteRenderer: Sendable {
    /// Whether the build makes PDFs, so pages link to them.
    public var pdf: Bool

    public init(pdf: Bool = false) {
        self.pdf = pdf
    }

    /// Pages rendered together by one task: an update's pages, or a page of its own.
    /// Views are made when the job runs, so view models live only as long as their pages.
    struct Job: Sendable {
        struct Page: Sendable {
            var path: String
            var template: String
        }

        var pages: [Page]
        /// The view of each page, in order, and for an update's pages the content they share:
        /// the partials that show only that content are rendered once for all of them.
        var views: @Sendable () -> (content: UpdateContentView?, views: [any FieldView])

        static func single(path: String, template: String, view: @autoclosure @escaping @Sendable () -> any FieldView) -> Job {
            Job(pages: [Page(path: path, template: template)]) { (nil, [view()]) }
        }
    }

    /// What the later stages need of a file once its bytes may be gone: its manifest line and,
    /// for a page, its ids and links.
    struct FileRecord: Sendable {
        var entry: ManifestEntry
        var scan: LinkChecker.PageScan?
    }

    /// Where rendered files go as they are made. With a staging folder, a file's bytes are written
    /// there at once and kept in memory only if `keep` says so (what the PDF stage reads).
    struct Destination: Sendable {
        var staging: Staging?
        var keep: @Sendable (String) -> Bool

        /// Everything stays in memory (a build that does not write, and tests).
        static let memory = Destination(staging: nil, keep: { _ in true })

        /// Records a file, hands it to the staging folder, and returns it if it is to be kept.
        func emit(_ file: OutputFile) -> (OutputFile?, FileRecord) {
            let record = file.data.withUnsafeBytes { place(file.path, $0) }
            return (staging == nil || keep(file.path) ? file : nil, record)
        }

        /// Records a rendered page. A page that goes only to the staging folder is hashed, scanned
        /// and written from its text's own UTF-8 bytes, never copied into a `Data` first.
        func emit(page path: String, html: RenderedText) -> (OutputFile?, FileRecord) {
            guard staging != nil, !keep(path) else { return emit(OutputFile(path: path, data: html.data)) }
            return (nil, html.withBytes { place(path, $0) })
        }

        /// Hashes a file's bytes, scans a page's ids and links, and hands the bytes to the staging folder.
        private func place(_ path: String, _ bytes: UnsafeRawBufferPointer) -> FileRecord {
            let sha256 = Digest.sha256(bytes)
            staging?.accept(path: path, bytes: bytes, sha256: sha256)
            return FileRecord(entry: ManifestEntry(path: path, bytes: bytes.count, sha256: sha256),
                              scan: path.hasSuffix(".html") ? LinkChecker.scan(bytes) : nil)
        }
    }

    /// Renders with templates checked by `TemplateLibrary.make` and assets made by `PublishedAssets.make`.
    /// Pages are rendered across the cores and each goes to `destination` as soon as it is made,
    /// so a large site is never held in memory whole. Returns the files kept, sorted, and a record of each.
    /// - Parameter templates: the templates folder as messages name it.
    func render(_ site: ResolvedSite, library: TemplateLibrary, assets: PublishedAssets, templates: String,
                to destination: Destination = .memory) async -> ([OutputFile], [FileRecord], [Diagnostic]) {
        var files: [OutputFile] = []
        var records: [FileRecord] = []
        func emit(_ file: OutputFile) {
            let (kept, record) = destination.emit(file)
            if let kept { files.append(kept) }
            records.append(record)
        }
        // `PublishedAssets.make` reported a missing stylesheet with the templates' problems.
        guard let stylesheet = assets.paths["dossier.css"], let printStylesheet = assets.paths["print.css"] else { return ([], [], []) }
        assets.files.forEach(emit)

        let versionPartials = library.versionPartials.isEmpty ? nil
            : VersionPartials.Renderer(names: library.versionPartials, templates: library.versionPartialTemplates,
                                       collapse: library.versionListsCollapse, render: library.renderVersionPartial)
        let context = PageContext(site: site, stylesheet: stylesheet, printStylesheet: printStylesheet, pdf: pdf,
                                  assets: AssetPaths(assets.paths), versionPartials: versionPartials)
        destination.staging?.makeFolders(ahead: PageContext.pagePaths(of: site))
        let groups = context.jobGroups()
        let rendered = await withTaskGroup(of: [(OutputFile?, FileRecord?, Diagnostic?)].self) { group in
            // The feed and the sitemap list every update: made beside the pages, not after them,
            // and beside each other (in an edit rebuild they are most of what is made).
            for make in Feeds(site: site).makers {
                group.addTask {
                    let (kept, record) = destination.emit(make())
                    return [(kept, record, nil)]
                }
            }
            for makeJobs in groups {
                group.addTask {
                    makeJobs().flatMap { job -> [(OutputFile?, FileRecord?, Diagnostic?)] in
                        let (content, views) = job.views()
                        let shared = content.map(library.renderSharedPartials) ?? [:]
                        return zip(job.pages, views).map { page, view in
                            guard let html = library.renderPage(view, template: page.template, shared: shared) else {
                                return (nil, nil, .error(templates + "/\(page.template).mustache",
                                                         "template '\(page.template)' could not be rendered for \(page.path)"))
                            }
                            let (kept, record) = destination.emit(page: page.path, html: html)
                            return (kept, record, nil)
                        }
                    }
                }
            }
            var out: [(OutputFile?, FileRecord?, Diagnostic?)] = []
            out.reserveCapacity(site.situations.reduce(site.pages.count + 3) { $0 + 3 * $1.versions.count + 3 })
            for await results in group { out += results }
            return out
        }
        var problems: [Diagnostic] = []
        for (kept, record, problem) in rendered {
            if let kept { files.append(kept) }
            if let record { records.append(record) }
            if let problem { problems.append(problem) }
        }
        files.sort { $0.path < $1.path }
        return (files, records, problems)
    }

    /// `dossier.css` → `dossier.3f2a9c1b.css`: a new name whenever the bytes change, so hosts can cache forever.
    static func hashedName(_ name: String, data: Data) -> String {
        let digest = Digest.sha256(data)
        let short = String(digest.prefix(10))
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + "." + short }
        return String(name[..<dot]) + "." + short + String(name[dot...])
    }

    /// Every output file with its SHA-256: what was published, verifiable later.
    /// - Parameter carried: files kept from the previous build, by their manifest entries.
    static func manifest(of entries: [ManifestEntry], carried: [ManifestEntry] = []) -> OutputFile {
        let entries = (entries + carried).sorted(by: { $0.path < $1.path })
        // Appended to one buffer (a line built by interpolation for each of 6,400 files was a
        // hundredth of a second at the end of every build).
        var text: [UInt8] = []
        text.reserveCapacity(entries.count * 140 + 40)
        text.append(utf8: "{\n  \"files\": [\n")
        for (index, entry) in entries.enumerated() {
            if index > 0 { text.append(utf8: ",\n") }
            text.append(utf8: "    {\"path\": ")
            text.append(utf8: jsonString(entry.path))
            text.append(utf8: ", \"bytes\": ")
            text.append(utf8: String(entry.bytes))
            text.append(utf8: ", \"sha256\": \"")
            text.append(utf8: entry.sha256)
            text.append(utf8: "\"}")
        }
        text.append(utf8: "\n  ]\n}\n")
        return OutputFile(path: "manifest.json", data: Data(text))
    }

    static func jsonString(_ text: String) -> String {
        // Most paths need no escaping at all: found on the bytes, they are copied whole.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
