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
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Data("\(text.utf8.count):".utf8))
            hasher.update(data: Data(text.utf8))
        }
        add(BuildState.toolVersion)
        add("drafts=\(options.drafts) pdf=\(options.pdf) today=\(options.today)")
        add(options.content)
        add(options.templates)
        for (path, text) in texts.sorted(by: { $0.key < $1.key }) {
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
    static let toolVersion = "dossier-1"

    struct StoredDiagnostic: Codable, Sendable {
        var severity: String
        var file: String
        var line: Int
        var column: Int
        var message: String
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

    init(key: String, manifest: String?, result: Builder.Result) {
        self.key = key
        self.manifest = manifest
        diagnostics = result.diagnostics.map {
            StoredDiagnostic(severity: $0.severity.rawValue, file: $0.file, line: $0.line, column: $0.column, message: $0.message)
        }
        situationCount = result.situationCount
        versionCount = result.versionCount
        pageCount = result.pageCount
        pdfCount = result.pdfCount
        fileCount = result.files.count
    }

    func result(texts: [String: String]) -> Builder.Result {
        var result = Builder.emptyResult(diagnostics.map {
            Diagnostic(Diagnostic.Severity(rawValue: $0.severity) ?? .warning, $0.file, line: $0.line, column: $0.column, $0.message)
        })
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
