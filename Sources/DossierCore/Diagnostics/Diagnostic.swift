/// One problem found in the content or templates, located like a compiler's message.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    /// Path shown to the editor, e.g. `Content/situations/dprk/updates/2025-06-01.md`.
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based, counted in characters; 0 when unknown.
    public var column: Int
    public var message: String

    public init(_ severity: Severity, _ file: String, line: Int = 0, column: Int = 0, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public static func error(_ file: String, line: Int = 0, column: Int = 0, _ message: String) -> Diagnostic {
        Diagnostic(.error, file, line: line, column: column, message)
    }

    public static func warning(_ file: String, line: Int = 0, column: Int = 0, _ message: String) -> Diagnostic {
        Diagnostic(.warning, file, line: line, column: column, message)
    }

    public static func error(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, location.file, line: location.line, column: location.column, message)
    }

    public static func warning(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, location.file, line: location.line, column: location.column, message)
    }

    /// `file:line:col: severity: message`, the form editors' tools jump to.
    public var description: String {
        var place = file
        if line > 0 {
            place += ":\(line)"
            if column > 0 { place += ":\(column)" }
        }
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// A place in a source file.
public struct SourceLocation: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func file(_ file: String) -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    /// The line and column (counted in characters) of a byte offset in a file's UTF-8 text.
    init<Bytes: BidirectionalCollection<UInt8>>(file: String, offset: Int, in bytes: Bytes) where Bytes.Index == Int {
        let before = bytes[bytes.startIndex..<offset]
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? bytes.startIndex
        self.init(file: file, line: before.count(where: { $0 == 0x0A }) + 1,
                  column: String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, then line and column, so a run's report reads top to bottom.
    public func sortedForReport() -> [Diagnostic] {
        sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            if a.severity != b.severity { return a.severity > b.severity }
            return a.message < b.message
        }
    }
}

extension Diagnostic: Error {}
