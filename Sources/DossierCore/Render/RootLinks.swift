import Foundation

/// Links an editor writes from the site's root (`[about these pages](/pages/about/)`) are made
/// relative to each page that shows them, so the site keeps working at any address and opened
/// from the file system, like every link the templates make. A link to a folder gets its
/// `index.html`, as the templates' links do.
///
/// Works on the HTML libcmark wrote, where a value is already HTML-escaped, and on raw HTML an
/// editor let through with `unsafe_html: true`, whose values may also be in single quotes or none
/// (`AttributeValue`).
enum RootLinks {
    /// Whether an `href` or `src` in the HTML starts from the site's root (`/x`, not `//host`).
    static func present(in html: String) -> Bool {
        var html = html
        return html.withUTF8 { bytes in nextValue(in: bytes, from: 0) != nil }
    }

    /// The HTML with each link and image from the site's root made relative to a page.
    /// - Parameters:
    ///   - root: the way from the page back to the site's root (`../../`).
    ///   - sitePath: the path of `base_url` (`/reports/`): a link that starts with it is read from
    ///     after it, so `/reports/pages/about/` and `/pages/about/` are the same page.
    ///   - printedBase: for a print view, the site's `base_url`: each link also carries its
    ///     permanent address in `data-print-url`, which the print stylesheet prints after it.
    ///   - assets: the templates' assets by name, to their published paths (`PublishedAssets`):
    ///     `/assets/map.png` is given the name `assets/map.1b2c3d4e5f.png`.
    static func relative(_ html: String, root: String, sitePath: String = "/", assets: [String: String] = [:],
                         printedBase: String? = nil) -> String {
        var html = html
        var sitePath = sitePath
        return html.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 256)
            var copied = 0
            while let (found, end, isLink) = nextValue(in: bytes, from: copied) {
                var start = found
                sitePath.withUTF8 { site in
                    if site.count > 1, end - start >= site.count, zip(bytes[start...], site).allSatisfy({ $0 == $1 }) {
                        out.append(contentsOf: bytes[copied..<start])
                        copied = start + site.count - 1
                        start = copied
                    }
                }
                let pathEnd = bytes[start..<end].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? end
                out.append(contentsOf: bytes[copied..<start])
                out.append(contentsOf: root.utf8)
                let path = String(decoding: bytes[(start + 1)..<pathEnd], as: UTF8.self)
                // The address from the site's root, as a reader would type it.
                var address = Array(bytes[start..<end])
                if path.hasPrefix("assets/"), let published = assets[String(path.dropFirst("assets/".count))] {
                    out.append(contentsOf: published.utf8)
                    address = Array(("/" + published).utf8) + bytes[pathEnd..<end]
                } else {
                    out.append(contentsOf: bytes[(start + 1)..<pathEnd])
                    if bytes[pathEnd - 1] == UInt8(ascii: "/") { out.append(contentsOf: "index.html".utf8) }
                }
                out.append(contentsOf: bytes[pathEnd..<end])
                copied = end
                if isLink, let printedBase, end < bytes.count {
                    // After the value and its closing quote, if it has one.
                    if bytes[end] == UInt8(ascii: "\"") || bytes[end] == UInt8(ascii: "'") {
                        out.append(bytes[end])
                        copied += 1
                    }
                    var base = ""
                    HTML.escape(printedBase.hasSuffix("/") ? String(printedBase.dropLast()) : printedBase, into: &base)
                    out.append(contentsOf: " data-print-url=\"".utf8)
                    out.append(contentsOf: base.utf8)
                    for byte in address {
                        if byte == UInt8(ascii: "\"") { out.append(contentsOf: "&quot;".utf8) } else { out.append(byte) }
                    }
                    out.append(UInt8(ascii: "\""))
                }
            }
            out.append(contentsOf: bytes[copied...])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Where the next value from the site's root begins (its `/`) and ends, and whether it is an `href`.
    private static func nextValue(in bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> (Int, Int, Bool)? {
        guard let base = bytes.baseAddress else { return nil }
        var i = index
        // Every attribute has an `=`; memchr finds them a word at a time.
        while i + 2 < bytes.count, let found = memchr(base + i, Int32(UInt8(ascii: "=")), bytes.count - i - 2) {
            let equals = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            i = equals + 1
            let isLink = AttributeValue.named("href", before: equals, in: base)
            guard isLink || AttributeValue.named("src", before: equals, in: base),
                  let (start, end) = AttributeValue.bounds(after: equals, in: base, count: bytes.count) else { continue }
            i = end
            // `/x` and not `//host`.
            if start < end, bytes[start] == UInt8(ascii: "/"), start + 1 == end || bytes[start + 1] != UInt8(ascii: "/") {
                return (start, end, isLink)
            }
        }
        return nil
    }
}
