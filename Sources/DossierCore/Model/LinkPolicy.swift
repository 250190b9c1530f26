/// Which link targets may reach a page. One policy for Markdown, sources and facts.
public enum LinkPolicy {
    /// The scheme of a URL, lower-cased, or nil for a relative reference or fragment.
    /// Control characters and spaces are ignored the way browsers ignore them (`java\tscript:`).
    public static func scheme(of url: String) -> String? {
        // Most schemes are written plainly (`https:`): then the scheme is the text before the colon.
        if let plain = url.utf8.withContiguousStorageIfAvailable(plainScheme), let plain { return plain }
        var scheme: [UInt8] = []
        guard readScheme(url.utf8, into: { scheme.append($0) }) else { return nil }
        return String(decoding: scheme, as: UTF8.self)
    }

    /// The scheme of a URL that starts with one in lower case (or has none, by the first byte
    /// that cannot be in one): `.some(nil)` for no scheme, nil when `readScheme` must decide
    /// (an upper-case letter, a space or control character to skip).
    private static func plainScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: ":"):
                return .some(index > 0 ? String(decoding: UnsafeBufferPointer(rebasing: bytes[..<index]), as: UTF8.self) : nil)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), 0...0x20, 0x7F:
                return nil
            default:
                return .some(nil)
            }
        }
        return .some(nil)
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
        isSafe(scheme: scheme(of: url))
    }

    /// `isSafe` for a URL whose scheme (`scheme(of:)`) is known.
    static func isSafe(scheme: String?) -> Bool {
        switch scheme {
        case nil, "http", "https", "mailto": return true
        default: return false
        }
    }

    /// A link within the site written relative to the page it is on (`../x/`, `x.png`), as
    /// opposed to one from the site's root (`/x/`), to an id of the page (`#x`) or elsewhere.
    public static func isRelativeToPage(_ url: String) -> Bool {
        isRelativeToPage(url, scheme: scheme(of: url))
    }

    /// `isRelativeToPage` for a URL whose scheme (`scheme(of:)`) is known.
    static func isRelativeToPage(_ url: String, scheme: String?) -> Bool {
        guard let first = url.utf8.first, first != UInt8(ascii: "#"), first != UInt8(ascii: "/") else { return false }
        return scheme == nil
    }

    /// For a link to a folder (`situations/dprk/`, `..`), whose page a host finds but the file
    /// system does not, the same link to the folder's page (`situations/dprk/index.html`).
    public static func folderPage(of link: String) -> String? {
        // Most links end their path in a file name. In ASCII (where bytes are characters) that is
        // told from the path's last byte, without walking the link's characters: this runs for
        // every link of every page.
        let bytes = link.utf8
        if !bytes.contains(where: { $0 >= 0x80 }) {
            let end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
            guard end > bytes.startIndex else { return nil }
            let last = bytes[bytes.index(before: end)]
            if last != UInt8(ascii: "/") && last != UInt8(ascii: ".") { return nil }
        }
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
