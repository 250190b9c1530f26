import Crypto
import Foundation

/// What each YAML text of the content parsed to, kept beside the output (`.Public.yaml-cache`),
/// so a rebuild parses only the YAML that changed: Yams was about a third of loading, and
/// loading the largest part of an edit rebuild's work on the files it did not touch.
///
/// An entry is found by a SHA-256 of all a parse depends on: the text, the file's path (every
/// location names it) and the line the text starts at. A parse that fails is never kept, so its
/// diagnostic always comes from Yams. The file carries a SHA-256 of its entries and the
/// program's version: a missing, damaged or older cache is read as empty, and a build then
/// parses everything, as a first build does.
final class YAMLCache: @unchecked Sendable {
    /// The first bytes of the file; a new version of Dossier starts afresh.
    static let header = Array("dossier yaml cache \(BuildState.toolVersion)\n".utf8)

    struct Key: Hashable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: Key, b: Key) -> Bool {
            a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
        }

        init(text: String, file: String, lineOffset: Int) {
            var hasher = Hasher256()
            hasher.add(file)
            hasher.add(String(lineOffset))
            hasher.add(text)
            self.init(hasher.finishBytes()[...])!
        }

        /// A key from its 32 bytes as the file holds them.
        init?(_ bytes: ArraySlice<UInt8>) {
            guard bytes.count == 32 else { return nil }
            words = bytes.withUnsafeBytes { raw in
                (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            }
        }

        func append(to out: inout [UInt8]) {
            var words = self.words
            withUnsafeBytes(of: &words) { out.append(contentsOf: $0) }
        }
    }

    /// The cache's file as read, and where each entry's encoded node is in it.
    private let stored: [UInt8]
    private let index: [Key: Range<Int>]
    private let mutex = NSLock()
    /// The entries this build used: a range of `stored`, or a node parsed now, encoded.
    private var used: [Key: Entry] = [:]

    private enum Entry {
        case stored(Range<Int>)
        case parsed([UInt8])
    }

    /// How many entries the cache was read with.
    var entryCount: Int { index.count }

    /// The cache beside an output folder, as `BuildState` is.
    static func path(beside output: String) -> String {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).yaml-cache").path
    }

    /// An empty cache.
    init() {
        stored = []
        index = [:]
    }

    /// The cache kept at `path`; empty when there is none or it cannot be trusted.
    convenience init(contentsOf path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            self.init()
            return
        }
        self.init(bytes: [UInt8](data))
    }

    init(bytes: [UInt8]) {
        let start = Self.header.count + 32
        var index: [Key: Range<Int>] = [:]
        if bytes.count >= start, bytes[..<Self.header.count].elementsEqual(Self.header),
           bytes[Self.header.count..<start].elementsEqual(bytes.withUnsafeBytes {
               Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[start...])))
           }) {
            var reader = Reader(bytes: bytes, at: start)
            while reader.at < bytes.count {
                guard reader.at + 32 <= bytes.count, let key = Key(bytes[reader.at..<(reader.at + 32)]) else {
                    index = [:]
                    break
                }
                reader.at += 32
                guard let length = reader.count() else {
                    index = [:]
                    break
                }
                index[key] = reader.at..<(reader.at + length)
                reader.at += length
            }
        }
        self.stored = index.isEmpty ? [] : bytes
        self.index = index
    }

    /// `YAMLParser.parse`, answered from the cache when the same text was parsed before.
    func parse(_ text: String, file: String, lineOffset: Int = 0) -> Result<YAMLNode, Diagnostic> {
        let key = Key(text: text, file: file, lineOffset: lineOffset)
        if let range = index[key] {
            var reader = Reader(bytes: stored, at: range.lowerBound)
            if let node = reader.node(file: file), reader.at == range.upperBound {
                mutex.withLock { used[key] = .stored(range) }
                return .success(node)
            }
        }
        let parsed = YAMLParser.parse(text, file: file, lineOffset: lineOffset)
        if case .success(let node) = parsed {
            var encoded: [UInt8] = []
            Self.encode(node, into: &encoded)
            mutex.withLock { used[key] = .parsed(encoded) }
        }
        return parsed
    }

    /// The file for the entries this build used, or nil when it would be the one read (every
    /// entry used, none parsed now): a build that changed no YAML writes nothing.
    func contents() -> [UInt8]? {
        let used = mutex.withLock { self.used }
        let unchanged = used.count == index.count && used.values.allSatisfy { if case .stored = $0 { true } else { false } }
        if unchanged { return nil }
        var body: [UInt8] = []
        body.reserveCapacity(stored.count + 4096)
        // In the order of their keys, so the same entries always make the same file.
        for (key, entry) in used.sorted(by: { Self.less($0.key, $1.key) }) {
            key.append(to: &body)
            switch entry {
            case .stored(let range):
                Self.appendNumber(range.count, to: &body)
                body.append(contentsOf: stored[range])
            case .parsed(let encoded):
                Self.appendNumber(encoded.count, to: &body)
                body.append(contentsOf: encoded)
            }
        }
        return Self.header + Array(SHA256.hash(data: body)) + body
    }

    /// Writes the entries this build used beside the output, if they changed. A cache that
    /// cannot be written only means the next build parses everything.
    func save(beside output: String) {
        guard let bytes = contents() else { return }
        try? Publisher.writeAtomically(Data(bytes), to: Self.path(beside: output))
    }

    private static func less(_ a: Key, _ b: Key) -> Bool {
        (a.words.0.bigEndian, a.words.1.bigEndian, a.words.2.bigEndian, a.words.3.bigEndian)
            < (b.words.0.bigEndian, b.words.1.bigEndian, b.words.2.bigEndian, b.words.3.bigEndian)
    }

    // MARK: encoding

    /// A node: its kind (null, plain scalar, quoted scalar, mapping, sequence), its line and
    /// column, then its text, or its pairs (key, key's line and column, value), or its items.
    static func encode(_ node: YAMLNode, into out: inout [UInt8]) {
        switch node.value {
        case .null: out.append(0)
        case .scalar(_, let plain): out.append(plain ? 1 : 2)
        case .mapping: out.append(3)
        case .sequence: out.append(4)
        }
        appendNumber(node.location.line, to: &out)
        appendNumber(node.location.column, to: &out)
        switch node.value {
        case .null:
            break
        case .scalar(let text, _):
            appendText(text, to: &out)
        case .mapping(let pairs):
            appendNumber(pairs.count, to: &out)
            for pair in pairs {
                appendText(pair.key, to: &out)
                appendNumber(pair.keyLocation.line, to: &out)
                appendNumber(pair.keyLocation.column, to: &out)
                encode(pair.value, into: &out)
            }
        case .sequence(let items):
            appendNumber(items.count, to: &out)
            for item in items { encode(item, into: &out) }
        }
    }

    private static func appendText(_ text: String, to out: inout [UInt8]) {
        appendNumber(text.utf8.count, to: &out)
        out.append(contentsOf: text.utf8)
    }

    /// A whole number, zigzag-encoded (so a negative one cannot break the file), seven bits a byte.
    static func appendNumber(_ number: Int, to out: inout [UInt8]) {
        var value = UInt64(bitPattern: Int64(number << 1) ^ Int64(number >> 63))
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// Reads what `encode` wrote; nil (never a trap) for bytes it did not write.
    struct Reader {
        let bytes: [UInt8]
        var at: Int

        mutating func number() -> Int? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while at < bytes.count, shift < 64 {
                let byte = bytes[at]
                at += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(truncatingIfNeeded: Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))) }
                shift += 7
            }
            return nil
        }

        mutating func count() -> Int? {
            guard let count = number(), count >= 0, count <= bytes.count - at else { return nil }
            return count
        }

        mutating func text() -> String? {
            guard let length = count() else { return nil }
            defer { at += length }
            return String(decoding: bytes[at..<(at + length)], as: UTF8.self)
        }

        mutating func node(file: String) -> YAMLNode? {
            guard at < bytes.count else { return nil }
            let kind = bytes[at]
            at += 1
            guard let line = number(), let column = number() else { return nil }
            let here = SourceLocation(file: file, line: line, column: column)
            switch kind {
            case 0:
                return YAMLNode(.null, at: here)
            case 1, 2:
                guard let text = text() else { return nil }
                return YAMLNode(.scalar(text, plain: kind == 1), at: here)
            case 3:
                guard let count = count() else { return nil }
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = text(), let keyLine = number(), let keyColumn = number(),
                          let value = node(file: file) else { return nil }
                    pairs.append(YAMLPair(key: key, keyLocation: SourceLocation(file: file, line: keyLine, column: keyColumn),
                                          value: value))
                }
                return YAMLNode(.mapping(pairs), at: here)
            case 4:
                guard let count = count() else { return nil }
                var items: [YAMLNode] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = node(file: file) else { return nil }
                    items.append(item)
                }
                return YAMLNode(.sequence(items), at: here)
            default:
                return nil
            }
        }
    }
}
