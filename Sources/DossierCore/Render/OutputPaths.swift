/// Where each page lives in the output, and how pages link to each other relatively
/// (so the site works under any sub-path and straight from the file system).
enum OutputPaths {
    static let index = "index.html"
    static let notFound = "404.html"

    static func latest(_ slug: String) -> String { "situations/\(slug)/index.html" }
    static func snapshot(_ slug: String, _ date: IsoDate) -> String { "situations/\(slug)/\(date)/index.html" }
    static func changes(_ slug: String, _ date: IsoDate) -> String { "situations/\(slug)/\(date)/changes/index.html" }
    static func print(_ slug: String, _ date: IsoDate) -> String { "situations/\(slug)/\(date)/print/index.html" }
    static func latestPrint(_ slug: String) -> String { "situations/\(slug)/print/index.html" }
    static func pdf(_ slug: String, _ date: IsoDate) -> String { "situations/\(slug)/\(date)/\(slug)-\(date).pdf" }
    static func versions(_ slug: String) -> String { "situations/\(slug)/versions/index.html" }
    static func page(_ slug: String) -> String { "pages/\(slug)/index.html" }

    /// The prefix that leads from the folder of `path` back to the root.
    static func root(from path: String) -> String {
        // Slashes counted on the bytes: a folder separator is one byte, and no grapheme
        // breaking is needed to find it (this runs for every link of every page).
        let depth = path.utf8.withContiguousStorageIfAvailable { bytes in
            var count = 0
            for byte in bytes where byte == UInt8(ascii: "/") { count += 1 }
            return count
        } ?? path.utf8.count(where: { $0 == UInt8(ascii: "/") })
        return depth < roots.count ? roots[depth] : String(repeating: "../", count: depth)
    }

    private static let roots = (0..<8).map { String(repeating: "../", count: $0) }

    /// A relative link from the page at `from` to the file at `to`.
    static func href(from: String, to: String) -> String {
        root(from: from) + to
    }

    /// The link from an update's changes page to a snapshot of its situation: `../index.html`
    /// for its own update's, `../../<date>/index.html` for another's. Short, for the links a
    /// changes page has many of (a note's to its source); `href` is the form pages of one depth share.
    static func snapshot(_ date: IsoDate, fromChangesOf update: IsoDate) -> String {
        date == update ? "../index.html" : "../../\(date)/index.html"
    }

    /// The public address of a page: `index.html` is left off.
    static func absolute(_ path: String, base: String) -> String {
        base + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
    }
}
