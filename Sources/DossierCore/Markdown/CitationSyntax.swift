/// Parses the text of a citation group: `[@a]`, `[@a, p. 12]`, `[@a; @b, ch. 2]`.
/// Works on UTF-8 bytes: every character the syntax names is ASCII.
enum CitationSyntax {
    struct Item: Equatable {
        var key: String
        var locator: String?
        /// Offset of the `@` from the group's `[`, in UTF-8 bytes.
        var offset: Int
    }

    struct Group: Equatable {
        /// Byte range of the whole `[...]` in the scanned text.
        var range: Range<Int>
        var items: [Item]
    }

    /// Every well-formed citation group in `text`. Brackets that do not hold citations are left alone.
    static func groups(in text: String) -> [Group] {
        groups(in: Array(text.utf8))
    }

    static func groups(in bytes: [UInt8]) -> [Group] {
        var groups: [Group] = []
        var i = 0
        while let open = ByteSearch.index(of: UInt8(ascii: "["), in: bytes, from: i) {
            if let group = parseGroup(bytes, from: open) {
                groups.append(group)
                i = group.range.upperBound
            } else {
                i = open + 1
            }
        }
        return groups
    }

    /// Footnote marks as other Markdown dialects write them (`[^1]`, `[^note]`), which CommonMark
    /// shows as they are; their definitions (`[^1]: …`) start the same way.
    static func footnotes(in bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = 0
        while i + 1 < bytes.count, let open = ByteSearch.index(of: UInt8(ascii: "["), in: bytes, from: i) {
            i = open + 1
            guard i < bytes.count, bytes[i] == UInt8(ascii: "^") else { continue }
            var end = i + 1
            while end < bytes.count, end - open < 40, bytes[end] != UInt8(ascii: "]"), !isSpace(bytes[end]), bytes[end] != UInt8(ascii: "[") {
                end += 1
            }
            if end < bytes.count, end > i + 1, bytes[end] == UInt8(ascii: "]") {
                found.append(open..<(end + 1))
                i = end + 1
            }
        }
        return found
    }

    /// Brackets that look meant as a citation but are not one (`[@coi-2014 p. 12]`,
    /// `[see @coi-2014]`, `[@coi-2014;]`): an `@` that starts the bracket or a word in it, before a
    /// key's first character, in a bracket that is none of `groups`. They stay text; the editor is told.
    static func lookalikes(in bytes: [UInt8], besides groups: [Group]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = 0
        while let open = ByteSearch.index(of: UInt8(ascii: "["), in: bytes, from: i) {
            i = open + 1
            if groups.contains(where: { $0.range.lowerBound == open }) { continue }
            var end = open + 1
            var meant = false
            while end < bytes.count, bytes[end] != UInt8(ascii: "]"), bytes[end] != UInt8(ascii: "["), end - open < 300 {
                if bytes[end] == UInt8(ascii: "@"), end == open + 1 || isSpace(bytes[end - 1]) || bytes[end - 1] == UInt8(ascii: ";") {
                    // `[@ key]` too, at the start of the bracket.
                    var next = end + 1
                    if end == open + 1 { while next < bytes.count, isSpace(bytes[next]) { next += 1 } }
                    if next < bytes.count, isKeyByte(bytes[next]) { meant = true }
                }
                end += 1
            }
            if meant, end < bytes.count, bytes[end] == UInt8(ascii: "]") { found.append(open..<(end + 1)) }
        }
        return found
    }

    /// `@key` outside brackets, for a key that is known (Pandoc's in-text citation, which Dossier
    /// does not have): where each begins, and the key. An `@` inside a word (an address) is not one.
    static func bareKeys(in bytes: [UInt8], besides taken: [Range<Int>], known: Set<String>) -> [(Int, String)] {
        var found: [(Int, String)] = []
        var i = 0
        while let at = ByteSearch.index(of: UInt8(ascii: "@"), in: bytes, from: i) {
            i = at + 1
            guard at == 0 || isSpace(bytes[at - 1]) || bytes[at - 1] == UInt8(ascii: "("),
                  !taken.contains(where: { $0.contains(at) }) else { continue }
            var end = at + 1
            while end < bytes.count, isKeyByte(bytes[end]) { end += 1 }
            // A sentence's full stop or colon after the key is not part of it.
            while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: ":") { end -= 1 }
            let key = String(decoding: bytes[(at + 1)..<end], as: UTF8.self)
            if known.contains(key) { found.append((at, key)) }
        }
        return found
    }

    private static func isKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A }

    private static func parseGroup(_ bytes: [UInt8], from start: Int) -> Group? {
        var i = start + 1
        var items: [Item] = []
        while true {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "@") else { return nil }
            let at = i
            i += 1
            let keyStart = i
            while i < bytes.count, isKeyByte(bytes[i]) { i += 1 }
            guard i > keyStart else { return nil }
            let key = String(decoding: bytes[keyStart..<i], as: UTF8.self)
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { return nil }
            var locator: String?
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                let textStart = i
                while i < bytes.count, bytes[i] != UInt8(ascii: ";"), bytes[i] != UInt8(ascii: "]") {
                    if bytes[i] == UInt8(ascii: "[") { return nil }
                    i += 1
                }
                guard i < bytes.count else { return nil }
                let text = String(decoding: bytes[textStart..<i], as: UTF8.self)
                let trimmed = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
                guard !trimmed.isEmpty else { return nil }
                locator = String(trimmed).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
            }
            items.append(Item(key: key, locator: locator, offset: at - start))
            if bytes[i] == UInt8(ascii: "]") { return Group(range: start..<(i + 1), items: items) }
            guard bytes[i] == UInt8(ascii: ";") else { return nil }
            i += 1
        }
    }
}
