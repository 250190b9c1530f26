/// Which link targets may reach a page. One policy for Markdown, sources and facts.
public enum LinkPolicy {
    /// The scheme of a URL, lower-cased, or nil for a relative reference or fragment.
    /// Control characters and spaces are ignored the way browsers ignore them (`java\tscript:`).
    public static func scheme(of url: String) -> String? {
        let cleaned = url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
        var scheme = ""
        for scalar in cleaned {
            if scalar == ":" { return scheme.isEmpty ? nil : scheme.lowercased() }
            guard scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || ("0"..."9").contains(scalar) || scalar == "+" || scalar == "-" || scalar == "." else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Links in Markdown: web, mail and relative targets only.
    public static func isSafe(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return true }
        return ["http", "https", "mailto"].contains(scheme)
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
