import Foundation

/// The whole pipeline, in order: load → validate → resolve → render → publish.
/// `generate` stops before the disk; `build` also publishes.
public struct Builder: Sendable {
    public struct Options: Sendable {
        public var content: String
        public var templates: String
        public var output: String
        public var drafts: Bool
        public var strict: Bool
        /// Render each update's print view to PDF with WeasyPrint.
        public var pdf: Bool
        /// Record newly published or corrected updates in versions.lock (not for previews).
        public var writeLock = true
        /// Fail instead when versions.lock does not already record what the build publishes (for
        /// CI, so every update deployed is on the committed record).
        public var locked = false
        /// The day staleness is measured against (warnings only; never in the output).
        public var today: IsoDate
        /// Render partials that show only an update's content once per update; off only in the
        /// test that checks this changes no byte.
        var sharePartials = true
        /// Render each template once per shape of view and fill in the texts of the others
        /// (`Skeletons`); off only in the tests that check this changes no byte, and in the
        /// benchmark's `--stages --full-renders`, which measures what it saves.
        public var skeletons = true
        /// Render once per shape only in builds that make at least this many pages: below, most
        /// pages have a shape of their own, and recording it costs more than rendering the page
        /// in full (an edit rebuild makes about 30). Set to 0 in the tests of skeletons.
        public var skeletonsFromPages = 200

        public init(content: String = "Content", templates: String = "Templates", output: String = "Public",
                    drafts: Bool = false, strict: Bool = false, pdf: Bool = false, today: IsoDate) {
            self.pdf = pdf
            self.content = content
            self.templates = templates
            self.output = output
            self.drafts = drafts
            self.strict = strict
            self.today = today
        }
    }

    public struct Result: Sendable {
        /// The files of the site. A build that writes keeps only what it had to (none, or the
        /// print views and assets for PDFs): each file went to disk as it was made.
        public var files: [OutputFile]
        /// The path of every file this build made, sorted (files kept from the last build are in `carried`).
        public var paths: [String] = []
        public var diagnostics: [Diagnostic]
        /// Texts of every file read, by displayed path, for quoting source lines.
        public var texts: [String: String]
        public var situationCount: Int
        public var versionCount: Int
        public var pageCount: Int
        public var pdfCount = 0
        /// Files the publish wrote; the others were unchanged and kept as they were.
        public var writtenCount = 0
        /// When nothing changed since the last build: how many files the untouched site holds.
        public var unchangedFileCount: Int?
        /// Files kept from the current output (situations that did not change).
        public var carried: [ManifestEntry] = []
        /// SHA-256 of the manifest this build made: what the published site's manifest is once it is swapped in.
        var manifestSHA256: String?
        /// What the resolve stage reported, to be remembered per situation.
        var resolveDiagnostics: [Diagnostic] = []
        /// How long each stage took, for `--verbose`.
        public var timings: [(stage: String, duration: Duration)] = []
        /// The partials rendered ahead (`TemplateLibrary.sharedPartials` and `versionPartials`), for
        /// `--verbose`: a template author sees whether a change to a partial still lets it be.
        public var partialsAhead: (perUpdate: [String], perVersion: [String])?
        /// How each template was rendered (`Skeletons`), for `--verbose` and tests: shapes by
        /// template, or why every page was rendered in full.
        var skeletons: Skeletons?
        var skeletonsRefusal: String?
        public var templateShapes: String? {
            if let skeletonsRefusal { return "none: every page is rendered in full, as \(skeletonsRefusal)" }
            guard let skeletons else { return nil }
            let refused = skeletons.refusedTemplates
            let counts = skeletons.counts.filter { !refused.contains($0.key) }
            var parts = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            parts += refused.sorted().map { "\($0) (in full: it shows a whole view, or a value of another kind)" }
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
        /// The public record to write to `versions.lock` after a successful build, when it changed.
        public var lockToWrite: VersionLock?
        /// Its text, when the build is to write it (`Options.writeLock`).
        public var lockText: String?
        /// What that record adds to the one read, for the editor to commit.
        public var lockChanges: LockChanges?

        /// Errors, or warnings under `--strict`, stop the build.
        public func failed(strict: Bool) -> Bool {
            diagnostics.hasErrors || (strict && !diagnostics.isEmpty)
        }
    }

