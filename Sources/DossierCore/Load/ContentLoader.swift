import Foundation

/// The `load` stage: reads the content folder once through a `FileSystem`.
/// Problems it meets (a file it cannot read, a stray file, a bad name) become diagnostics.
public struct ContentLoader: Sendable {
    public var fileSystem: FileSystem
    /// What earlier builds parsed the YAML to (`YAMLCache`), when the build keeps it.
    var yaml: YAMLCache?

    public init(fileSystem: FileSystem = .real) {
        self.fileSystem = fileSystem
    }

    init(fileSystem: FileSystem, yaml: YAMLCache?) {
        self.fileSystem = fileSystem
        self.yaml = yaml
    }

    public func load(from root: String) -> LoadedContent {
        var content = LoadedContent(root: root, site: nil, situations: [], pages: [], lock: nil, texts: [:], diagnostics: [])
        guard fileSystem.kind(root) == .directory else {
            content.diagnostics.append(.error(root, "content folder not found"))
            return content
        }
        content.site = yamlFile(root + "/site.yaml", required: true, into: &content)
        if fileSystem.kind(root + "/versions.lock") != nil {
            content.lock = textFile(root + "/versions.lock", into: &content)
        }
        for entry in entries(of: root, into: &content) {
            switch (entry.name, entry.kind) {
            case ("site.yaml", .file), ("versions.lock", .file), ("situations", .directory), ("pages", .directory):
                continue
            case (_, .symlink):
                content.diagnostics.append(.error(root + "/" + entry.name, "symbolic links are not followed in the content folder"))
            default:
                content.diagnostics.append(.warning(root + "/" + entry.name,
                    "unexpected entry in the content folder; expected site.yaml, versions.lock, situations/ and pages/"))
            }
        }
        if fileSystem.kind(root + "/situations") == .directory {
            var folders: [String] = []
            for entry in entries(of: root + "/situations", into: &content) {
                let path = root + "/situations/" + entry.name
                guard entry.kind == .directory else {
                    content.diagnostics.append(unexpected(entry, at: path, expected: "one folder per situation"))
                    continue
                }
                guard Slug.isValid(entry.name) else {
                    content.diagnostics.append(.error(path, Slug.problem(entry.name, what: "situation folder")))
                    continue
                }
                folders.append(entry.name)
            }
            // Situations are read and parsed across the cores, each into its own record, merged in
            // order. Files not read for a while are read from the disk: more readers than cores.
            let loaded = folders.concurrentMap(waits: true) { slug in
                var own = LoadedContent(root: root, site: nil, situations: [], pages: [], lock: nil, texts: [:], diagnostics: [])
                let folder = loadSituation(slug: slug, path: root + "/situations/" + slug, into: &own)
                return (folder, own)
            }
            for (folder, own) in loaded {
                content.situations.append(folder)
                content.diagnostics += own.diagnostics
                content.texts.merge(own.texts) { first, _ in first }
            }
        }
        if fileSystem.kind(root + "/pages") == .directory {
            for entry in entries(of: root + "/pages", into: &content) {
                let path = root + "/pages/" + entry.name
                guard entry.kind == .file, entry.name.hasSuffix(".md") else {
                    content.diagnostics.append(unexpected(entry, at: path, expected: "Markdown pages named <slug>.md"))
                    continue
                }
                let stem = String(entry.name.dropLast(3))
                guard Slug.isValid(stem) else {
                    content.diagnostics.append(.error(path, Slug.problem(stem, what: "page name")))
                    continue
                }
                if let page = markdownFile(path, stem: stem, into: &content) { content.pages.append(page) }
            }
        }
        return content
    }

