import Foundation

/// One file of the built site: its path under the output folder and its bytes.
public struct OutputFile: Sendable, Hashable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }

    public init(path: String, text: String) {
        self.init(path: path, data: Data(text.utf8))
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A rendered page: swift-mustache's text, or a skeleton filled in as bytes. Those are copied
/// together from valid UTF-8, so they are never made into a String, whose making would check
/// every byte of the page again.
enum RenderedText: Sendable {
    case string(String)
    case bytes([UInt8])

    var string: String {
        switch self {
        case .string(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .string(var text): text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case .bytes(let bytes): bytes.withUnsafeBytes(body)
        }
    }

    var data: Data {
        switch self {
        case .string(let text): Data(text.utf8)
        case .bytes(let bytes): Data(bytes)
        }
    }
}
