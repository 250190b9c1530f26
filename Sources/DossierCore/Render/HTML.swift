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
        // Native strings are contiguous UTF-8: a plain loop over the buffer is several times
        // faster than the generic `utf8.contains(where:)`, and most values have nothing to escape.
        text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where special(byte) { return true }
            return false
        } ?? text.utf8.contains(where: special)
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
