import Crypto
import Foundation

/// What was loaded for a build.
struct BuildInputs: Sendable {
    var content: LoadedContent
    var templates: LoadedTemplates

    var texts: [String: String] {
        var texts = content.texts
        for file in templates.templates.values { texts[file.path] = file.text }
        return texts
    }

    /// A digest of everything a build's output and diagnostics depend on: every file read, the
    /// options, the day (staleness warnings) and this program's version.
    func fingerprint(_ options: Builder.Options) -> String {
        digest(options) { _ in true }
    }

    /// A digest of what one situation's pages depend on: the site-wide inputs (site.yaml,
    /// templates, assets, plain pages for the navigation, options) and the situation's own files
    /// and locked record. Another situation's files do not count.
    func situationKey(_ folder: LoadedContent.SituationFolder, _ options: Builder.Options) -> String {
        let situations = content.root + "/situations/"
        let lockText = content.lock?.text ?? ""
        let lock: VersionLock
        if case .success(let parsed) = VersionLock.parse(content.lock) { lock = parsed } else { lock = VersionLock() }
        let own = VersionLock(updates: lock.updates.filter { $0.key.hasPrefix(folder.slug + "/") })
        return digest(options, extra: lockText.isEmpty ? "" : own.text) { path in
            !path.hasPrefix(situations) || path.hasPrefix(folder.path + "/")
        }
    }

    func situationKeys(_ options: Builder.Options) -> [String: String] {
        Dictionary(content.situations.map { ($0.slug, situationKey($0, options)) }, uniquingKeysWith: { first, _ in first })
    }

    private func digest(_ options: Builder.Options, extra: String = "", including: (String) -> Bool) -> String {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Data("\(text.utf8.count):".utf8))
            hasher.update(data: Data(text.utf8))
        }
        add(BuildState.toolVersion)
        add("drafts=\(options.drafts) pdf=\(options.pdf) today=\(options.today)")
        add(options.content)
        add(options.templates)
        add(extra)
        let lockPath = content.lock?.path
        for (path, text) in texts.sorted(by: { $0.key < $1.key }) where including(path) {
            // The lock counts through `extra` for a situation's key.
            if !extra.isEmpty, path == lockPath { continue }
            add(path)
            add(text)
        }
        for asset in templates.assets.sorted(by: { $0.name < $1.name }) {
            add(asset.name)
            hasher.update(data: asset.data)
        }
        // Problems met while loading (a file that could not be read) must not be skipped over.
        add(content.diagnostics.map(\.description).joined(separator: "\n"))
        add(templates.diagnostics.map(\.description).joined(separator: "\n"))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// The record a successful build leaves beside its output (`.Public.state.json`), so the next
/// build can tell in a moment that nothing changed.
struct BuildState: Codable, Sendable {
    static let toolVersion = "dossier-2"

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
        fileCount = result.files.count + result.carried.count
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
