/// The ids of the page around a body, which a heading's id must not take: two elements with
/// one id make the page invalid, and a link to it (a citation's `#source-1`, the skip link's
/// `#main`) would lead to whichever comes first.
public struct ReservedIDs: Sendable, Hashable {
    /// Ids as written (`main`, `sources-heading`).
    public var names: Set<String>
    /// Prefixes of numbered ids (`source-` for `source-1`, `source-2`, …).
    public var numbered: Set<String>

    public init(names: Set<String> = [], numbered: Set<String> = []) {
        self.names = names
        self.numbered = numbered
    }

    /// None: a body on its own (`dossier markdown`).
    public static let none = ReservedIDs()

    /// The numbered ids the build itself makes around a body: a citation's (`cite-3`), its source's
    /// (`source-2`) and a fact's (`fact-1`).
    public static let made = ReservedIDs(numbered: ["cite-", "source-", "fact-"])

    /// What the build makes and every id the templates write: `id="main"` as it is, and
    /// `id="source-{{number}}"` as the numbered ids of its prefix. (An id wholly from a value,
    /// `id="{{anchor}}"`, is one of those the build makes, or a section's own.)
    public static func of(templates: some Sequence<String>) -> ReservedIDs {
        var reserved = made
        for text in templates {
            for value in idValues(in: text) {
                if let open = value.firstRange(of: "{{") {
                    let prefix = value[..<open.lowerBound]
                    if !prefix.isEmpty { reserved.numbered.insert(String(prefix)) }
                } else if !value.isEmpty {
                    reserved.names.insert(value)
                }
            }
        }
        return reserved
    }

    /// The values of `id` attributes in a template's text, in either quotes.
    static func idValues(in text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        while let found = rest.firstRange(of: "id=") {
            rest = rest[found.upperBound...]
            // An attribute of its own, not the end of another's name (`data-id=`, `aria-labelledby=`
            // ends in `by=`, so only a name of exactly `id`).
            let before = text[..<found.lowerBound].last
            guard before.map({ $0 == " " || $0 == "\n" || $0 == "\t" }) ?? false,
                  let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            let value = rest.dropFirst()
            guard let close = value.firstIndex(of: quote) else { break }
            values.append(String(value[..<close]))
            rest = value[close...]
        }
        return values
    }

    /// Whether a heading may not take `id`.
    public func contains(_ id: String) -> Bool {
        if names.contains(id) { return true }
        return numbered.contains { prefix in
            id.hasPrefix(prefix) && id.count > prefix.count && id.dropFirst(prefix.count).allSatisfy(\.isASCIIDigit)
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
