import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: how digests are written everywhere.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum Digest {
    /// SHA-256 of `data` in hexadecimal.
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }

    /// SHA-256 of bytes in memory (a page's text, without copying it into a `Data`).
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> String { SHA256.hash(data: bytes).hex }

    /// SHA-256 of several parts, each length-prefixed.
    static func sha256(parts: [Data]) -> String {
        var hasher = Hasher256()
        for part in parts { hasher.add(part) }
        return hasher.finish()
    }
}

/// SHA-256 over length-prefixed parts, so ("ab", "c") and ("a", "bc") differ.
struct Hasher256 {
    private var hasher = SHA256()

    mutating func add(_ text: String) { add(Data(text.utf8)) }

    mutating func add(_ data: Data) {
        hasher.update(data: Data("\(data.count):".utf8))
        hasher.update(data: data)
    }

    func finish() -> String {
        hasher.finalize().hex
    }
}
