import Foundation

/// Templates and static assets as read from the templates folder.
public struct LoadedTemplates: Sendable {
    public struct Asset: Sendable {
        /// Path under `assets/`, e.g. `dossier.css`.
        public var name: String
        public var data: Data
    }

    public var root: String
    /// Template name (file name without `.mustache`) to its file.
    public var templates: [String: SourceFile]
    public var assets: [Asset]
    public var diagnostics: [Diagnostic]
}

/// Part of the `load` stage: reads `*.mustache` (top level and `partials/`) and `assets/`.
public struct TemplateLoader: Sendable {
    public var fileSystem: FileSystem

    public init(fileSystem: FileSystem = .real) {
        self.fileSystem = fileSystem
    }

    public func load(from root: String) -> LoadedTemplates {
        var loaded = LoadedTemplates(root: root, templates: [:], assets: [], diagnostics: [])
        guard fileSystem.kind(root) == .directory else {
            loaded.diagnostics.append(.error(root, "templates folder not found"))
            return loaded
        }
        for folder in [root, root + "/partials"] where fileSystem.kind(folder) == .directory {
            for entry in list(folder, into: &loaded) where entry.name.hasSuffix(".mustache") {
                let path = folder + "/" + entry.name
                guard entry.kind == .file else {
                    loaded.diagnostics.append(.error(path, "templates must be regular files (symbolic links are not followed)"))
                    continue
                }
                let name = String(entry.name.dropLast(".mustache".count))
                if let other = loaded.templates[name] {
                    loaded.diagnostics.append(.error(path, "template name '\(name)' is also used by \(other.path)"))
                    continue
                }
                do {
                    switch SourceFile.decode(try fileSystem.read(path), path: path) {
                    case .success(let file):
                        loaded.templates[name] = file
                        if let conflict = file.mergeConflict { loaded.diagnostics.append(conflict) }
                    case .failure(let diagnostic): loaded.diagnostics.append(diagnostic)
                    }
                } catch {
                    loaded.diagnostics.append(.error(path, "cannot read template: \(error.localizedDescription)"))
                }
            }
        }
        if fileSystem.kind(root + "/assets") == .directory {
            loadAssets(root + "/assets", prefix: "", into: &loaded)
        }
        return loaded
    }

    private func loadAssets(_ folder: String, prefix: String, into loaded: inout LoadedTemplates) {
        for entry in list(folder, into: &loaded) {
            let path = folder + "/" + entry.name
            switch entry.kind {
            case .file:
                do {
                    loaded.assets.append(.init(name: prefix + entry.name, data: try fileSystem.read(path)))
                } catch {
                    loaded.diagnostics.append(.error(path, "cannot read asset: \(error.localizedDescription)"))
                }
            case .directory:
                loadAssets(path, prefix: prefix + entry.name + "/", into: &loaded)
            default:
                loaded.diagnostics.append(.error(path, "assets must be regular files (symbolic links are not followed)"))
            }
        }
    }

    private func list(_ folder: String, into loaded: inout LoadedTemplates) -> [FileSystem.Entry] {
        do {
            return try fileSystem.list(folder)
        } catch {
            loaded.diagnostics.append(.error(folder, "cannot list folder: \(error.localizedDescription)"))
            return []
        }
    }
}
