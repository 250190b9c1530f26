import Foundation

/// Maps a request path to a file inside the preview's output folder, and nothing outside it.
struct PreviewFiles: Sendable {
    let root: URL

    enum Lookup: Equatable {
        case file(URL)
        /// A folder asked for without its final slash: where to send the browser instead, so the
        /// page's relative links resolve from inside the folder, as on a static host.
        case redirect(String)
        case forbidden
        case notFound
    }

    /// `/situations/x/` → `<root>/situations/x/index.html`. Any `..` segment, encoded or not,
    /// a NUL, or a backslash is refused before the file system is asked anything.
    func lookup(_ rawPath: String) -> Lookup {
        let pieces = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let pathOnly = pieces.first.map(String.init) ?? ""
        guard let decoded = pathOnly.removingPercentEncoding else { return .forbidden }
        if decoded.contains("\0") || decoded.contains("\\") { return .forbidden }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { $0 == ".." || $0 == "." }) { return .forbidden }
        if segments.contains(where: { $0.hasPrefix(".") }) { return .notFound }
        var url = root
        for segment in segments { url.appendPathComponent(String(segment)) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .notFound }
        if isDirectory.boolValue {
            url.appendPathComponent("index.html")
            guard FileManager.default.fileExists(atPath: url.path) else { return .notFound }
            if !pathOnly.hasSuffix("/") {
                // From the root, with one leading slash: `//host/x` would send the browser to another host.
                return .redirect("/" + pathOnly.drop { $0 == "/" } + "/" + (pieces.count > 1 ? "?" + pieces[1] : ""))
            }
        }
        // Resolve links last: whatever a path names must still lie inside the root.
        let resolved = url.resolvingSymlinksInPath().path
        let base = root.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(base + "/") else { return .forbidden }
        return .file(url)
    }

    static func contentType(for url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "json": return "application/json"
        case "txt": return "text/plain; charset=utf-8"
        case "pdf": return "application/pdf"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ico": return "image/x-icon"
        default: return "application/octet-stream"
        }
    }
}
