import Foundation

/// Reading an attribute of an HTML tag from the `=` before its value, for the scans that look
/// for links in pages without parsing them (`LinkChecker.scan`, `RootLinks`): `href="…"`,
/// `href='…'` or `href=…`, the name after a space or a line break.
///
/// A `="` is always an attribute in what libcmark and the templates write, since text has its
/// `"` escaped. Text keeps its `'` and `=` (in a code span, say), so a value in single quotes or
/// none counts only inside a tag.
enum AttributeValue {
    /// Where the value after the `=` at `equals` begins and ends (its quotes left out), if it is
    /// an attribute's value.
    static func bounds(after equals: Int, in base: UnsafePointer<UInt8>, count: Int) -> (start: Int, end: Int)? {
        let first = equals + 1
        guard first < count else { return nil }
        switch base[first] {
        case 0x22, 0x27:
            let quote = base[first]
            if quote == 0x27, !isInsideTag(equals, in: base) { return nil }
            guard let close = memchr(base + first + 1, Int32(quote), count - first - 1) else { return nil }
            return (first + 1, base.distance(to: close.assumingMemoryBound(to: UInt8.self)))
        case 0x20, 0x09, 0x0A, 0x0D, 0x3E:
            return nil
        default:
            guard isInsideTag(equals, in: base) else { return nil }
            var end = first
            while end < count, !isSpace(base[end]), base[end] != 0x3E { end += 1 }
            return (first, end)
        }
    }

    /// Whether the bytes before `equals` are ` name` (or the name after another kind of space).
    static func named(_ name: StaticString, before equals: Int, in base: UnsafePointer<UInt8>) -> Bool {
        let length = name.utf8CodeUnitCount
        guard equals >= length + 1, isSpace(base[equals - length - 1]) else { return false }
        return memcmp(base + equals - length, name.utf8Start, length) == 0
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// Whether a `<` comes before any `>` going back from `index`, within a tag's plausible
    /// length (so text full of `id=` cannot make the scan go back and forth over it).
    private static func isInsideTag(_ index: Int, in base: UnsafePointer<UInt8>) -> Bool {
        var i = index - 1
        while i >= max(0, index - 4096) {
            if base[i] == 0x3C { return true }
            if base[i] == 0x3E { return false }
            i -= 1
        }
        return false
    }
}
