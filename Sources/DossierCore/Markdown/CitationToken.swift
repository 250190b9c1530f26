import Foundation

/// A citation as it stands in the plain text a redline compares: one word that names what is
/// cited (the source keys and locators), not the note's number. So a sentence whose source
/// changed is a change on "what changed", while notes that were only renumbered (a citation
/// added earlier in the update) are not. The changes page shows the word as the note the
/// reader sees on that version's page, linked to its source.
///
/// Written with characters of Unicode's private use area, which the plain text of an update
/// does not otherwise hold; a text that does hold them is still shown as written (`forEach`
/// reads a token only where one is whole).
///
/// A token is U+E000 (written against the text before it, `state.[@coi-2014]`) or U+E001 (with
/// white space before it), then each item's key, with U+E004 and its locator after a key that
/// has one (`[@a, p. 12]`) and U+E003 between items (`[@a; @b]`), then U+E002.
enum CitationToken {
    /// The tokens of a body's citations, one after another in one buffer (not an array each).
    struct Store {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        func range(_ number: Int) -> Range<Int> { (number == 0 ? 0 : ends[number - 1])..<ends[number] }

        mutating func append(_ items: some Sequence<(key: String, locator: String?)>) {
            CitationToken.append(items, to: &bytes)
            ends.append(bytes.count)
        }
    }

    /// Appends the token of a group of items (keys and locators), opened as if white space came
    /// before it: a glued one has `gluedByte` as its third byte. The locator's white space
    /// becomes no-break spaces, so the token stays one word.
    static func append(_ items: some Sequence<(key: String, locator: String?)>, to out: inout [UInt8]) {
        out += openSpacedBytes
        var first = true
        for (key, locator) in items {
            if !first { out += separatorBytes }
            first = false
            out += key.utf8
            if let locator {
                out += locatorBytes
                for byte in locator.utf8 {
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { out += noBreakSpaceBytes } else { out.append(byte) }
                }
            }
        }
        out += closeBytes
    }

    /// The third byte of a glued token's opening marker (U+E000 is EE 80 80).
    static let gluedByte: UInt8 = 0x80

    // The markers in UTF-8: EE 80 80 to EE 80 84.
    private static let openSpacedBytes: [UInt8] = [0xEE, 0x80, 0x81]
    private static let closeBytes: [UInt8] = [0xEE, 0x80, 0x82]
    private static let separatorBytes: [UInt8] = [0xEE, 0x80, 0x83]
    private static let noBreakSpaceBytes: [UInt8] = [0xC2, 0xA0]
    private static let locatorBytes: [UInt8] = [0xEE, 0x80, 0x84]

    /// Whether a word of the compared text begins with a citation (a word is cut at white
    /// space, and a token always begins one).
    static func begins(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEE && bytes[1] == 0x80 && (bytes[2] == 0x80 || bytes[2] == 0x81)
    }

    /// Calls `body` with each whole token in UTF-8 text, in order: where it lies (markers
    /// included), and whether it was glued. Markers that make no whole token (one with an empty
    /// key, or no end) are text. Nothing is allocated: a changes page reads every note this way.
    static func forEach(in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ range: Range<Int>, _ glued: Bool) -> Void) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        func marker(at i: Int, _ last: UInt8) -> Bool {
            i + 2 < bytes.count && bytes[i] == 0xEE && bytes[i + 1] == 0x80 && bytes[i + 2] == last
        }
        var i = 0
        while i < bytes.count, let hit = memchr(base + i, 0xEE, bytes.count - i) {
            let open = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            i = open + 1
            guard marker(at: open, 0x80) || marker(at: open, 0x81) else { continue }
            // To the closing mark, each key not empty: a key starts after the opening mark and
            // after each separator, and runs to the next mark.
            var j = open + 3
            var keyStart = j
            var keyEmpty = false
            var inLocator = false
            while j < bytes.count, !marker(at: j, 0x82) {
                if marker(at: j, 0x83) || (!inLocator && marker(at: j, 0x84)) {
                    if !inLocator && j == keyStart { keyEmpty = true }
                    inLocator = marker(at: j, 0x84)
                    j += 3
                    keyStart = j
                } else {
                    j += 1
                }
            }
            guard j < bytes.count, !keyEmpty, inLocator || j > keyStart else { continue }
            body(open..<(j + 3), bytes[open + 2] == gluedByte)
            i = j + 3
        }
    }

    /// Calls `body` with each item of a whole token (as `forEach` finds one): its key's bytes,
    /// and its locator's, in which no-break spaces stand for spaces.
    static func forEachItem(of token: UnsafeBufferPointer<UInt8>,
                            _ body: (_ key: UnsafeBufferPointer<UInt8>, _ locator: UnsafeBufferPointer<UInt8>?) -> Void) {
        func marker(at i: Int, _ last: UInt8) -> Bool {
            i + 2 < token.count && token[i] == 0xEE && token[i + 1] == 0x80 && token[i + 2] == last
        }
        let end = token.count - 3
        var start = 3
        var locatorStart: Int?
        func emit(_ itemEnd: Int) {
            let keyEnd = locatorStart.map { $0 - 3 } ?? itemEnd
            body(UnsafeBufferPointer(rebasing: token[start..<keyEnd]),
                 locatorStart.map { UnsafeBufferPointer(rebasing: token[$0..<itemEnd]) })
        }
        var j = start
        while j < end {
            if marker(at: j, 0x83) {
                emit(j)
                j += 3
                start = j
                locatorStart = nil
            } else if locatorStart == nil, marker(at: j, 0x84) {
                j += 3
                locatorStart = j
            } else {
                j += 1
            }
        }
        emit(end)
    }
}
