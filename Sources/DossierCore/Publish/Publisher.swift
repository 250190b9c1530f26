import CDossierSystem
import Foundation
import Synchronization

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
        currentManifestData().map(Digest.sha256)
    }

    /// The bytes of the output's `manifest.json`.
    func currentManifestData() -> Data? {
        FileManager.default.contents(atPath: url.appendingPathComponent("manifest.json").path)
    }

    /// The files the current output holds for a situation's entries (all under
    /// `situations/<slug>/`), if it holds each at its published size: which file each is (device
    /// and inode), for `Staging.keep` to tell whether a reused folder has it already. Looked up
    /// from the situation's folder, not each from the root. Nil if one is not held.
    func heldFiles(_ entries: [ManifestEntry], slug: String) -> [FileTree.FileID]? {
        let folder = "situations/" + slug + "/"
        let fd = open(output + "/" + folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var held: [FileTree.FileID] = []
        held.reserveCapacity(entries.count)
        for entry in entries {
            guard entry.path.hasPrefix(folder),
                  let file = FileTree.regularFile(String(entry.path.dropFirst(folder.count)), in: fd),
                  file.size == entry.bytes else { return nil }
            held.append(file.id)
        }
        return held
    }

    /// The entries of the current output's manifest.
    func currentManifest() -> [ManifestEntry] {
        currentManifestData().map(ManifestEntry.parse) ?? []
    }

    /// Starts reading the site the last build kept (`.Public.previous`), which `stage` turns into
    /// the new site, from the start of a build: read while the content loads, it is ready when the
    /// build prunes it instead of being the last thing an edit rebuild waits for. Call inside
    /// `withLock`. Nil when there is no such folder.
    func surveyPrevious() -> Background<FileTree.Survey?>? {
        let fd = open(previous.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        return Background { FileTree.survey(folder: fd) }
    }

    /// Starts a new complete site in a staging folder beside the output. Call inside `withLock`;
    /// files go in as they are rendered, then `commit` swaps the folder in or `abandon` removes it.
    /// - Parameters:
    ///   - published: the current site's manifest entries, when already read.
    ///   - survey: `surveyPrevious()`, when started already.
    func stage(replacing published: [ManifestEntry]? = nil, survey: Background<FileTree.Survey?>? = nil) throws -> Staging {
        removeLeftovers()
        let staging = parent.appendingPathComponent(".\(name).staging-\(getpid())")
        // The site before the published one, kept by the last build, is turned into the new site
        // by changing only what differs: most of its files are the published ones' own inodes.
        let reused = rename(previous.path, staging.path) == 0
        if !reused { try FileTree.makeFolder(staging.path) }
        return Staging(root: staging.path, current: url.path, published: published ?? currentManifest(),
                       reused: reused, previous: previous.path, survey: survey, swap: { try self.swapIn(staging) })
    }

    /// Where the site replaced by the last build is kept (`.Public.previous`), for the next build.
    private var previous: URL { parent.appendingPathComponent(".\(name).previous") }

    /// Replaces the output with the staging folder in one step where the kernel allows it.
    fileprivate func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            try fm.moveItem(at: staging, to: url)
            return
        }
        guard isDirectory.boolValue else { throw PublishError("\(output) exists and is not a folder") }
        try? FileTree.remove(previous.path)
        if dossier_exchange_paths(staging.path, url.path) == 0 {
            // The staging path now holds the site that was published: keep it for the next build.
            if rename(staging.path, previous.path) != 0 { try FileTree.remove(staging.path) }
            return
        }
        // Fallback without an atomic exchange: two renames, the gap only as long as a rename.
        let old = parent.appendingPathComponent(".\(name).old-\(getpid())")
        try fm.moveItem(at: url, to: old)
        try fm.moveItem(at: staging, to: url)
        if rename(old.path, previous.path) != 0 { try FileTree.remove(old.path) }
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

/// A new site being written beside the published one. Files arrive from many tasks at once.
/// A file whose bytes did not change is hard-linked from the current site instead of written,
/// so it keeps its modification time and a sync to a host skips it; the swap stays atomic.
public final class Staging: @unchecked Sendable {
    /// The staging folder and the published output folder.
    let root: String
    let current: String
    /// What the published site holds, by path (its manifest).
    private let published: [String: ManifestEntry]
    /// Whether the folder started as an older site (`.Public.previous`) rather than empty. Its
    /// files may be the published site's own inodes: they are replaced, never written through.
    let reused: Bool
    /// Where the folder goes when the build fails, for the next build to start from.
    private let previous: String
    private let swap: () throws -> Void
    private let lock = NSLock()
    private var folders: Set<Substring> = []
    private var failure: PublishError?
    private let written = Atomic<Int>(0)
    /// A reused folder is read while the build writes into it, so that `commit` knows what to
    /// prune without reading thousands of folders after the pages are made (`FileTree.survey`).
    private let survey: Background<FileTree.Survey?>?
    /// Folders being made ahead of the pages (`makeFolders(ahead:)`).
    private let ahead = DispatchGroup()

    init(root: String, current: String, published: [ManifestEntry], reused: Bool, previous: String,
         survey: Background<FileTree.Survey?>? = nil, swap: @escaping () throws -> Void) {
        self.root = root
        self.current = current
        self.reused = reused
        self.previous = previous
        self.published = Dictionary(published.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.swap = swap
        self.survey = !reused ? nil : survey ?? Background { [root] in FileTree.survey(root) }
    }

    /// How many files were written; the rest were unchanged and linked.
    public var writtenCount: Int { written.load(ordering: .relaxed) }

    /// Puts one file of the new site in place from its bytes. A failure is kept and reported by `commit`.
    func accept(path: String, bytes: UnsafeRawBufferPointer, sha256: String) {
        do {
            if let entry = published[path], entry.sha256 == sha256, entry.bytes == bytes.count,
               FileTree.regularFile(current + "/" + path)?.size == bytes.count {
                try makeFolders(for: path)
                if try placePublished(path) { return }
            }
            let target = root + "/" + path
            try clear(target)
            // A new file, never an existing one: in a reused folder that could be the published site's.
            // Its folder is nearly always there (made ahead, or there already in a reused folder): it is
            // made only when the file cannot be. (Looked up first in the set of folders made, under the
            // lock, for every page, the folders were 2% of a cold build's processor time.)
            if try !FileTree.write(bytes, to: target, exclusive: true, unlessFolderMissing: true) {
                try makeFolders(for: path)
                try FileTree.write(bytes, to: target, exclusive: true)
            }
            written.add(1, ordering: .relaxed)
        } catch {
            record(error)
        }
    }

    /// Keeps files of the published site as they are (a situation that did not change).
    /// - Parameter held: which file the published site holds for each entry, where known
    ///   (`Publisher.heldFiles`, looked up when the build planned), so it is not looked up again.
    func keep(_ entries: [ManifestEntry], held: [FileTree.FileID] = []) {
        // In a reused folder most are in place already, the published file's own inode (unchanged
        // since the build before): checked first, so folders are made only for the others.
        let entries = !reused ? entries : notInPlace(entries, held: held)
        // Their folders first, a level at a time across the cores (parents before children), each
        // made outside the lock: the rest of the site's thousands of folders, made one by one
        // under the lock, were most of an edit rebuild's time in the kernel.
        var missing: [Int: Set<Substring>] = [:]
        lock.withLock {
            for entry in entries {
                var folder = Substring(entry.path)
                var depth = entry.path.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    // A folder known, or already listed, has its parents known or listed too.
                    guard !folders.contains(folder), missing[depth, default: []].insert(folder).inserted else { break }
                    depth -= 1
                }
            }
        }
        for depth in missing.keys.sorted() {
            let level = Array(missing[depth]!)
            _ = level.concurrentMap { folder in
                do { try FileTree.makeFolder(root + "/" + folder) } catch { record(error) }
            }
            lock.withLock { folders.formUnion(level) }
        }
        _ = entries.concurrentMap { entry in
            do {
                guard try placePublished(entry.path) else {
                    throw PublishError("cannot keep \(entry.path) from the previous build: \(String(cString: strerror(errno)))")
                }
            } catch {
                record(error)
            }
        }
    }

    /// The entries of a reused folder that are not in place: not the published file's own inode.
    /// Told by the inodes the survey read from the folders where it can be (6,400 `lstat`s were
    /// a tenth of an edit rebuild's processor time), else by looking each file up.
    private func notInPlace(_ entries: [ManifestEntry], held: [FileTree.FileID]) -> [ManifestEntry] {
        let lookUp: @Sendable ((offset: Int, element: ManifestEntry)) -> ManifestEntry? = { [root, current] item in
            let (index, entry) = item
            let target = root + "/" + entry.path
            if index < held.count { return FileTree.regularFile(target)?.id == held[index] ? nil : entry }
            return FileTree.isSameFile(current + "/" + entry.path, target) ? nil : entry
        }
        let indexed = Array(entries.enumerated())
        // The survey's inodes stand for the files' own only on the same device, and only where
        // the file system gives the same number to a folder's entry as to the file (overlay file
        // systems may not): checked on the first file, by looking it up.
        guard held.count == entries.count, let survey = survey?.waited, let device = FileTree.folderDevice(root) else {
            return indexed.concurrentMap(lookUp).compactMap { $0 }
        }
        let inodes = Dictionary(zip(survey.files, survey.inodes), uniquingKeysWith: { first, _ in first })
        if let first = entries.indices.first(where: { inodes[entries[$0].path] != nil }),
           FileTree.regularFile(root + "/" + entries[first].path)?.id.inode != inodes[entries[first].path] {
            return indexed.concurrentMap(lookUp).compactMap { $0 }
        }
        return indexed.compactMap { index, entry in
            guard held[index].device == device, inodes[entry.path] == held[index].inode else { return entry }
            return nil
        }
    }

    /// Swaps the staging folder in as the output, unless a file could not be written.
    /// - Parameter paths: every file of the new site; in a reused folder, anything else is removed first.
    func commit(paths: FileTree.SitePaths) throws {
        ahead.wait()
        if let failure = lock.withLock({ failure }) {
            abandon()
            throw failure
        }
        do {
            if reused {
                if let survey = survey?.waited {
                    try FileTree.prune(root, keeping: paths, surveyed: survey)
                } else {
                    try FileTree.prune(root, keeping: paths)
                }
            }
            try swap()
        } catch {
            abandon()
            throw error
        }
    }

    /// Gives up the new site; the published site stays as it was. The folder becomes the kept
    /// site for the next build to start from, whether it started as one or empty: nothing in it
    /// is trusted anyway (a file is kept only if it is the published file's own inode), and
    /// removing thousands of folders just made would take longer than the failed build itself.
    func abandon() {
        ahead.wait()
        _ = survey?.waited
        if rename(root, previous) == 0 { return }
        try? FileTree.remove(root)
    }

    /// Puts the published file at `path` into the new site: in a reused folder it may be there
    /// already (the same inode); otherwise a hard link to it. False if it cannot be linked.
    private func placePublished(_ path: String) throws -> Bool {
        let target = root + "/" + path, old = current + "/" + path
        if reused, FileTree.isSameFile(old, target) { return true }
        try clear(target)
        return link(old, target) == 0
    }

    /// Makes way for a new file at `path` in a reused folder: whatever is there goes.
    private func clear(_ path: String) throws {
        guard reused else { return }
        if unlink(path) != 0, errno != ENOENT { try FileTree.remove(path) }
    }

    private func record(_ error: Error) {
        let problem = error as? PublishError ?? PublishError("cannot write the new site: \(error)")
        lock.withLock { if failure == nil { failure = problem } }
    }

    /// Makes the folders of pages about to be made, in order, on a thread of its own beside the
    /// build's tasks. Making a folder on ext4 may wait on the disk (for the block of the inode
    /// table its inode goes in); one of the build's threads waiting leaves its core idle, which in
    /// a cold build was about a tenth of the render stage. A page whose folder is not made yet
    /// when it arrives makes it itself, as it would without this.
    func makeFolders(ahead paths: [String]) {
        guard !paths.isEmpty else { return }
        // A serial queue of its own gets a thread of its own, not one of the pool's.
        DispatchQueue(label: "dossier.folders").async(group: ahead) { [self] in
            // Which folders it has made, its own (no lock): a page's folders are its parents', all
            // made for the pages before it but one or two.
            var made: Set<Substring> = []
            for path in paths {
                let missing = Self.folders(of: path, notIn: made)
                do {
                    for folder in missing.reversed() { try FileTree.makeFolder(root + "/" + folder) }
                } catch {
                    record(error)
                }
                made.formUnion(missing)
            }
        }
    }

    /// Makes the folders a file needs (parents first). Which are known to be made is read under
    /// the lock; the folders are made outside it, so one core's `mkdir` never holds up the other's
    /// pages (made under the lock, a cold build's 6,400 folders had the other core wait on it).
    /// Two tasks may make the same folder at once: `makeFolder` takes an existing folder as made.
    private func makeFolders(for path: String) throws {
        let missing = lock.withLock { Self.folders(of: path, notIn: folders) }
        guard !missing.isEmpty else { return }
        for folder in missing.reversed() { try FileTree.makeFolder(root + "/" + folder) }
        lock.withLock { folders.formUnion(missing) }
    }

    /// The folders `path` is in that `made` does not hold, deepest first: up to the first one it
    /// holds (whose parents it holds too, as folders are made parents first).
    private static func folders(of path: String, notIn made: Set<Substring>) -> [Substring] {
        var missing: [Substring] = []
        var folder = Substring(path)
        while let slash = folder.lastIndex(of: "/") {
            folder = folder[..<slash]
            guard !made.contains(folder) else { break }
            missing.append(folder)
        }
        return missing
    }
}
