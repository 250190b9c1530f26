/// Reads `versions.lock` in one pass over its bytes. Every build that has a lock decodes it
/// before it can tell which situations changed (7 ms with `JSONDecoder` for 2,000 updates, on
/// one core while the other waits: about a twentieth of an edit rebuild). This reads JSON as the
/// lock holds it, objects, arrays, strings and whole numbers, in any layout and key order, and
/// gives up (nil) at anything else: a key the lock does not have, one given twice, a number with
/// a fraction or an exponent, `true`, a lone surrogate, bytes after the end. `VersionLock.parse`
/// then decodes the text with `JSONDecoder` as before, which accepts what it accepts and words
/// the error of a damaged lock.
struct LockReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func read(_ text: String) -> VersionLock? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = LockReader(bytes)
            guard let lock = reader.lock() else { return nil }
            reader.skipSpace()
            return reader.at == bytes.count ? lock : nil
        }
    }

    private mutating func lock() -> VersionLock? {
        var format: Int?
        var updates: [String: VersionLock.Entry]?
        let complete = object { reader, key in
            switch key {
            case "format" where format == nil:
                format = reader.int()
                return format != nil
            case "updates" where updates == nil:
                var entries: [String: VersionLock.Entry] = [:]
                let read = reader.object { reader, key in
                    guard entries[key] == nil, let entry = reader.entry() else { return false }
                    entries[key] = entry
                    return true
                }
                updates = read ? entries : nil
                return read
            default:
                return false
            }
        }
        guard complete, let format, let updates else { return nil }
        return VersionLock(format: format, updates: updates)
    }

    private mutating func entry() -> VersionLock.Entry? {
        var sha256: String?
        var corrections: Int?
        var facts: [VersionLock.LockedFact]?
        let complete = object { reader, key in
            switch key {
            case "sha256" where sha256 == nil:
                sha256 = reader.string()
                return sha256 != nil
            case "corrections" where corrections == nil:
                corrections = reader.int()
                return corrections != nil
            case "facts" where facts == nil:
                facts = reader.facts()
                return facts != nil
            default:
                return false
            }
        }
        guard complete, let sha256, let corrections, let facts else { return nil }
        return VersionLock.Entry(sha256: sha256, corrections: corrections, facts: facts)
    }

    private mutating func facts() -> [VersionLock.LockedFact]? {
        skipSpace()
        guard take(UInt8(ascii: "[")) else { return nil }
        var facts: [VersionLock.LockedFact] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return facts }
        repeat {
            guard let fact = fact() else { return nil }
            facts.append(fact)
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? facts : nil
    }

    private mutating func fact() -> VersionLock.LockedFact? {
        var label: String?
        var value: String?
        var source: String??
        let complete = object { reader, key in
            switch key {
            case "label" where label == nil:
                label = reader.string()
                return label != nil
            case "value" where value == nil:
                value = reader.string()
                return value != nil
            case "source" where source == nil:
                reader.skipSpace()
                if reader.take(literal: "null") {
                    source = .some(nil)
                    return true
                }
                guard let text = reader.string() else { return false }
                source = .some(text)
                return true
            default:
                return false
            }
        }
        guard complete, let label, let value else { return nil }
        return VersionLock.LockedFact(label: label, value: value, source: source ?? nil)
    }

    /// An object, each member handed to `member` with the reader at its value; false if the
    /// object is malformed or `member` refuses a key.
    private mutating func object(_ member: (inout LockReader, String) -> Bool) -> Bool {
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipSpace()
            guard let key = string() else { return false }
            skipSpace()
            guard take(UInt8(ascii: ":")), member(&self, key) else { return false }
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func string() -> String? {
        skipSpace()
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = at
        // Most strings have no escapes: taken from the bytes as they are.
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 { at += 1 }
        guard at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "\"") {
            defer { at += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        }
        var out = Array(bytes[start..<at])
        while at < bytes.count {
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by a low one.
                        guard take(literal: "\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let character = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: String(character).utf8)
                default:
                    return nil
                }
            default:
                // Control characters must be escaped in JSON.
                guard byte >= 0x20 else { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            at += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A whole number as JSON writes it: no leading zeros, no fraction, no exponent.
    private mutating func int() -> Int? {
        skipSpace()
        let negative = take(UInt8(ascii: "-"))
        let start = at
        var value = 0
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[at] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            at += 1
        }
        let digits = at - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if at < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[at]) { return nil }
        return negative ? -value : value
    }

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func take(literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { literal in
            (0..<count).allSatisfy { bytes[at + $0] == literal[$0] }
        }
        if matches { at += count }
        return matches
    }
}
