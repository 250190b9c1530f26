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

    /// SHA-256 of a text's UTF-8 bytes, hashed where they are.
    static func sha256(text: String) -> String {
        var text = text
        return text.withUTF8 { sha256(UnsafeRawBufferPointer($0)) }
    }

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

    // Parts are fed from their own bytes: a build adds tens of thousands of small ones (the
    // lock's entries, every file's digest), where copying each into a `Data` cost more than hashing.
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ data: Data) {
        data.withUnsafeBytes { add($0) }
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var prefix = "\(bytes.count):"
        prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(bufferPointer: bytes)
    }

    func finish() -> String {
        hasher.finalize().hex
    }

    /// The digest's 32 bytes, for a key held in memory rather than written.
    func finishBytes() -> [UInt8] {
        Array(hasher.finalize())
    }
}
