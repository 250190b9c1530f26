import CDossierSystem
import Crypto
import Foundation

/// The `publish` stage: writes the site into a staging folder beside the output and swaps it in
/// only when every file is written, under a lock, so `Public/` is always one complete site.
public struct Publisher: Sendable {
    public var output: String

    public init(output: String) {
        self.output = output
    }

    private var url: URL { URL(fileURLWithPath: output).standardizedFileURL }
    private var parent: URL { url.deletingLastPathComponent() }
    private var name: String { url.lastPathComponent }

    /// Refuses an output folder that is, or contains, a folder the build reads.
    public static func checkOutput(_ output: String, against inputs: [String]) -> Diagnostic? {
        let out = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        for input in inputs {
            let folder = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
            if folder == out || folder.hasPrefix(out.hasSuffix("/") ? out : out + "/") {
                return .error(output, "the output folder must not be \(input) or a folder that contains it; choose another --output")
            }
        }
        return nil
    }

    /// Holds an exclusive lock beside the output for as long as `body` runs; a second build waits.
    public func withLock<T>(_ body: () async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let lockPath = parent.appendingPathComponent(".\(name).lock").path
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PublishError("cannot open lock file \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            try? FileHandle.standardError.write(contentsOf: Data("waiting for another build of \(output) to finish…\n".utf8))
            guard flock(fd, LOCK_EX) == 0 else { throw PublishError("cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }

    /// SHA-256 of the output's `manifest.json`, which stands for the whole published site.
    func currentManifestDigest() -> String? {
        guard let data = FileManager.default.contents(atPath: url.appendingPathComponent("manifest.json").path) else { return nil }
        return Digest.sha256(data)
    }

    static func digests(inManifest data: Data) -> [String: String] {
        Dictionary(ManifestEntry.parse(data).map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the current output holds this file at its published size.
    func holds(_ entry: ManifestEntry) -> Bool {
        Self.size(of: url.appendingPathComponent(entry.path).path) == entry.bytes
    }

    /// The entries of the current output's manifest.
    func currentManifest() -> [ManifestEntry] {
        FileManager.default.contents(atPath: url.appendingPathComponent("manifest.json").path).map(ManifestEntry.parse) ?? []
    }

    /// Writes `files` as the new complete site. Call inside `withLock`.
    /// A file whose bytes did not change is hard-linked from the current site instead of written,
    /// so it keeps its modification time and a sync to a host skips it; the swap stays atomic.
    /// Returns how many files were written (the rest were unchanged).
    /// - Parameter carried: files of the current site to keep as they are (a situation that did not change).
    @discardableResult
    public func publish(_ files: [OutputFile], carried: [ManifestEntry] = []) throws -> Int {
        removeLeftovers()
        let staging = parent.appendingPathComponent(".\(name).staging-\(getpid())")
        try FileTree.makeFolder(staging.path)
        let before = Dictionary(currentManifest().map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        let after = files.first { $0.path == "manifest.json" }.map { Self.digests(inManifest: $0.data) } ?? [:]
        let root = url.path, stagingRoot = staging.path
        do {
            try FileTree.makeFolders(for: files.map(\.path) + carried.map(\.path), under: stagingRoot)
            let oldManifest = FileManager.default.contents(atPath: root + "/manifest.json")
            // Written across the cores: the kernel's work on many small files overlaps.
            let outcomes = files.concurrentMap { file -> Result<Bool, PublishError> in
                let target = stagingRoot + "/" + file.path
                let current = root + "/" + file.path
                let unchanged = file.path == "manifest.json"
                    ? oldManifest == file.data
                    : before[file.path] != nil && before[file.path] == after[file.path]
                if unchanged, Self.size(of: current) == file.data.count, link(current, target) == 0 {
                    return .success(false)
                }
                do {
                    try FileTree.write(file.data, to: target)
                    return .success(true)
                } catch let error as PublishError {
                    return .failure(error)
                } catch {
                    return .failure(PublishError("cannot write \(target): \(error)"))
                }
            }
            var written = 0
            for outcome in outcomes { if try outcome.get() { written += 1 } }
            let kept = carried.concurrentMap { entry -> PublishError? in
                guard link(root + "/" + entry.path, stagingRoot + "/" + entry.path) == 0 else {
                    return PublishError("cannot keep \(entry.path) from the previous build: \(String(cString: strerror(errno)))")
                }
                return nil
            }
            if let problem = kept.lazy.compactMap({ $0 }).first { throw problem }
            try swapIn(staging)
            return written
        } catch {
            try? FileTree.remove(stagingRoot)
            throw error
        }
    }

    static func size(of path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Replaces the output with the staging folder in one step where the kernel allows it.
    private func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            try fm.moveItem(at: staging, to: url)
            return
        }
        guard isDirectory.boolValue else { throw PublishError("\(output) exists and is not a folder") }
        if dossier_exchange_paths(staging.path, url.path) == 0 {
            // The staging path now holds the previous site.
            try FileTree.remove(staging.path)
            return
        }
        // Fallback without an atomic exchange: two renames, the gap only as long as a rename.
        let old = parent.appendingPathComponent(".\(name).old-\(getpid())")
        try fm.moveItem(at: url, to: old)
        try fm.moveItem(at: staging, to: url)
        try FileTree.remove(old.path)
    }

    /// Replaces one file in a single rename, so a reader never sees it half written.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        // Hidden, so a content folder never shows a half-written lock to the loader.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw PublishError("cannot write \(path): \(reason)")
        }
    }

    /// Staging or old folders left by a build that was killed. Only called under the lock.
    private func removeLeftovers() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in names where entry.hasPrefix(".\(name).staging-") || entry.hasPrefix(".\(name).old-") {
            try? FileTree.remove(parent.appendingPathComponent(entry).path)
        }
    }
}

public struct PublishError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
