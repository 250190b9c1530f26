import Foundation

/// Parses the text of a citation group: `[@a]`, `[@a, p. 12]`, `[@a; @b, ch. 2]`.
enum CitationSyntax {
    struct Item: Equatable {
        var key: String
        var locator: String?
        /// Offset of the `@` from the group's `[`, in characters.
        var offset: Int
    }

    struct Group: Equatable {
        /// Character range of the whole `[...]` in the scanned text.
        var range: Range<Int>
        var items: [Item]
    }

    /// Every well-formed citation group in `text`. Brackets that do not hold citations are left alone.
    static func groups(in text: String) -> [Group] {
        let chars = Array(text)
        var groups: [Group] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "[", let group = parseGroup(chars, from: i) {
                groups.append(group)
                i = group.range.upperBound
            } else {
                i += 1
            }
        }
        return groups
    }

    private static func isKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "-_.:".contains(c))
    }

    private static func parseGroup(_ chars: [Character], from start: Int) -> Group? {
        var i = start + 1
        var items: [Item] = []
        while true {
            while i < chars.count, chars[i] == " " || chars[i] == "\n" { i += 1 }
            guard i < chars.count, chars[i] == "@" else { return nil }
            let at = i
            i += 1
            var key = ""
            while i < chars.count, isKeyCharacter(chars[i]) { key.append(chars[i]); i += 1 }
            guard !key.isEmpty else { return nil }
            while i < chars.count, chars[i] == " " || chars[i] == "\n" { i += 1 }
            guard i < chars.count else { return nil }
            var locator: String?
            if chars[i] == "," {
                i += 1
                var text = ""
                while i < chars.count, chars[i] != ";", chars[i] != "]" {
                    if chars[i] == "[" { return nil }
                    text.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { return nil }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { return nil }
                locator = trimmed.replacingOccurrences(of: "\n", with: " ")
            }
            items.append(Item(key: key, locator: locator, offset: at - start))
            if chars[i] == "]" { return Group(range: start..<(i + 1), items: items) }
            guard chars[i] == ";" else { return nil }
            i += 1
        }
    }
}
