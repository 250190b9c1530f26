import Foundation

/// A citation as it stands in the plain text a redline compares: one word that names what is
/// cited (the source keys and locators), not the note's number. So a sentence whose source
/// changed is a change on "what changed", while notes that were only renumbered (a citation
/// added earlier in the update) are not. The changes page shows the word as the note the
/// reader sees on that version's page, linked to its source.
///
/// Written with characters of Unicode's private use area, which the plain text of an update
/// does not otherwise hold; a text that does hold them is still shown as written (`pieces`
/// reads a token only where one is whole).
enum CitationToken {
    /// Opens a token written straight after the text before it (`state.[@coi-2014]`).
    static let openGlued: Unicode.Scalar = "\u{E000}"
    /// Opens a token with white space before it.
    static let openSpaced: Unicode.Scalar = "\u{E001}"
    static let close: Unicode.Scalar = "\u{E002}"
    /// Between the items of a group (`[@a; @b]`).
    static let separator: Unicode.Scalar = "\u{E003}"
    /// Between a key and its locator (`[@a, p. 12]`).
    static let locatorMark: Unicode.Scalar = "\u{E004}"

    struct Item: Equatable {
        var key: String
        var locator: String?
    }

    enum Piece: Equatable {
        case text(Substring)
        /// A citation; `glued` when no space came before it in the text.
        case citation(glued: Bool, items: [Item])
    }

    /// The token of a group of items (keys and locators), opened as if white space came before
    /// it: a glued one has `gluedByte` as its third byte. The locator's white space becomes
    /// no-break spaces, so the token stays one word.
    static func token(_ items: some Sequence<(key: String, locator: String?)>) -> [UInt8] {
        var out: [UInt8] = [0xEE, 0x80, 0x81]
        out.reserveCapacity(48)
        var first = true
        for (key, locator) in items {
            if !first { out += separatorBytes }
            first = false
            out += key.utf8
            if let locator {
                out += locatorBytes
                for byte in locator.utf8 {
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { out += [0xC2, 0xA0] } else { out.append(byte) }
                }
            }
        }
        out += [0xEE, 0x80, 0x82]
        return out
    }

    /// The third byte of a glued token's opening marker (U+E000 is EE 80 80).
    static let gluedByte: UInt8 = 0x80

    // The markers in UTF-8: EE 80 80 to EE 80 84.
    private static let separatorBytes: [UInt8] = [0xEE, 0x80, 0x83]
    private static let locatorBytes: [UInt8] = [0xEE, 0x80, 0x84]

    /// Whether a word of the compared text begins with a citation (a word is cut at white
    /// space, and a token always begins one).
    static func begins(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEE && bytes[1] == 0x80 && (bytes[2] == 0x80 || bytes[2] == 0x81)
    }

    /// A token found in text: where it lies (markers included), and what it cites.
    struct Found {
        var range: Range<Int>
        var glued: Bool
        var items: [Item]
    }

    /// The whole tokens in UTF-8 text, in order. Markers that make no whole token are text.
    static func tokens(in bytes: UnsafeBufferPointer<UInt8>) -> [Found] {
        var found: [Found] = []
        guard let base = bytes.baseAddress else { return found }
        func marker(at i: Int, _ last: UInt8) -> Bool {
            i + 2 < bytes.count && bytes[i] == 0xEE && bytes[i + 1] == 0x80 && bytes[i + 2] == last
        }
        var i = 0
        // A plain loop, not memchr: most texts looked at are a few words of a redline's run.
        while i < bytes.count {
            guard base[i] == 0xEE else {
                i += 1
                continue
            }
            let open = i
            i = open + 1
            guard marker(at: open, 0x80) || marker(at: open, 0x81) else { continue }
            var close = open + 3
            while close < bytes.count, !marker(at: close, 0x82) { close += 1 }
            guard close < bytes.count else { continue }
            // Each item: its key, and after the locator mark its locator.
            var items: [Item] = []
            var start = open + 3
            var locatorStart: Int?
            func endItem(at end: Int) {
                let keyEnd = locatorStart.map { $0 - 3 } ?? end
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<keyEnd]), as: UTF8.self)
                let locator = locatorStart.map { from in
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<end]), as: UTF8.self)
                        .replacingOccurrences(of: "\u{A0}", with: " ")
                }
                items.append(Item(key: key, locator: locator))
            }
            var j = start
            while j < close {
                if marker(at: j, 0x83) {
                    endItem(at: j)
                    j += 3
                    start = j
                    locatorStart = nil
                } else if marker(at: j, 0x84), locatorStart == nil {
                    j += 3
                    locatorStart = j
                } else {
                    j += 1
                }
            }
            endItem(at: close)
            guard !items.contains(where: { $0.key.isEmpty }) else { continue }
            found.append(Found(range: open..<(close + 3), glued: bytes[open + 2] == 0x80, items: items))
            i = close + 3
        }
        return found
    }

    /// A text cut into plain text and citations.
    static func pieces(of text: String) -> [Piece] {
        var text = text
        return text.withUTF8 { bytes in
            var pieces: [Piece] = []
            var at = 0
            func plain(_ range: Range<Int>) {
                if !range.isEmpty { pieces.append(.text(Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)))) }
            }
            for token in tokens(in: bytes) {
                plain(at..<token.range.lowerBound)
                pieces.append(.citation(glued: token.glued, items: token.items))
                at = token.range.upperBound
            }
            plain(at..<bytes.count)
            return pieces
        }
    }
}
