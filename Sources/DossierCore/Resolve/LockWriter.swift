import Foundation

/// Writes `versions.lock` as `JSONEncoder` does (pretty-printed, keys sorted, slashes as they
/// are), byte for byte, in one pass. A build that publishes updates writes the whole record
/// again: 20 to 30 ms with `JSONEncoder` for 2,000 updates, beside the pages on a machine
/// whose cores the pages keep busy; this takes about a millisecond. It writes only what it
/// knows `JSONEncoder` writes the same way: keys of printable ASCII, and strings with nothing
/// JSON escapes (no quote, backslash or control character). For anything else it gives up
/// (nil) and `VersionLock.text` asks `JSONEncoder`.
enum LockWriter {
    static func text(_ lock: VersionLock) -> String? {
        // Keys in byte order: for printable ASCII the order `JSONEncoder` sorts them in.
        let keys = lock.updates.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard keys.allSatisfy(isPlainKey) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(64 + lock.updates.count * 320)
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        func string(_ text: String) -> Bool {
            guard isPlain(text) else { return false }
            out.append(UInt8(ascii: "\""))
            append(text)
            out.append(UInt8(ascii: "\""))
            return true
        }
        append("{\n  \"format\" : \(lock.format),\n  \"updates\" : ")
        if keys.isEmpty {
            append("{\n\n  }\n}\n")
        } else {
            append("{\n")
            for (index, key) in keys.enumerated() {
                let entry = lock.updates[key]!
                // (A plain key, checked above: written as it is.)
                append("    \"\(key)\" : {\n      \"corrections\" : \(entry.corrections),\n      \"facts\" : ")
                if entry.facts.isEmpty {
                    append("[\n\n      ],\n")
                } else {
                    append("[\n")
                    for (factIndex, fact) in entry.facts.enumerated() {
                        append("        {\n          \"label\" : ")
                        guard string(fact.label) else { return nil }
                        if let source = fact.source {
                            append(",\n          \"source\" : ")
                            guard string(source) else { return nil }
                        }
                        append(",\n          \"value\" : ")
                        guard string(fact.value) else { return nil }
                        append(factIndex == entry.facts.count - 1 ? "\n        }\n" : "\n        },\n")
                    }
                    append("      ],\n")
                }
                append("      \"sha256\" : ")
                guard string(entry.sha256) else { return nil }
                append(index == keys.count - 1 ? "\n    }\n" : "\n    },\n")
            }
            append("  }\n}\n")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Printable ASCII without a quote or backslash (a slug, a slash and a date are).
    private static func isPlainKey(_ key: String) -> Bool {
        key.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// Nothing JSON escapes: no quote, backslash or control character (other text is written
    /// as its UTF-8, as `JSONEncoder` writes it).
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}
