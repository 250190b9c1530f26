import Foundation

/// Finding a run of bytes in a text, a word at a time: `memchr` for its first byte, `memcmp` for
/// the rest. For scans of every content file, where most files do not have what is looked for.
enum ByteSearch {
    /// Whether `needle` occurs in `text` at a place that `accept` takes (given the text's bytes and
    /// where the occurrence begins); the occurrences are offered in order.
    static func contains(_ needle: [UInt8], in text: String,
                         where accept: (UnsafeBufferPointer<UInt8>, Int) -> Bool = { _, _ in true }) -> Bool {
        guard let first = needle.first else { return true }
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            var i = 0
            while i + needle.count <= bytes.count, let hit = memchr(base + i, Int32(first), bytes.count - i) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                i = at + 1
                if at + needle.count <= bytes.count, memcmp(base + at, needle, needle.count) == 0, accept(bytes, at) { return true }
            }
            return false
        }
    }
}

extension ByteSearch {
    /// Where `byte` first occurs in `bytes` at or after `start` (`memchr`, which compares many
    /// bytes at a time where a loop compares one).
    static func index(of byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            return memchr(base + start, Int32(byte), buffer.count - start).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        }
    }
}
