import Foundation

/// A text file as read from the content folder, with the path an editor sees.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

extension SourceFile {
    /// Decodes UTF-8 (dropping a byte-order mark, turning CRLF into LF) or says where it is not UTF-8.
    static func decode(_ data: Data, path: String) -> Result<SourceFile, Diagnostic> {
        // Read where the bytes are (a byte-by-byte copy into an array cost more than the checks).
        let checked = data.withUnsafeBytes { raw -> (text: String?, carriageReturn: Bool) in
            var bytes = raw.bindMemory(to: UInt8.self)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) }
            guard let base = bytes.baseAddress else { return ("", false) }
            return (String(validating: bytes, as: UTF8.self), memchr(base, 0x0D, bytes.count) != nil)
        }
        guard var text = checked.text else {
            var bytes = [UInt8](data)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let offset = firstInvalidUTF8Offset(bytes) ?? bytes.count
            return .failure(.error(at: SourceLocation(file: path, offset: offset, in: bytes), "file is not valid UTF-8 text (save it as UTF-8)"))
        }
        if checked.carriageReturn {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        if text.allSatisfy(\.isWhitespace) {
            return .failure(.error(path, "file is empty"))
        }
        return .success(SourceFile(path: path, text: text))
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }

    /// The text of one line (1-based), without its newline.
    public func line(_ number: Int) -> Substring? {
        var current = 1
        var start = text.startIndex
        while current < number {
            guard let newline = text[start...].firstIndex(of: "\n") else { return nil }
            start = text.index(after: newline)
            current += 1
        }
        let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
        return text[start..<end]
    }
}

extension SourceFile {
    /// An error at git's first conflict marker (`<<<<<<< ` at the start of a line), if the file
    /// has one: a conflict left in a file must not reach a page.
    var mergeConflict: Diagnostic? {
        let marker = Array("<<<<<<< ".utf8)
        var place: SourceLocation?
        _ = ByteSearch.contains(marker, in: text) { bytes, at in
            guard at == 0 || bytes[at - 1] == 0x0A else { return false }
            place = SourceLocation(file: path, offset: at, in: bytes)
            return true
        }
        return place.map { place in
            .error(at: place, "a merge conflict is left in this file: keep the text you want from each side "
                + "and delete the lines that begin with <<<<<<<, ======= and >>>>>>>")
        }
    }
}
