import Foundation

/// One line of `manifest.json`: a published file, its size and its SHA-256.
public struct ManifestEntry: Sendable, Hashable {
    public var path: String
    public var bytes: Int
    public var sha256: String

    /// The entries of a manifest's bytes; empty when they are not a manifest.
    static func parse(_ data: Data) -> [ManifestEntry] {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = json["files"] as? [[String: Any]] else { return [] }
        return entries.compactMap { entry in
            guard let path = entry["path"] as? String, let bytes = entry["bytes"] as? Int,
                  let sha256 = entry["sha256"] as? String else { return nil }
            return ManifestEntry(path: path, bytes: bytes, sha256: sha256)
        }
    }
}
