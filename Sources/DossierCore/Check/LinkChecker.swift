import Foundation

/// Resolves every internal link and `#anchor` of a rendered site, so a build never publishes a
/// broken one. Pure: output files in, diagnostics out.
public struct LinkChecker: Sendable {
    /// The path part of `base_url` (`/` or `/reports/`), for links that start from the site root.
    public var sitePath: String
    /// How the output folder is named in messages, e.g. `Public`.
    public var outputName: String

    public init(sitePath: String, outputName: String) {
        self.sitePath = sitePath
        self.outputName = outputName
    }

    public func check(_ files: [OutputFile]) -> [Diagnostic] {
        let paths = Set(files.map(\.path))
        var ids: [String: Set<String>] = [:]
        let pages = files.filter { $0.path.hasSuffix(".html") }
        for page in pages { ids[page.path] = Set(Self.attributeValues("id", in: page.text)) }
        var problems: [Diagnostic] = []
        for page in pages {
            let text = page.text
            var seen = Set<String>()
            for name in ["href", "src"] {
                for raw in Self.attributeValues(name, in: text) where seen.insert(raw).inserted {
                    let link = Self.unescape(raw)
                    guard let (target, fragment) = resolve(link, from: page.path) else { continue }
                    let where_ = "\(outputName)/\(page.path)"
                    if !paths.contains(target) {
                        problems.append(.error(where_, "broken link '\(link)': \(outputName)/\(target) does not exist"))
                    } else if let fragment, !fragment.isEmpty, target.hasSuffix(".html"),
                              !(ids[target]?.contains(fragment) ?? false) {
                        problems.append(.error(where_, "broken link '\(link)': no element with id '\(fragment)' in \(outputName)/\(target)"))
                    }
                }
            }
        }
        return problems
    }

    /// The output path a link points to, with its fragment; nil for external links.
    func resolve(_ link: String, from page: String) -> (String, String?)? {
        if link.isEmpty || link.hasPrefix("//") || LinkPolicy.scheme(of: link) != nil { return nil }
        var rest = Substring(link)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var parts: [Substring]
        if rest.isEmpty {
            return (page, fragment)
        } else if rest.hasPrefix("/") {
            guard rest.hasPrefix(sitePath) else { return (String(rest.dropFirst()), fragment) }
            parts = rest.dropFirst(sitePath.count).split(separator: "/", omittingEmptySubsequences: false)
        } else {
            parts = page.split(separator: "/").dropLast() + rest.split(separator: "/", omittingEmptySubsequences: false)
        }
        var stack: [Substring] = []
        for part in parts {
            switch part {
            case ".", "": continue
            case "..": if stack.popLast() == nil { return ("../" + rest, fragment) }
            default: stack.append(part)
            }
        }
        var target = stack.joined(separator: "/")
        if rest.hasSuffix("/") || target.isEmpty { target += target.isEmpty ? "index.html" : "/index.html" }
        return (Self.percentDecoded(target), fragment)
    }

    static func attributeValues(_ name: String, in html: String) -> [String] {
        var values: [String] = []
        let needle = " \(name)=\""
        var search = html[...]
        while let found = search.range(of: needle) {
            let start = found.upperBound
            guard let end = search[start...].firstIndex(of: "\"") else { break }
            values.append(String(search[start..<end]))
            search = search[end...]
        }
        return values
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func percentDecoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
