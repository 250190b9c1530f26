import Foundation

/// What was loaded for a build.
struct BuildInputs: Sendable {
    var content: LoadedContent
    var templates: LoadedTemplates

    /// The inputs as they are once the build wrote a new versions.lock.
    mutating func replaceLock(with text: String, path: String) {
        let file = SourceFile(path: content.lock?.path ?? path, text: text)
        content.lock = file
        content.texts[file.path] = text
    }

    var texts: [String: String] {
        var texts = content.texts
        for file in templates.templates.values { texts[file.path] = file.text }
        return texts
    }

    /// Digests of the inputs, computed once per build (the files across the cores) and shared by
    /// `fingerprint` and `situationKeys`. The lock is not part of them: both read it as it is then.
    struct Digests: Sendable {
        /// Everything outside the situations' folders and the lock.
        var siteWide: String
        /// Each file in a situation's folder, by path.
        var files: [String: String]
        /// The same, by situation (slug), each situation's files in order of path.
        var bySlug: [String: [(path: String, digest: String)]]
    }

    func digests(_ options: Builder.Options) -> Digests {
        let texts = self.texts
        let prefix = content.root + "/situations/"
        let files = texts.filter { $0.key.hasPrefix(prefix) }.map { ($0.key, $0.value) }
        let hashed = files.concurrentMap { path, text in (path: path, digest: Digest.sha256(text: text)) }
        var bySlug: [String: [(path: String, digest: String)]] = [:]
        for file in hashed.sorted(by: { $0.path < $1.path }) {
            bySlug[String(file.path.dropFirst(prefix.count).prefix { $0 != "/" }), default: []].append(file)
        }
        return Digests(siteWide: siteWideDigest(options, texts: texts),
                       files: Dictionary(hashed.map { ($0.path, $0.digest) }, uniquingKeysWith: { first, _ in first }),
                       bySlug: bySlug)
    }

    /// A digest of everything a build's output and diagnostics depend on: every file read, the
    /// options, the day (staleness warnings) and this program's version.
    func fingerprint(_ digests: Digests) -> String {
        var hasher = Hasher256()
        hasher.add(digests.siteWide)
        for (path, digest) in digests.files.sorted(by: { $0.key < $1.key }) {
            hasher.add(path)
            hasher.add(digest)
        }
        hasher.add(content.lock?.text ?? "")
        return hasher.finish()
    }

    /// `situationKeys`, with the locked record each situation's key was made from.
    struct SituationKeys: Sendable {
        var keys: [String: String] = [:]
        var locked: [String: [String: VersionLock.Entry]] = [:]
    }

    /// For each situation, a digest of what its pages depend on: the site-wide inputs (site.yaml,
    /// templates, assets, plain pages for the navigation, options, the day) and its own files and
    /// locked record. Another situation's files do not count. Made across the cores.
    /// - Parameters:
    ///   - earlier: keys made from the same digests and another lock (before the build wrote it):
    ///     a situation whose locked record did not change keeps its key.
    ///   - lock: the record the content's `versions.lock` holds, when the caller has it already
    ///     (the one the build has just written): it is not decoded from the text again.
    func situationKeys(_ digests: Digests, reusing earlier: SituationKeys? = nil, lock: VersionLock? = nil) -> SituationKeys {
        var lockBySlug: [String: [String: VersionLock.Entry]] = [:]
        let record: VersionLock?
        if let lock {
            record = lock
        } else if case .success(let parsed) = VersionLock.parse(content.lock) {
            record = parsed.lock
        } else {
            record = nil
        }
        for (key, entry) in record?.updates ?? [:] {
            lockBySlug[String(key.prefix { $0 != "/" }), default: [:]][key] = entry
        }
        let keys = content.situations.map(\.slug).concurrentMap { [lockBySlug] slug -> (String, String) in
            let locked = lockBySlug[slug] ?? [:]
            if let earlier, let key = earlier.keys[slug], earlier.locked[slug] ?? [:] == locked { return (slug, key) }
            var hasher = Hasher256()
            hasher.add(digests.siteWide)
            for (path, digest) in digests.bySlug[slug] ?? [] {
                hasher.add(path)
                hasher.add(digest)
            }
            VersionLock(updates: locked).add(to: &hasher)
            return (slug, hasher.finish())
        }
        return SituationKeys(keys: Dictionary(keys, uniquingKeysWith: { first, _ in first }), locked: lockBySlug)
    }

