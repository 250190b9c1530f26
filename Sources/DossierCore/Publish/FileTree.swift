import Foundation

/// The few file operations the publisher does thousands of times, as direct system calls:
/// Foundation's general versions cost more than the work itself at this count.
enum FileTree {
    /// Makes `folder` (its parent must exist); an existing folder is fine.
    static func makeFolder(_ folder: String) throws {
        if mkdir(folder, 0o755) == 0 { return }
        guard errno == EEXIST else {
            throw PublishError("cannot make folder \(folder): \(String(cString: strerror(errno)))")
        }
        // Something that is not a folder (left in a reused site) gives way to one. Another task
        // may be doing the same at once (placing kept pages beside new ones): either may remove
        // it and either may make the folder, so long as a folder is there at the end.
        var info = stat()
        if lstat(folder, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            // (`EISDIR`: the other task has made the folder already.)
            guard unlink(folder) == 0 || errno == ENOENT || errno == EISDIR, mkdir(folder, 0o755) == 0 || errno == EEXIST,
                  lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw PublishError("cannot make folder \(folder): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Which file a path is: its device and inode.
    struct FileID: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// The regular file at `path` and its size; nil for anything else (a symbolic link is not followed).
    static func regularFile(_ path: String) -> (id: FileID, size: Int)? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int(info.st_size))
    }

    /// The device a folder is on.
    static func folderDevice(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    /// `regularFile` of a path inside the folder open as `fd`.
    static func regularFile(_ path: String, in fd: Int32) -> (id: FileID, size: Int)? {
        var info = stat()
        guard fstatat(fd, path, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int(info.st_size))
    }

    /// Whether two paths are the same regular file (one inode).
    static func isSameFile(_ a: String, _ b: String) -> Bool {
        guard let first = regularFile(a)?.id else { return false }
        return regularFile(b)?.id == first
    }

    /// Writes a new file (or replaces one) with `bytes`.
    /// - Parameters:
    ///   - exclusive: fail rather than write into a file that already exists.
    ///   - unlessFolderMissing: write nothing and give false when the file's folder does not
    ///     exist, rather than fail (for a caller that makes folders only when they are missing).
    @discardableResult
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, exclusive: Bool = false,
                      unlessFolderMissing: Bool = false) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | (exclusive ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT, unlessFolderMissing { return false }
        guard fd >= 0 else { throw PublishError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let count = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw PublishError("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += count
        }
        return true
    }

    /// Removes a folder and everything in it, without following symbolic links. The first
    /// levels' folders are removed across the cores (a site is thousands of small folders).
    static func remove(_ path: String, parallelLevels: Int = 2) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw PublishError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw PublishError("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            return
        }
        let entries = try entries(of: path)
        for entry in entries where !entry.isFolder {
            let child = path + "/" + entry.name
            if unlink(child) != 0, errno != ENOENT {
                throw PublishError("cannot remove \(child): \(String(cString: strerror(errno)))")
            }
        }
        try each(entries.filter(\.isFolder).map { path + "/" + $0.name }, parallelLevels: parallelLevels) { folder, levels in
            try remove(folder, parallelLevels: levels)
        }
        guard rmdir(path) == 0 || errno == ENOENT else {
            throw PublishError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes from `root` every file and folder that is not one of the site's files (relative)
    /// or a folder on the way to one, so a reused folder holds exactly the new site.
    static func prune(_ root: String, keeping site: SitePaths) throws {
        try prune(root, relative: "", paths: site.files, folders: site.folders, parallelLevels: 2)
    }

    /// What a folder held when it was read: its files and folders, relative, parents before children.
    struct Survey: Sendable {
        var files: [String] = []
        var folders: [String] = []
        /// The inode of each of `files` that is a regular file, as its folder gives it; 0 for others.
        var inodes: [UInt64] = []
    }

    /// Reads every file and folder under `root` while the new site is being written into it, so
    /// that `prune(_:keeping:surveyed:)` need not read it again after. Nil if a folder could not
    /// be read for another reason than having been removed meanwhile (by the build itself, making
    /// way for a file).
    static func survey(_ root: String) -> Survey? {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        // Removed meanwhile: nothing there to prune.
        guard fd >= 0 else { return errno == ENOENT ? Survey() : nil }
        return survey(folder: fd)
    }

    /// `survey(_:)` of the folder open as `fd`, closed after. Each folder is read from its parent,
    /// not by its path: the survey follows the folder if it is renamed meanwhile (a build reads
    /// `.Public.previous` from its start, before it becomes the staging folder).
    static func survey(folder fd: Int32) -> Survey? {
        var survey = Survey()
        return read(fd, relative: "", into: &survey) ? survey : nil
    }

    private static func read(_ fd: Int32, relative: String, into survey: inout Survey) -> Bool {
        defer { close(fd) }
        guard let entries = try? FileSystem.entries(inFolder: fd) else { return false }
        for entry in entries {
            let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
            if entry.isFolder {
                survey.folders.append(path)
                let child = openat(fd, entry.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                // Removed meanwhile (by the build itself, making way for a file) is no failure.
                if child < 0, errno == ENOENT { continue }
                guard child >= 0, read(child, relative: path, into: &survey) else { return false }
            } else {
                survey.files.append(path)
                survey.inodes.append(entry.kind == .file ? entry.inode : 0)
            }
        }
        return true
    }

    /// `prune(_:keeping:)` from a survey taken after the folder was reused and before the build
    /// finished writing into it. Whatever was there before the build is in the survey: the
    /// build's own changes meanwhile (a file written, a folder made, a stray entry cleared away)
    /// happen only at the new site's paths and the folders on the way to them, which stay; an
    /// entry the survey saw that has since become one of those (a stray file turned into a
    /// folder, a stray folder into a file) stays as well.
    static func prune(_ root: String, keeping paths: Set<String>, surveyed survey: Survey) throws {
        try prune(root, keeping: SitePaths(paths), surveyed: survey)
    }

    /// The files of a site and every folder on the way to one of them: what pruning keeps.
    /// Gathered as the paths become known (most of an edit's are the kept files', known when it
    /// plans), so that pruning at the end need not walk 6,400 paths' folders on one core.
    struct SitePaths: Sendable {
        private(set) var files: Set<String> = []
        private(set) var folders: Set<Substring> = []

        init<Paths: Sequence<String>>(_ paths: Paths) {
            files.reserveCapacity(paths.underestimatedCount)
            for path in paths { insert(path) }
        }

        mutating func insert(_ path: String) {
            guard files.insert(path).inserted else { return }
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard folders.insert(folder).inserted else { break }
            }
        }
    }

    static func prune(_ root: String, keeping site: SitePaths, surveyed survey: Survey) throws {
        let paths = site.files, folders = site.folders
        // Gone already (inside a stray folder removed before, or under a folder that became a
        // file) is as good as removed.
        for folder in survey.folders where !folders.contains(Substring(folder)) && !paths.contains(folder) && exists(root + "/" + folder) {
            try remove(root + "/" + folder)
        }
        for file in survey.files where !paths.contains(file) && !folders.contains(Substring(file)) {
            if unlink(root + "/" + file) != 0, errno != ENOENT, errno != ENOTDIR {
                throw PublishError("cannot remove \(root)/\(file): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Whether anything is at `path` (a symbolic link is not followed).
    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func prune(_ root: String, relative: String, paths: Set<String>, folders: Set<Substring>,
                              parallelLevels: Int) throws {
        let folder = relative.isEmpty ? root : root + "/" + relative
        var subfolders: [String] = []
        for entry in try entries(of: folder) {
            let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
            if entry.isFolder {
                if folders.contains(Substring(path)) { subfolders.append(path) } else { try remove(root + "/" + path) }
            } else if !paths.contains(path), unlink(root + "/" + path) != 0, errno != ENOENT {
                throw PublishError("cannot remove \(root)/\(path): \(String(cString: strerror(errno)))")
            }
        }
        try each(subfolders, parallelLevels: parallelLevels) { path, levels in
            try prune(root, relative: path, paths: paths, folders: folders, parallelLevels: levels)
        }
    }

    /// Runs `body` on each folder with the levels still to spread: across the cores while
    /// `parallelLevels` is above zero (a site is thousands of small folders), then in turn.
    /// The first failure is thrown.
    private static func each(_ folders: [String], parallelLevels: Int,
                             _ body: @Sendable (String, Int) throws -> Void) throws {
        guard parallelLevels > 0 else {
            for folder in folders { try body(folder, 0) }
            return
        }
        let failures = folders.concurrentMap { folder -> PublishError? in
            do {
                try body(folder, parallelLevels - 1)
                return nil
            } catch {
                return error as? PublishError ?? PublishError("cannot tidy \(folder): \(error)")
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    /// The entries of a folder (`FileSystem.entries(of:)`); a symbolic link is not a folder.
    static func entries(of path: String) throws -> [FileSystem.Entry] {
        do {
            return try FileSystem.entries(of: path)
        } catch {
            throw PublishError("cannot read folder \(path): \(error.localizedDescription)")
        }
    }
}

extension FileSystem.Entry {
    var isFolder: Bool { kind == .directory }
}
