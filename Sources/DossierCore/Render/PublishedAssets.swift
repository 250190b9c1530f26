import Foundation

/// The static files of the templates folder (`Templates/assets/`), published under names that
/// carry a hash of their bytes (`assets/dossier.3fa9c0e1b2.css`), so a browser or a CDN can keep
/// them for good and a changed file is fetched anew. Everything that refers to one is given its
/// published name: a stylesheet's `url(…)` (rewritten here, so a stylesheet's own name changes
/// with the fonts and images it uses), a template's `{{#asset}}logo.svg{{/asset}}`, and an
/// editor's `/assets/map.png` in Markdown (`RootLinks`).
struct PublishedAssets: Sendable {
    /// Name under `assets/` to the published path: `fonts/a.woff2` → `assets/fonts/a.1b2c3d4e5f.woff2`.
    var paths: [String: String] = [:]
    var files: [OutputFile] = []

    /// - Parameter folder: the assets folder as diagnostics name it (`Templates/assets`).
    static func make(_ assets: [LoadedTemplates.Asset], folder: String) -> (PublishedAssets, [Diagnostic]) {
        var published = PublishedAssets()
        var problems: [Diagnostic] = []
        // Stylesheets last: their `url(…)`s name the others' published paths.
        let sorted = assets.sorted { ($0.isStylesheet ? 1 : 0, $0.name) < ($1.isStylesheet ? 1 : 0, $1.name) }
        for asset in sorted {
            var data = asset.data
            if asset.isStylesheet, let text = String(data: data, encoding: .utf8) {
                if let conflict = SourceFile(path: folder + "/" + asset.name, text: text).mergeConflict { problems.append(conflict) }
                let (rewritten, found) = stylesheet(text, name: asset.name, paths: published.paths, file: folder + "/" + asset.name)
                data = Data(rewritten.utf8)
                problems += found
            }
            let path = "assets/" + SiteRenderer.hashedName(asset.name, data: data)
            published.paths[asset.name] = path
            published.files.append(OutputFile(path: path, data: data))
        }
        for name in ["dossier.css", "print.css"] where published.paths[name] == nil {
            problems.append(.error(folder, "missing stylesheet assets/\(name)"))
        }
        return (published, problems)
    }

