import Crypto
import Foundation

/// The `render` stage: view models into templates, plus the feed, sitemap and manifest.
/// Pure: resolved content in, output files out.
public struct SiteRenderer: Sendable {
    /// Whether the build makes PDFs, so pages link to them.
    public var pdf: Bool

    public init(pdf: Bool = false) {
        self.pdf = pdf
    }

    /// One page to render: a view into a template at a path.
    struct Job: Sendable {
        var path: String
        var template: String
        var view: any Sendable
    }

    /// Renders with templates checked by `TemplateLibrary.make`; `assets` supplies the static files.
    func render(_ site: ResolvedSite, library: TemplateLibrary, assets loaded: LoadedTemplates) async -> ([OutputFile], [Diagnostic]) {
        var files: [OutputFile] = []
        var assetNames: [String: String] = [:]
        for asset in loaded.assets.sorted(by: { $0.name < $1.name }) {
            let hashed = Self.hashedName(asset.name, data: asset.data)
            assetNames[asset.name] = "assets/" + hashed
            files.append(OutputFile(path: "assets/" + hashed, data: asset.data))
        }
        var problems: [Diagnostic] = []
        guard let stylesheet = assetNames["dossier.css"], let printStylesheet = assetNames["print.css"] else {
            for name in ["dossier.css", "print.css"] where assetNames[name] == nil {
                problems.append(.error(loaded.root + "/assets", "missing stylesheet assets/\(name)"))
            }
            return ([], problems)
        }

        let context = PageContext(site: site, stylesheet: stylesheet, printStylesheet: printStylesheet, pdf: pdf)
        let jobs = context.jobs()
        // Each page becomes bytes as soon as it is rendered, so the site is held in memory once.
        let rendered = await withTaskGroup(of: (String, Data?, String).self) { group in
            for job in jobs {
                group.addTask { (job.path, library.render(job.view, template: job.template).map { Data($0.utf8) }, job.template) }
            }
            var out: [(String, Data?, String)] = []
            out.reserveCapacity(jobs.count)
            for await result in group { out.append(result) }
            return out
        }
        files.reserveCapacity(rendered.count + files.count + 8)
        for (path, html, template) in rendered {
            guard let html else {
                problems.append(.error(loaded.root + "/\(template).mustache", "template '\(template)' could not be rendered for \(path)"))
                continue
            }
            files.append(OutputFile(path: path, data: html))
        }
        files += Feeds(site: site).files()
        files.sort { $0.path < $1.path }
        files.append(Self.manifest(of: files))
        return (files, problems)
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
    static func manifest(of files: [OutputFile], carried: [ManifestEntry] = []) -> OutputFile {
        var entries = files.concurrentMap { file in
            ManifestEntry(path: file.path, bytes: file.data.count, sha256: Digest.sha256(file.data))
        }
        entries += carried
        var lines: [String] = []
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            lines.append("    {\"path\": \(jsonString(entry.path)), \"bytes\": \(entry.bytes), \"sha256\": \"\(entry.sha256)\"}")
        }
        let text = "{\n  \"files\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n"
        return OutputFile(path: "manifest.json", text: text)
    }

    static func jsonString(_ text: String) -> String {
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
