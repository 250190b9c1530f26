import Foundation

/// Slugs name situations and pages in URLs: lower-case ASCII letters, digits and hyphens.
public enum Slug {
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, !text.hasPrefix("-"), !text.hasSuffix("-") else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    static func problem(_ text: String, what: String) -> String {
        "\(what) '\(text)' is not a valid slug: use lower-case ASCII letters, digits and hyphens (for example 'dprk')"
    }

    /// A heading's text turned into an id: `Necessary Action` → `necessary-action`.
    public static func make(from text: String) -> String {
        // Most headings are ASCII: made from their bytes, without lower-casing a copy of the
        // text and asking each scalar's Unicode properties. The same result as `makeFromScalars`.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return makeFromScalars(text) }
        var out: [UInt8] = []
        var pendingHyphen = false
        for byte in text.utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                if pendingHyphen, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                out.append(lower)
            } else if lower != UInt8(ascii: "'") {
                pendingHyphen = true
            }
        }
        return out.isEmpty ? "section" : String(decoding: out, as: UTF8.self)
    }

    /// `make` for any text, scalar by scalar. The text is first composed (Unicode NFC), so a
    /// heading gets the same id however its editor's keyboard or system encoded an accent
    /// (`é` as one scalar or as `e` and a combining accent): links to it, written in the
    /// composed form that nearly every editor produces, then find it.
    static func makeFromScalars(_ text: String) -> String {
        var out = ""
        var pendingHyphen = false
        var inWord = false
        for scalar in text.lowercased().precomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x61...0x7A).contains(scalar.value) || (0x30...0x39).contains(scalar.value)
                || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                // Letters outside ASCII stay, so headings in other scripts still get ids.
                if pendingHyphen, !out.isEmpty { out.append("-") }
                pendingHyphen = false
                inWord = true
                out.unicodeScalars.append(scalar)
            } else if Self.isMark(scalar) {
                // A mark belongs to the letter before it (an accent with no composed form, a
                // virama in Devanagari); it does not end a word, and alone it is dropped.
                if inWord { out.unicodeScalars.append(scalar) }
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue
            } else {
                pendingHyphen = true
                inWord = false
            }
        }
        return out.isEmpty ? "section" : out
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
