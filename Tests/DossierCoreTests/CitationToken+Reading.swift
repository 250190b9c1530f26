@testable import DossierCore

/// A redline's text read into values, for tests to compare whole: the build itself reads tokens
/// in place (`CitationToken.forEach`, `forEachItem`).
extension CitationToken {
    static let close: Unicode.Scalar = "\u{E002}"

    struct Item: Equatable {
        var key: String
        var locator: String?
    }

    enum Piece: Equatable {
        case text(Substring)
        /// A citation; `glued` when no space came before it in the text.
        case citation(glued: Bool, items: [Item])
    }

    /// The token of a group of items, opened as if white space came before it.
    static func token(_ items: some Sequence<(key: String, locator: String?)>) -> [UInt8] {
        var out: [UInt8] = []
        append(items, to: &out)
        return out
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
            forEach(in: bytes) { range, glued in
                plain(at..<range.lowerBound)
                var items: [Item] = []
                forEachItem(of: UnsafeBufferPointer(rebasing: bytes[range])) { key, locator in
                    items.append(Item(key: String(decoding: key, as: UTF8.self),
                                      locator: locator.map { String(decoding: $0, as: UTF8.self).replacing("\u{A0}", with: " ") }))
                }
                pieces.append(.citation(glued: glued, items: items))
                at = range.upperBound
            }
            plain(at..<bytes.count)
            return pieces
        }
    }
}