    public var fileSystem: FileSystem
    /// Told how many of the slow steps (PDFs) are done, for a progress line.
    public var progress: @Sendable (Int, Int) -> Void

    public init(fileSystem: FileSystem = .real, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.fileSystem = fileSystem
        self.progress = progress
    }

    static func emptyResult(_ diagnostics: [Diagnostic]) -> Result {
        Result(files: [], diagnostics: diagnostics, texts: [:], situationCount: 0, versionCount: 0, pageCount: 0)
    }

    /// Everything but writing: the files the site would hold and every diagnostic.
    public func generate(_ options: Options) async -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let inputs = load(options)
        let loaded = clock.now - start
        var result = await generate(options, inputs: inputs)
        result.timings.insert(("load", loaded), at: 0)
        return result
    }

    /// Reads the content and templates: the `load` stage.
    /// - Parameter yaml: what earlier builds parsed the YAML to, when the build keeps it.
    func load(_ options: Options, yaml: YAMLCache? = nil) -> BuildInputs {
        BuildInputs(content: ContentLoader(fileSystem: fileSystem, yaml: yaml).load(from: options.content),
                    templates: TemplateLoader(fileSystem: fileSystem).load(from: options.templates))
    }

    /// Whether an update of the situation links into another situation's pages
    /// (`/situations/other/…`): its pages are then made and checked again at every build, since
    /// the pages it links to may have changed while its own files did not.
    static func linksIntoOtherSituations(_ folder: LoadedContent.SituationFolder) -> Bool {
        let marker = Array("/situations/".utf8)
        let own = Array(folder.slug.utf8) + [UInt8(ascii: "/")]
        return folder.updates.contains { update in
            ByteSearch.contains(marker, in: update.file.text) { bytes, at in !bytes[(at + marker.count)...].starts(with: own) }
        }
    }

