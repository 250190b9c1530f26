import Foundation

/// `dossier new`: starts the next draft update of a situation, or a new situation.
/// Writes files, so it lives at the edge like `load` and `publish`.
public struct DraftWriter: Sendable {
    public var content: String
    public var today: IsoDate
    public var fileSystem: FileSystem

    public init(content: String, today: IsoDate, fileSystem: FileSystem = .real) {
        self.content = content
        self.today = today
        self.fileSystem = fileSystem
    }

    /// Creates `updates/<date>.md` as a draft from the latest update; returns its path.
    public func nextUpdate(slug: String) -> Result<String, Diagnostic> {
        let folder = "\(content)/situations/\(slug)"
        guard fileSystem.kind(folder) == .directory else {
            let known = (try? fileSystem.list("\(content)/situations"))?.filter { $0.kind == .directory }.map(\.name) ?? []
            return .failure(.error(folder, "no situation '\(slug)' in \(content)/situations"
                + (known.isEmpty ? "" : " (there are: \(known.joined(separator: ", ")))")
                + "; to start a new one: dossier new situation \(slug) --name \"…\""))
        }
        let updates = "\(folder)/updates"
        let dates = ((try? fileSystem.list(updates)) ?? [])
            .filter { $0.kind == .file && $0.name.hasSuffix(".md") }
            .compactMap { IsoDate(String($0.name.dropLast(3))) }
            .sorted()
        let target = "\(updates)/\(today).md"
        if fileSystem.kind(target) != nil {
            return .failure(.error(target, "an update for \(today) already exists; pass another --date"))
        }
        guard let latest = dates.last else {
            return .failure(.error(updates, "situation '\(slug)' has no update to start from"))
        }
        guard today > latest else {
            return .failure(.error(target, "the new update's date \(today) must be after the latest update, \(latest)"))
        }
        let latestPath = "\(updates)/\(latest).md"
        let front: FrontMatter
        do {
            let file = try SourceFile.decode(fileSystem.read(latestPath), path: latestPath).get()
            front = try FrontMatter.split(file).get()
        } catch let problem as Diagnostic {
            return .failure(problem)
        } catch {
            return .failure(.error(latestPath, "cannot read the latest update: \(error.localizedDescription)"))
        }
        let pairs = front.yaml.pairs ?? []
        func field(_ key: String) -> String? { pairs.first { $0.key == key }?.value.scalar }
        var text = "---\ndate: \(today)\n"
        text += "risk_level: \(Self.yamlScalar(field("risk_level") ?? ""))\n"
        text += "headline: \(Self.yamlScalar(field("headline") ?? ""))\n"
        text += "status: draft\n---\n"
        text += front.body
        return write(text, to: target)
    }

    /// Creates `situations/<slug>/` with its files and a first draft update; returns the update's path.
    public func newSituation(slug: String, name: String) -> Result<String, Diagnostic> {
        let folder = "\(content)/situations/\(slug)"
        guard Slug.isValid(slug) else { return .failure(.error(folder, Slug.problem(slug, what: "situation"))) }
        guard fileSystem.kind(folder) == nil else { return .failure(.error(folder, "situation '\(slug)' already exists")) }
        var riskLevel = "serious-concern"
        var sections = ["Background", "Analysis", "Necessary Action"]
        let sitePath = "\(content)/site.yaml"
        // site.yaml's own problems are for `build` to report; here it only supplies defaults.
        var siteProblems: [Diagnostic] = []
        if let data = try? fileSystem.read(sitePath), case .success(let file) = SourceFile.decode(data, path: sitePath),
           case .success(let root) = YAMLParser.parse(file.text, file: sitePath),
           let site = ContentValidator().validateSite(.init(file: file, root: root), into: &siteProblems) {
            riskLevel = site.riskLevels.last?.id ?? riskLevel
            if !site.sections.isEmpty { sections = site.sections }
        }
        let situation = """
        name: \(Self.yamlScalar(name))
        short_name:
        region:
        populations_at_risk:
        facts: []

        """
        let sources = """
        # Sources cited as [@key] in the updates, for example:
        # report-2025:
        #   title: Title of the report
        #   publisher: Who published it
        #   date: 2025-06
        #   url: https://…

        """
        var update = "---\ndate: \(today)\nrisk_level: \(riskLevel)\nheadline: \(Self.yamlScalar(Self.placeholderHeadline))\nstatus: draft\n---\n"
        for section in sections { update += "## \(section)\n\n\(Self.placeholderText)\n\n" }
        for (text, path) in [(situation, "\(folder)/situation.yaml"), (sources, "\(folder)/sources.yaml")] {
            if case .failure(let problem) = write(text, to: path) { return .failure(problem) }
        }
        return write(update, to: "\(folder)/updates/\(today).md")
    }

    private func write(_ text: String, to path: String) -> Result<String, Diagnostic> {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            return .success(path)
        } catch {
            return .failure(.error(path, "cannot write: \(error.localizedDescription)"))
        }
    }

    /// What a new situation's first draft says until the editor writes it; a published update
    /// that still says it is an error.
    static let placeholderHeadline = "One sentence that opens the page."
    static let placeholderText = "Write here."

    /// A YAML scalar: plain where that is safe, double-quoted otherwise.
    static func yamlScalar(_ text: String) -> String {
        let special = CharacterSet(charactersIn: "-?:,[]{}#&*!|>'\"%@`")
        let plainSafe = !text.isEmpty && !text.contains(": ") && !text.contains(" #") && !text.hasSuffix(":")
            && text.first.map { !$0.unicodeScalars.allSatisfy(special.contains) && !$0.isWhitespace } == true
            && text.last?.isWhitespace == false && !text.contains("\n")
            && !["true", "false", "null", "yes", "no", "~"].contains(text.lowercased())
        if plainSafe { return text }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
