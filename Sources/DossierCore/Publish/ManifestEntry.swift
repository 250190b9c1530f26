import Foundation

/// One line of `manifest.json`: a published file, its size and its SHA-256.
public struct ManifestEntry: Sendable, Hashable, Decodable {
    public var path: String
    public var bytes: Int
    public var sha256: String

    private struct Manifest: Decodable {
        var files: [ManifestEntry]
    }

    /// The entries of a manifest's bytes; empty when they are not a manifest (then nothing of the
    /// published site is trusted to be kept). Decoded into the types directly: about twice as
    /// fast as going through `JSONSerialization`'s dictionaries, for thousands of entries.
    static func parse(_ data: Data) -> [ManifestEntry] {
        (try? JSONDecoder().decode(Manifest.self, from: data))?.files ?? []
    }
}