    /// A stylesheet with each `url(…)` of another asset given its published name, relative to the
    /// stylesheet as before. Addresses elsewhere (`https:`, `data:`, `/…`, `#…`) stay as they are;
    /// a relative one that names no asset is an error at its line and column.
    static func stylesheet(_ text: String, name: String, paths: [String: String], file: String) -> (String, [Diagnostic]) {
        let bytes = Array(text.utf8)
        let folder = name.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var problems: [Diagnostic] = []
        var copied = 0
        var i = 0
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        func problem(at start: Int, _ message: String) {
            problems.append(.error(at: SourceLocation(file: file, offset: start, in: bytes), message))
        }
        /// Whether `@import` and spaces come just before the byte at `index`.
        func isImport(before index: Int) -> Bool {
            var j = index
            while j > 0, bytes[j - 1] == 0x20 || bytes[j - 1] == 0x09 || bytes[j - 1] == 0x0A || bytes[j - 1] == 0x0D { j -= 1 }
            let keyword = Array("@import".utf8)
            guard j >= keyword.count else { return false }
            return zip(bytes[(j - keyword.count)..<j], keyword).allSatisfy { lower($0) == $1 }
        }
        while i < bytes.count {
            // Comments may mention url( without meaning it.
            if bytes[i] == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
                var end = i + 2
                while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "*") && bytes[end + 1] == UInt8(ascii: "/")) { end += 1 }
                i = end + 2
                continue
            }
            // So may strings (`content: "url("`), and they may hold `/*`. A string ends at its
            // quote, not at an escaped one, or at the end of its line.
            if bytes[i] == 0x22 || bytes[i] == 0x27 {
                let quote = bytes[i]
                var end = i + 1
                while end < bytes.count, bytes[end] != quote, bytes[end] != 0x0A {
                    end += bytes[end] == 0x5C ? 2 : 1
                }
                end = min(end, bytes.count)
                // `@import "x.css"`, the other way to write `@import url(x.css)`.
                if isImport(before: i) {
                    let value = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
                    if let first = value.first, first != "/", LinkPolicy.scheme(of: value) == nil {
                        problem(at: i + 1, "@import \"\(value)\" loads another stylesheet; one stylesheet cannot load another here: put its rules in this one")
                    }
                }
                i = end + 1
                continue
            }
            guard i + 4 <= bytes.count, lower(bytes[i]) == UInt8(ascii: "u"), lower(bytes[i + 1]) == UInt8(ascii: "r"),
                  lower(bytes[i + 2]) == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "("),
                  i == 0 || !(bytes[i - 1].isIdentifierByte) else {
                i += 1
                continue
            }
            var start = i + 4
            while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A { start += 1 }
            var end = start
            if start < bytes.count, bytes[start] == 0x22 || bytes[start] == 0x27 {
                let quote = bytes[start]
                start += 1
                end = bytes[start...].firstIndex(of: quote) ?? bytes.count
                i = end + 1
            } else {
                end = bytes[start...].firstIndex(of: UInt8(ascii: ")")) ?? bytes.count
                i = end
                while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A { end -= 1 }
            }
            let value = String(decoding: bytes[start..<end], as: UTF8.self)
            guard let first = value.first, first != "#", first != "/", LinkPolicy.scheme(of: value) == nil else { continue }
            let pathEnd = value.firstIndex { $0 == "?" || $0 == "#" } ?? value.endIndex
            let target = resolve(String(value[..<pathEnd]), in: folder)
            guard let target, !target.hasSuffix(".css"), let published = paths[target] else {
                problem(at: start, target?.hasSuffix(".css") == true
                    ? "url(\(value)) names another stylesheet; one stylesheet cannot load another here: put its rules in this one"
                    : "url(\(value)) names no file in the assets folder; a stylesheet's url() is relative to the stylesheet, as in url(fonts/body.woff2)")
                continue
            }
            out += bytes[copied..<start]
            out += relative(String(published.dropFirst("assets/".count)), from: folder).utf8
            out += value[pathEnd...].utf8
            copied = end
        }
        out += bytes[copied...]
        return (String(decoding: out, as: UTF8.self), problems)
    }

    /// An asset's name from a path relative to a folder of the assets; nil if it leaves them.
    static func resolve(_ path: String, in folder: [String]) -> String? {
        var parts = folder
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard parts.popLast() != nil else { return nil }
            default: parts.append(String(segment).removingPercentEncoding ?? String(segment))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// A path under the assets folder as seen from one of its folders.
    static func relative(_ path: String, from folder: [String]) -> String {
        var target = path.split(separator: "/").map(String.init)
        var from = folder
        while let a = from.first, let b = target.first, target.count > 1, a == b {
            from.removeFirst()
            target.removeFirst()
        }
        return String(repeating: "../", count: from.count) + target.joined(separator: "/")
    }
}

/// What a page's templates need to name an asset: `{{#asset}}logo.svg{{/asset}}` inside
/// `{{#layout}}` becomes its published path from the page (`../../assets/logo.3fa9c0e1b2.svg`).
/// A class, shared by every page, so the template-name check does not see its fields as names.
final class AssetPaths: Sendable {
    let paths: [String: String]

    init(_ paths: [String: String]) {
        self.paths = paths
    }

    /// The published path of an asset from a page; a name that is no asset keeps its name, so the
    /// link check reports it.
    func href(_ name: String, root: String) -> String {
        // Foundation's trimming is slow for what is nearly always a bare name: only when needed.
        let name = name.first?.isWhitespace == true || name.last?.isWhitespace == true
            ? name.trimmingCharacters(in: .whitespacesAndNewlines) : name
        var href = ""
        HTML.escape(root + (paths[name] ?? "assets/" + name), into: &href)
        return href
    }
}

private extension UInt8 {
    var isIdentifierByte: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || self == 0x2D || self == 0x5F
    }
}

extension LoadedTemplates.Asset {
    var isStylesheet: Bool { name.hasSuffix(".css") }
}
