/// Escaping for text we put into HTML and XML ourselves.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        escape(text, into: &out)
        return out
    }

    @inline(__always) private static func special(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }

    /// Whether `text` holds any of the characters `escape` replaces.
    static func needsEscaping(_ text: String) -> Bool {
        // Native strings are contiguous UTF-8: a loop over the buffer is several times faster
        // than the generic `utf8.contains(where:)`, and most values have nothing to escape.
        text.utf8.withContiguousStorageIfAvailable(needsEscaping) ?? text.utf8.contains(where: special)
    }

    /// The same on bytes, eight at a time: a byte of a word equals one of the five when that
    /// word, exclusive-or'd with the byte repeated, has a zero byte (an exact test). Most of
    /// a page's values are hundreds of bytes of text with nothing to escape.
    static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if hasZeroByte(word ^ (ones &* 0x26)) || hasZeroByte(word ^ (ones &* 0x3C)) || hasZeroByte(word ^ (ones &* 0x3E))
                || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x27)) {
                return true
            }
            index += 8
        }
        while index < bytes.count {
            if special(base[index]) { return true }
            index += 1
        }
        return false
    }

    /// Appends UTF-8 text escaped to UTF-8 bytes.
    static func escape(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard needsEscaping(text) else {
            out.append(contentsOf: text)
            return
        }
        for byte in text {
            switch byte {
            case 0x26: out.append(utf8: "&amp;")
            case 0x3C: out.append(utf8: "&lt;")
            case 0x3E: out.append(utf8: "&gt;")
            case 0x22: out.append(utf8: "&quot;")
            case 0x27: out.append(utf8: "&#39;")
            default: out.append(byte)
            }
        }
    }

    /// Appends `text` escaped; most text has nothing to escape and is appended whole.
    public static func escape(_ text: String, into out: inout String) {
        guard needsEscaping(text) else {
            out += text
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: bytes += "&amp;".utf8
            case 0x3C: bytes += "&lt;".utf8
            case 0x3E: bytes += "&gt;".utf8
            case 0x22: bytes += "&quot;".utf8
            case 0x27: bytes += "&#39;".utf8
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }
}