    /// Everything outside the situations' folders and the lock.
    private func siteWideDigest(_ options: Builder.Options, texts: [String: String]) -> String {
        var hasher = Hasher256()
        hasher.add(BuildState.toolVersion)
        hasher.add("drafts=\(options.drafts) pdf=\(options.pdf) today=\(options.today)")
        hasher.add(options.content)
        hasher.add(options.templates)
        let situations = content.root + "/situations/"
        for (path, text) in texts.sorted(by: { $0.key < $1.key })
        where !path.hasPrefix(situations) && path != content.lock?.path {
            hasher.add(path)
            hasher.add(text)
        }
        for asset in templates.assets.sorted(by: { $0.name < $1.name }) {
            hasher.add(asset.name)
            hasher.add(asset.data)
        }
        // Problems met while loading (a file that could not be read) must not be skipped over.
        hasher.add(content.diagnostics.map(\.description).joined(separator: "\n"))
        hasher.add(templates.diagnostics.map(\.description).joined(separator: "\n"))
        return hasher.finish()
    }
}

/// The record a successful build leaves beside its output (`.Public.state.json`), so the next
/// build can tell in a moment that nothing changed.
struct BuildState: Codable, Sendable {
    /// Changed whenever the same input comes out differently, so no page of the older output is
    /// kept, and no YAML parsed by an older program (`YAMLCache`): the version, and which build of
    /// the program this is (its file's size and time), since a program built again from newer
    /// sources under the same version may make other pages or say other things.
    static let toolVersion = "dossier-9" + programIdentity

    /// The running program's file, by size and modification time (Linux's `/proc/self/exe`);
    /// empty where there is none.
    static let programIdentity = identity(of: "/proc/self/exe")

    /// A file's size and modification time, as text; empty for no file.
    static func identity(of path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "" }
        return " \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    struct StoredDiagnostic: Codable, Sendable {
        var severity: String
        var file: String
        var line: Int
        var column: Int
        var message: String

        init(_ diagnostic: Diagnostic) {
            severity = diagnostic.severity.rawValue
            file = diagnostic.file
            line = diagnostic.line
            column = diagnostic.column
            message = diagnostic.message
        }

        var diagnostic: Diagnostic {
            Diagnostic(Diagnostic.Severity(rawValue: severity) ?? .warning, file, line: line, column: column, message)
        }
    }

    /// What one situation's pages were made from, and the warnings resolving it gave.
    struct SituationRecord: Codable, Sendable {
        var key: String
        var diagnostics: [StoredDiagnostic]
    }

    var key: String
    /// SHA-256 of the output's `manifest.json` as published.
    var manifest: String?
    var diagnostics: [StoredDiagnostic]
    var situationCount: Int
    var versionCount: Int
    var pageCount: Int
    var pdfCount: Int
    var fileCount: Int
    var situations: [String: SituationRecord]

    init(key: String, manifest: String?, result: Builder.Result, situations keys: [String: String]) {
        self.key = key
        self.manifest = manifest
        diagnostics = result.diagnostics.map(StoredDiagnostic.init)
        var records: [String: SituationRecord] = [:]
        for (slug, situationKey) in keys {
            let folder = "/situations/\(slug)/"
            records[slug] = SituationRecord(key: situationKey, diagnostics: result.resolveDiagnostics
                .filter { $0.file.contains(folder) }.map(StoredDiagnostic.init))
        }
        situations = records
        situationCount = result.situationCount
        versionCount = result.versionCount
        pageCount = result.pageCount
        pdfCount = result.pdfCount
        fileCount = result.paths.count + result.carried.count
    }

    func result(texts: [String: String]) -> Builder.Result {
        var result = Builder.emptyResult(diagnostics.map(\.diagnostic))
        result.texts = texts
        result.situationCount = situationCount
        result.versionCount = versionCount
        result.pageCount = pageCount
        result.pdfCount = pdfCount
        result.unchangedFileCount = fileCount
        return result
    }

    static func path(beside output: String) -> URL {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).state.json")
    }

    static func read(beside output: String) -> BuildState? {
        // A missing or unreadable state only means a full build.
        guard let data = try? Data(contentsOf: path(beside: output)) else { return nil }
        return try? JSONDecoder().decode(BuildState.self, from: data)
    }

    func write(beside output: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Publisher.writeAtomically(try encoder.encode(self), to: Self.path(beside: output).path)
    }
}
