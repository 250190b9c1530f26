import Foundation

/// The few file operations the publisher does thousands of times, as direct system calls:
/// Foundation's general versions cost more than the work itself at this count.
enum FileTree {
    /// Makes `folder` (its parent must exist); an existing folder is fine.
    static func makeFolder(_ folder: String) throws {
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
            throw PublishError("cannot make folder \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a new file (or replaces one) with `data`.
    static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PublishError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw PublishError("cannot write \(path): \(String(cString: strerror(errno)))") }
                offset += count
            }
        }
    }

    /// Removes a folder and everything in it, without following symbolic links. The first
    /// levels' folders are removed across the cores (a site is thousands of small folders).
    static func remove(_ path: String, parallelLevels: Int = 2) throws {
        guard let folder = opendir(path) else {
            if errno == ENOENT { return }
            if errno == ENOTDIR, unlink(path) == 0 { return }
            throw PublishError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        var entries: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(folder) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append((name, isFolder))
        }
        closedir(folder)
        for entry in entries where !entry.isFolder {
            let child = path + "/" + entry.name
            if unlink(child) != 0, errno != ENOENT {
                throw PublishError("cannot remove \(child): \(String(cString: strerror(errno)))")
            }
        }
        let folders = entries.filter(\.isFolder).map { path + "/" + $0.name }
        if parallelLevels > 0 {
            let failures = folders.concurrentMap { folder -> PublishError? in
                do {
                    try remove(folder, parallelLevels: parallelLevels - 1)
                    return nil
                } catch {
                    return error as? PublishError ?? PublishError("cannot remove \(folder): \(error)")
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        } else {
            for folder in folders { try remove(folder, parallelLevels: 0) }
        }
        guard rmdir(path) == 0 || errno == ENOENT else {
            throw PublishError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }
}