    private func loadSituation(slug: String, path: String, into content: inout LoadedContent) -> LoadedContent.SituationFolder {
        var folder = LoadedContent.SituationFolder(slug: slug, path: path, situation: nil, sources: nil, updates: [])
        // What the folder holds, as its listing tells: the files in it are not looked up again
        // (unless it could not be listed, when each is looked up by itself).
        let listing = try? fileSystem.list(path)
        let listed = listing ?? entries(of: path, into: &content)
        func kind(_ name: String) -> FileSystem.Kind? {
            guard let listing else { return fileSystem.kind(path + "/" + name) }
            return listing.first { $0.name == name }?.kind
        }
        folder.situation = yamlFile(path + "/situation.yaml", required: true, kind: kind("situation.yaml"), into: &content)
        let sourcesKind = kind("sources.yaml")
        folder.sources = yamlFile(path + "/sources.yaml", required: false, kind: sourcesKind, into: &content)
        folder.sourcesUnreadable = folder.sources == nil && sourcesKind != nil
        for entry in listed {
            switch (entry.name, entry.kind) {
            case ("situation.yaml", .file), ("sources.yaml", .file), ("updates", .directory):
                continue
            default:
                content.diagnostics.append(unexpected(entry, at: path + "/" + entry.name,
                                                      expected: "situation.yaml, sources.yaml and updates/"))
            }
        }
        let updates = path + "/updates"
        guard kind("updates") == .directory else {
            content.diagnostics.append(.error(path, "situation '\(slug)' has no updates/ folder with dated updates"))
            return folder
        }
        for entry in entries(of: updates, into: &content) {
            let file = updates + "/" + entry.name
            let stem = entry.name.hasSuffix(".md") ? String(entry.name.dropLast(3)) : entry.name
            guard entry.kind == .file, entry.name.hasSuffix(".md") else {
                content.diagnostics.append(unexpected(entry, at: file, expected: "updates named YYYY-MM-DD.md"))
                continue
            }
            guard IsoDate(stem) != nil else {
                content.diagnostics.append(.error(file, "an update's file name must be its date, YYYY-MM-DD.md (a real date); found '\(entry.name)'"))
                folder.updatesUnreadable = true
                continue
            }
            folder.updateDates.append(stem)
            if let update = markdownFile(file, stem: stem, kind: entry.kind, into: &content) {
                folder.updates.append(update)
            } else {
                folder.updatesUnreadable = true
            }
        }
        if folder.updates.isEmpty, !content.diagnostics.contains(where: { $0.file.hasPrefix(updates) }) {
            content.diagnostics.append(.error(updates, "situation '\(slug)' has no updates; add one named YYYY-MM-DD.md"))
        }
        return folder
    }

    private func unexpected(_ entry: FileSystem.Entry, at path: String, expected: String) -> Diagnostic {
        if entry.kind == .symlink {
            return .error(path, "symbolic links are not followed in the content folder")
        }
        return .error(path, "unexpected \(entry.kind == .directory ? "folder" : "file") here; expected \(expected)")
    }

    private func entries(of path: String, into content: inout LoadedContent) -> [FileSystem.Entry] {
        do {
            return try fileSystem.list(path)
        } catch {
            content.diagnostics.append(.error(path, "cannot list folder: \(error.localizedDescription)"))
            return []
        }
    }

    /// - Parameter kind: what is at the path, where its folder's listing told already.
    private func textFile(_ path: String, kind known: FileSystem.Kind?? = .none, into content: inout LoadedContent) -> SourceFile? {
        switch known ?? fileSystem.kind(path) {
        case .file?:
            break
        case .symlink?:
            content.diagnostics.append(.error(path, "symbolic links are not followed in the content folder"))
            return nil
        case nil:
            content.diagnostics.append(.error(path, "file not found"))
            return nil
        default:
            content.diagnostics.append(.error(path, "not a regular file"))
            return nil
        }
        let data: Data
        do {
            data = try fileSystem.read(path)
        } catch {
            content.diagnostics.append(.error(path, "cannot read file: \(error.localizedDescription)"))
            return nil
        }
        switch SourceFile.decode(data, path: path) {
        case .success(let file):
            content.texts[path] = file.text
            // versions.lock is merged from its two sides (`VersionLock`); other files are the
            // editors' to settle, and their markers must not reach a page.
            if !path.hasSuffix("/versions.lock"), let conflict = file.mergeConflict {
                content.diagnostics.append(conflict)
                return nil
            }
            return file
        case .failure(let diagnostic):
            content.diagnostics.append(diagnostic)
            return nil
        }
    }

    private func yamlFile(_ path: String, required: Bool, kind known: FileSystem.Kind?? = .none,
                          into content: inout LoadedContent) -> LoadedContent.YAMLFile? {
        let kind = known ?? fileSystem.kind(path)
        if !required, kind == nil { return nil }
        guard let file = textFile(path, kind: kind, into: &content) else { return nil }
        switch yaml?.parse(file.text, file: path) ?? YAMLParser.parse(file.text, file: path) {
        case .success(let root):
            return LoadedContent.YAMLFile(file: file, root: root)
        case .failure(let diagnostic):
            content.diagnostics.append(diagnostic)
            return nil
        }
    }

    private func markdownFile(_ path: String, stem: String, kind: FileSystem.Kind?? = .none,
                              into content: inout LoadedContent) -> LoadedContent.MarkdownFile? {
        guard let file = textFile(path, kind: kind, into: &content) else { return nil }
        switch FrontMatter.split(file, yaml: yaml) {
        case .success(let frontMatter):
            return LoadedContent.MarkdownFile(file: file, stem: stem, frontMatter: frontMatter)
        case .failure(let diagnostic):
            content.diagnostics.append(diagnostic)
            return nil
        }
    }
}
