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

    /// - Parameters:
    ///   - origins: the content file each page was written from, so a broken link an editor wrote
    ///     is reported at its place in the Markdown.
    ///   - texts: content files' texts, to find that place.
    ///   - kept: files kept from the previous build; links to them count, their own links were checked then.
    public func check(_ files: [OutputFile], origins: [String: String] = [:], texts: [String: String] = [:],
                      kept: Set<String> = []) -> [Diagnostic] {
        let paths = Set(files.map(\.path)).union(kept)
        var ids: [String: Set<String>] = [:]
        let pages = files.filter { $0.path.hasSuffix(".html") }
        var links: [String: [String]] = [:]
        for page in pages {
            let found = Self.attributes(["id", "href", "src"], in: page.text)
            ids[page.path] = Set(found["id"] ?? [])
            links[page.path] = (found["href"] ?? []) + (found["src"] ?? [])
        }
        var problems: [Diagnostic] = []
        for page in pages {
            var seen = Set<String>()
            do {
                for raw in links[page.path] ?? [] where seen.insert(raw).inserted {
                    let link = Self.unescape(raw)
                    guard let (target, fragment) = resolve(link, from: page.path) else { continue }
                    var reason: String?
                    if !paths.contains(target) {
                        reason = "\(outputName)/\(target) does not exist"
                    } else if let fragment, !fragment.isEmpty, target.hasSuffix(".html"), !kept.contains(target),
                              !(ids[target]?.contains(fragment) ?? false) {
                        reason = "no element with id '\(fragment)' in \(outputName)/\(target)"
                    }
                    guard let reason else { continue }
                    let output = "\(outputName)/\(page.path)"
                    if let origin = origins[page.path], let text = texts[origin], let place = Self.locate(link, in: text) {
                        problems.append(.error(origin, line: place.line, column: place.column,
                                               "broken link '\(link)' (on \(output)): \(reason)"))
                    } else {
                        problems.append(.error(output, "broken link '\(link)': \(reason)"))
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

    /// Where a link target is written in a Markdown file, as `](target` or `<target>`.
    static func locate(_ link: String, in text: String) -> (line: Int, column: Int)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for needle in ["](\(link)", "]: \(link)", "<\(link)>"] {
                if let found = line.range(of: needle) {
                    return (index + 1, line[line.startIndex..<found.lowerBound].count + 3)
                }
            }
        }
        return nil
    }

    /// The values of ` name="…"` attributes for each name, found in one pass over the UTF-8 bytes.
    static func attributes(_ names: [String], in html: String) -> [String: [String]] {
        let needles = names.map { Array(" \($0)=\"".utf8) }
        var values: [String: [String]] = [:]
        var html = html
        html.withUTF8 { bytes in
            var i = 0
            let count = bytes.count
            scanning: while i < count {
                guard bytes[i] == 0x20 else { i += 1; continue }
                for (n, needle) in needles.enumerated() where i + needle.count <= count {
                    var matched = true
                    for k in 1..<needle.count where bytes[i + k] != needle[k] {
                        matched = false
                        break
                    }
                    guard matched else { continue }
                    let start = i + needle.count
                    var end = start
                    while end < count, bytes[end] != 0x22 { end += 1 }
                    values[names[n], default: []].append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                    i = end
                    continue scanning
                }
                i += 1
            }
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