    /// - Parameters:
    ///   - reuse: situations unchanged since the last build, with its diagnostics for them.
    ///   - carried: the files of those situations, kept from the current output.
    ///   - staging: where files go as they are made; nil keeps them all in memory.
    ///   - fingerprints: SHA-256 of the situations' files' texts, by path, when already computed.
    /// - Parameter newLock: told the record the build will write into versions.lock, if it
    ///   changes, as soon as it is known (before the pages are made).
    func generate(_ options: Options, inputs: BuildInputs, reuse: [String: [Diagnostic]] = [:], fingerprints: [String: String] = [:],
                  carried: [ManifestEntry] = [], staging: Staging? = nil,
                  newLock: (@Sendable (VersionLock) -> Void)? = nil) async -> Result {
        let clock = ContinuousClock()
        var start = clock.now
        var result = Self.emptyResult([])
        func lap(_ stage: String) {
            result.timings.append((stage, clock.now - start))
            start = clock.now
        }
        let content = inputs.content
        let templates = inputs.templates
        result.texts = inputs.texts

        // Templates are checked up front, so their errors are reported with the content's; they
        // are parsed and checked while the content is validated (each about 5 ms, on one core).
        async let made = TemplateLibrary.make(templates, sharePartials: options.sharePartials, skeletons: options.skeletons)
        async let madeAssets = PublishedAssets.make(templates.assets, folder: templates.root + "/assets")
        let (validated, validation) = ContentValidator().validate(content)
        let (library, templateProblems) = await made
        let (assets, assetProblems) = await madeAssets
        result.partialsAhead = library.map { ($0.sharedPartials, $0.versionPartials) }
        result.skeletons = library?.skeletons
        result.skeletonsRefusal = options.skeletons ? library?.skeletonsRefusal : nil
        result.diagnostics = validation + templateProblems + assetProblems
        lap("validate")
        guard let validated else { return result }
        let (resolved, resolution) = await Resolver(today: options.today, includeDrafts: options.drafts, reuse: reuse,
                                                    fingerprints: fingerprints,
                                                    reservedIDs: .of(templates: templates.templates.values.map(\.text)))
            .resolve(validated)
        result.diagnostics += resolution
        result.resolveDiagnostics = resolution
        result.carried = carried
        result.lockChanges = resolved.lockChanges
        if options.locked, let changes = resolved.lockChanges {
            result.diagnostics.append(.error(validated.lock?.path ?? options.content + "/versions.lock", changes.lockedMessage()))
        }
        lap("resolve")
        guard var library, !result.diagnostics.hasErrors else { return result }
        let pagesMade = resolved.situations.reduce(0) { $0 + ($1.reused ? 0 : 3 * $1.versions.count + 3) } + resolved.pages.count + 3
        if library.skeletons != nil, pagesMade < options.skeletonsFromPages {
            library = library.withoutSkeletons()
            result.skeletons = nil
            result.skeletonsRefusal = "this build makes about \(pagesMade) pages, fewer than \(options.skeletonsFromPages)"
        }
        // The new lock's text (JSON with sorted keys: 0.02 to 0.03 s for 2,000 updates) is made
        // beside the pages rather than after the site is published.
        let lockToWrite = resolved.lockChanges == nil ? nil : resolved.lock
        async let lockText = options.writeLock ? lockToWrite?.text : nil
        if options.writeLock, let lockToWrite { newLock?(lockToWrite) }
        // Written as they are made, the pages stay in memory only when the PDF stage will read them.
        let destination = staging.map { staging in
            SiteRenderer.Destination(staging: staging, keep: { [pdf = options.pdf] path in
                pdf && (path.hasPrefix("assets/") || path.hasSuffix("/print/index.html"))
            })
        } ?? .memory
        // Which content file each page comes from, for the link check's messages: made beside the
        // pages. (On a thread of its own, not an `async let`: a child task keeps what it captured,
        // the whole site, until the function returns, and the site was then freed on this core.)
        let origins = Background { [resolved] in PageContext.origins(of: resolved) }
        var (files, records, rendering) = await SiteRenderer(pdf: options.pdf)
            .render(resolved, library: library, assets: assets, templates: templates.root, to: destination)
        result.diagnostics += rendering
        lap("render")
        if options.pdf, !result.diagnostics.hasErrors {
            switch PDFRenderer.locate() {
            case .failure(let missing):
                result.diagnostics.append(missing)
            case .success(let program):
                let output = URL(fileURLWithPath: options.output).standardizedFileURL
                let cache = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).pdf-cache")
                let renderer = PDFRenderer(weasyprint: program, cacheFolder: cache)
                let (pdfs, problems) = await renderer.render(PDFRenderer.jobs(for: resolved), files: files, progress: progress)
                result.diagnostics += problems
                result.pdfCount = pdfs.count
                for pdf in pdfs {
                    let (kept, record) = destination.emit(pdf)
                    if staging == nil, let kept { files.append(kept) }
                    records.append(record)
                }
                files.sort { $0.path < $1.path }
            }
            lap("pdf")
        }
        // The manifest lists every file, those kept from the last build too; it goes last. Made
        // while the links are checked, and written if they are sound.
        let entries = records.map(\.entry)
        async let manifestFile = SiteRenderer.manifest(of: entries, carried: carried)
        if !result.diagnostics.hasErrors {
            let outputName = URL(fileURLWithPath: options.output).lastPathComponent
            let pageOrigins = await origins.value
            let broken = LinkChecker(sitePath: PageContext.sitePath(resolved.site.baseURL), outputName: outputName)
                .check(records, origins: pageOrigins, texts: result.texts, kept: Set(carried.map(\.path)),
                       keptPage: { path in try? Data(contentsOf: URL(fileURLWithPath: options.output + "/" + path)) })
            result.diagnostics += broken
            lap("links")
        }
        if !result.diagnostics.hasErrors {
            let (manifest, record) = destination.emit(await manifestFile)
            records.append(record)
            result.manifestSHA256 = record.entry.sha256
            if let manifest { files.append(manifest) }
            result.files = files
            result.paths = records.map(\.entry.path).sorted()
        }
        result.situationCount = resolved.situations.filter { $0.latestIndex != nil }.count
        result.versionCount = resolved.situations.reduce(0) { $0 + $1.versions.count }
        result.pageCount = resolved.pages.count
        result.lockToWrite = lockToWrite
        result.lockText = await lockText
        // What the build held of the site (every body's HTML, every redline, each page's ids and
        // links) is freed by a task of its own while the site is published: freed here, on the way
        // out of this function, it took 0.06 to 0.08 s of a cold build with the other core idle.
        // A process that ends first leaves it to the system.
        let held = (consume resolved, consume validated, consume records)
        Task.detached(priority: .utility) { withExtendedLifetime(held) {} }
        return result
    }

    /// Generates, then publishes into the output folder unless something failed.
    /// Returns the result; on failure the output folder is left exactly as it was.
    public func build(_ options: Options) async throws -> Result {
        if let problem = Publisher.checkOutput(options.output, against: [options.content, options.templates]) {
            return Self.emptyResult([problem])
        }
        let publisher = Publisher(output: options.output)
        return try await publisher.withLock {
            let clock = ContinuousClock()
            var start = clock.now
            // The YAML is parsed only where it changed since the last build (`YAMLCache`).
            let yaml = YAMLCache(contentsOf: YAMLCache.path(beside: options.output))
            let inputs = load(options, yaml: yaml)
            let loadTime = clock.now - start
            // Nothing changed since the last build, and the output is as it left it: done.
            let digests = inputs.digests(options)
            let key = inputs.fingerprint(digests)
            let state = BuildState.read(beside: options.output)
            let manifestData = publisher.currentManifestData()
            let manifestDigest = manifestData.map(Digest.sha256)
            if let state, state.key == key, state.manifest == manifestDigest {
                var result = state.result(texts: inputs.texts)
                result.timings = [("load", loadTime), ("unchanged", clock.now - start - loadTime)]
                return result
            }
            // What the YAML parsed to is kept for the next build, written beside the site while it
            // is made (an entry holds whatever the build's outcome: it is what the text parses to).
            let savingYAML = Background { yaml.save(beside: options.output) }
            // (Waited for on every way out, a failure to publish too, so no half-written file is left.)
            defer { _ = savingYAML.waited }
            // The folder an edit rebuild turns into the new site is read while the build plans,
            // checks and makes what changed, instead of at the end.
            let previousSurvey = publisher.surveyPrevious()
            // Situations whose every input is as the last build saw them keep their pages.
            var reuse: [String: [Diagnostic]] = [:]
            var carried: [ManifestEntry] = []
            var held: [FileTree.FileID] = []
            var plannedKeys: BuildInputs.SituationKeys?
            // The published manifest is decoded while the situations' keys are made (which
            // decodes the lock): each takes 0.02 to 0.03 s for 2,000 updates, on one core.
            let published = Background { manifestData.map(ManifestEntry.parse) ?? [] }
            if let state, state.manifest != nil, state.manifest == manifestDigest {
                let planned = inputs.situationKeys(digests)
                plannedKeys = planned
                let keys = planned.keys
                let bySlug = Dictionary(grouping: await published.value.filter { $0.path.hasPrefix("situations/") }) {
                    String($0.path.dropFirst("situations/".count).prefix { $0 != "/" })
                }
                // Decided across the cores: each reads its situation's texts and checks its files are there.
                let kept = inputs.content.situations.concurrentMap { folder
                    -> (slug: String, files: [ManifestEntry], held: [FileTree.FileID], diagnostics: [Diagnostic])? in
                    guard let record = state.situations[folder.slug], record.key == keys[folder.slug],
                          !Self.linksIntoOtherSituations(folder) else { return nil }
                    let files = bySlug[folder.slug] ?? []
                    guard !files.isEmpty, let held = publisher.heldFiles(files, slug: folder.slug) else { return nil }
                    return (folder.slug, files, held, record.diagnostics.map(\.diagnostic))
                }
                for case let situation? in kept {
                    reuse[situation.slug] = situation.diagnostics
                    carried += situation.files
                    held += situation.held
                }
            }
            // The situations' keys for the record are made beside the site rather than on one
            // core after it is published: with no plan (the first build into this output) from
            // the lock as the build found it, and again from the new lock once the build knows it.
            let keysAhead = KeysAhead(plannedKeys == nil ? Background { [inputs, digests] in inputs.situationKeys(digests) } : nil)
            let staging = try publisher.stage(replacing: await published.value, survey: previousSurvey)
            let planTime = clock.now - start - loadTime
            // The pages of situations that did not change are placed in the new site while the
            // others are made: the file system's work (thousands of folders and links after a cold
            // build) beside the program's. Their paths are apart from every page made now. On a
            // queue of its own: `keep` waits on the file system, which would hold a thread of the
            // pool the build's tasks run on.
            let keeping = Background { [carried, held] in staging.keep(carried, held: held) }
            // The new site's paths, for pruning a reused folder: the kept files' gathered now. (A
            // new folder holds only what the build put there: nothing to prune, no paths needed.)
            let sitePaths = !staging.reused ? nil : Background { [carried] in FileTree.SitePaths(carried.lazy.map(\.path)) }
            var result = await generate(options, inputs: inputs, reuse: reuse, fingerprints: digests.files,
                                        carried: carried, staging: staging) { [inputs, digests, plannedKeys] lock in
                keysAhead.afterLock = Background { inputs.situationKeys(digests, reusing: plannedKeys ?? keysAhead.before?.waited, lock: lock) }
            }
            result.timings.insert(contentsOf: [("load", loadTime), ("plan", planTime)], at: 0)
            await keeping.value
            await savingYAML.value
            if result.failed(strict: options.strict) || result.paths.isEmpty {
                staging.abandon()
                return result
            }
            start = clock.now
            var paths = FileTree.SitePaths([String]())
            if let sitePaths {
                paths = await sitePaths.value
                for path in result.paths { paths.insert(path) }
            }
            try staging.commit(paths: paths)
            let written = staging.writtenCount
            result.timings.append(("publish", clock.now - start))
            start = clock.now
            let lockText = result.lockText
            if let lockText {
                try Publisher.writeAtomically(Data(lockText.utf8), to: options.content + "/versions.lock")
            }
            result.writtenCount = written
            // Remember what this build saw and made; written after the site, so a state file
            // never describes a site that was not published. A lock write changes the inputs.
            var final = inputs
            if let lockText {
                final.replaceLock(with: lockText, path: options.content + "/versions.lock")
            }
            // The situations' keys read the lock as it is now: the one just written (not decoded
            // from its text again), or, when the build wrote none, the one the plan read.
            var planned = plannedKeys
            if let before = keysAhead.before { planned = await before.value }
            let keys: [String: String]
            if lockText == nil, let planned {
                keys = planned.keys
            } else if lockText != nil, let afterLock = keysAhead.afterLock {
                keys = await afterLock.value.keys
            } else {
                keys = final.situationKeys(digests, reusing: planned, lock: lockText == nil ? nil : result.lockToWrite).keys
            }
            try BuildState(key: final.fingerprint(digests), manifest: result.manifestSHA256 ?? publisher.currentManifestDigest(),
                           result: result, situations: keys)
                .write(beside: options.output)
            result.timings.append(("record", clock.now - start))
            return result
        }
    }
}

extension IsoDate {
    /// Today, or the day `SOURCE_DATE_EPOCH` names, so reproducible builds see a fixed day.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> IsoDate {
        if let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int(text) {
            return IsoDate(epochSeconds: seconds)
        }
        return IsoDate(epochSeconds: Int(Date().timeIntervalSince1970))
    }
}

/// The situations' keys for the build's record, made while the site is: from the lock the
/// build found (`before`, when there was no plan) and from the one it writes (`afterLock`).
private final class KeysAhead: @unchecked Sendable {
    let before: Background<BuildInputs.SituationKeys>?
    private let mutex = NSLock()
    private var after: Background<BuildInputs.SituationKeys>?

    init(_ before: Background<BuildInputs.SituationKeys>?) {
        self.before = before
    }

    var afterLock: Background<BuildInputs.SituationKeys>? {
        get { mutex.withLock { after } }
        set { mutex.withLock { after = newValue } }
    }
}
