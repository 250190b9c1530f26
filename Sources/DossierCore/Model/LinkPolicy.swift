/// Which link targets may reach a page. One policy for Markdown, sources and facts.
public enum LinkPolicy {
    /// The scheme of a URL, lower-cased, or nil for a relative reference or fragment.
    /// Control characters and spaces are ignored the way browsers ignore them (`java\tscript:`).
    public static func scheme(of url: String) -> String? {
        var scheme: [UInt8] = []
        guard readScheme(url.utf8, into: { scheme.append($0) }) else { return nil }
        return String(decoding: scheme, as: UTF8.self)
    }

    /// Whether a URL's bytes start with a scheme, by the rule of `scheme(of:)`, without making it.
    static func hasScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        readScheme(bytes, into: { _ in })
    }

    /// Hands each byte of a URL's scheme, lower-cased, to `take`; true if the URL has one.
    private static func readScheme(_ bytes: some Sequence<UInt8>, into take: (UInt8) -> Void) -> Bool {
        var length = 0
        for byte in bytes where byte > 0x20 && byte != 0x7F {
            switch byte {
            case UInt8(ascii: ":"):
                return length > 0
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                take(byte + 0x20)
                length += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                take(byte)
                length += 1
            default:
                // Anything else, non-ASCII included, means there is no scheme.
                return false
            }
        }
        return false
    }

    /// Links in Markdown: web, mail and relative targets only.
    public static func isSafe(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return true }
        return ["http", "https", "mailto"].contains(scheme)
    }

    /// A link within the site written relative to the page it is on (`../x/`, `x.png`), as
    /// opposed to one from the site's root (`/x/`), to an id of the page (`#x`) or elsewhere.
    public static func isRelativeToPage(_ url: String) -> Bool {
        guard let first = url.utf8.first, first != UInt8(ascii: "#"), first != UInt8(ascii: "/") else { return false }
        return scheme(of: url) == nil
    }

    /// For a link to a folder (`situations/dprk/`, `..`), whose page a host finds but the file
    /// system does not, the same link to the folder's page (`situations/dprk/index.html`).
    public static func folderPage(of link: String) -> String? {
        let pathEnd = link.firstIndex { $0 == "?" || $0 == "#" } ?? link.endIndex
        let path = link[..<pathEnd]
        if path.hasSuffix("/") { return path + "index.html" + link[pathEnd...] }
        if endsInDots(path) { return path + "/index.html" + link[pathEnd...] }
        return nil
    }

    /// Whether a path's last segment is `.` or `..`, which name a folder as a trailing `/` does.
    static func endsInDots(_ path: Substring) -> Bool {
        path == "." || path == ".." || path.hasSuffix("/.") || path.hasSuffix("/..")
    }

    /// A URL a source or fact may point to: absolute http(s) with a host.
    public static func isWebURL(_ url: String) -> Bool {
        guard let scheme = scheme(of: url), scheme == "http" || scheme == "https" else { return false }
        let rest = url.drop(while: { $0 != ":" }).dropFirst()
        guard rest.hasPrefix("//") else { return false }
        let host = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !url.contains(where: { $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "<" || $0 == ">" })
    }
}
