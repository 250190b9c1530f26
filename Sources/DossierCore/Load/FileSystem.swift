import CDossierSystem
import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// All reading from disk goes through this one value: real by default, in memory in tests.
public struct FileSystem: Sendable {
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, other
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        /// The inode number the folder gives (`d_ino`); 0 where not known.
        public var inode: UInt64 = 0
    }

    /// Reads a whole file.
    public var read: @Sendable (String) throws -> Data
    /// Lists a directory's entries, sorted by name; hidden files are left out.
    public var list: @Sendable (String) throws -> [Entry]
    /// What is at a path, without following a symlink; nil when nothing is.
    public var kind: @Sendable (String) -> Kind?

    public init(
        read: @escaping @Sendable (String) throws -> Data,
        list: @escaping @Sendable (String) throws -> [Entry],
        kind: @escaping @Sendable (String) -> Kind?
    ) {
        self.read = read
        self.list = list
        self.kind = kind
    }
}

extension FileSystem {
    public static let real = FileSystem(
        read: readFile,
        list: listFolder,
        kind: realKind
    )

    /// A file's bytes by plain system calls: `Data(contentsOf:)` builds a URL for every file,
    /// which cost more than reading it for the small files a site is made of.
    @Sendable private static func readFile(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(errno) }
        // One byte more than the file holds, so the read that finds its end needs no more room.
        var data = Data(count: Int(info.st_size) + 1)
        var filled = 0
        while true {
            // Read past the size fstat gave, so a file that grew meanwhile is read whole.
            if filled == data.count { data.count += max(4096, data.count / 2) }
            let got = data.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadError(errno)
            }
            if got == 0 { break }
            filled += got
            // Short of the room asked for: the end of the file (a regular file reads whole
            // unless at its end), without another call to be told so.
            if filled < data.count { break }
        }
        data.count = filled
        return data
    }

    /// A folder's entries, sorted, hidden ones left out (`entries(of:)`).
    @Sendable private static func listFolder(_ path: String) throws -> [Entry] {
        try entries(of: path).filter { !$0.name.hasPrefix(".") }.sorted { $0.name < $1.name }
    }

    /// Every entry of a folder but `.` and `..`, in the folder's order, by plain system calls, each
    /// entry's kind from the folder itself where the file system gives it (`d_type`): looking each
    /// entry up again (`lstat`) cost an edit rebuild about 2,600 system calls, one per content file.
    static func entries(of path: String) throws -> [Entry] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(errno) }
        defer { close(fd) }
        return try entries(inFolder: fd)
    }

    /// `entries(of:)` of the folder open as `fd` (left open). Read straight from the kernel
    /// (`getdents64` into a buffer of our own) where the system has that call: `fdopendir` takes a
    /// duplicate descriptor, two more system calls and a 32 KB buffer for each folder, which the
    /// survey of a kept site's 6,400 folders felt.
    static func entries(inFolder fd: Int32) throws -> [Entry] {
        var entries: [Entry] = []
        func add(_ name: String, type: UInt8, inode: UInt64) {
            if name == "." || name == ".." { return }
            let kind: Kind
            switch Int32(type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_UNKNOWN): kind = kindAt(fd, name) ?? .other
            default: kind = .other
            }
            entries.append(Entry(name: name, kind: kind, inode: inode))
        }
        let direct = try withUnsafeTemporaryAllocation(byteCount: 16_384, alignment: 8) { buffer -> Bool in
            while true {
                let count = dossier_read_folder(fd, buffer.baseAddress, UInt(buffer.count))
                if count < 0, errno == ENOSYS, entries.isEmpty { return false }
                if count < 0 { throw ReadError(errno) }
                if count == 0 { return true }
                var offset = 0
                while offset < count {
                    // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), d_name.
                    let record = buffer.baseAddress! + offset
                    add(String(cString: (record + 19).assumingMemoryBound(to: CChar.self)),
                        type: record.load(fromByteOffset: 18, as: UInt8.self), inode: record.loadUnaligned(as: UInt64.self))
                    offset += Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                }
            }
        }
        if direct { return entries }
        // Elsewhere through the C library, on a descriptor of its own (`closedir` closes it).
        let own = dup(fd)
        guard own >= 0, let folder = fdopendir(own) else {
            let code = errno
            if own >= 0 { close(own) }
            throw ReadError(code)
        }
        defer { closedir(folder) }
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw ReadError(errno) }
                return entries
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            add(name, type: entry.pointee.d_type, inode: UInt64(entry.pointee.d_ino))
        }
    }

    /// What is at `name` in the folder open as `fd`, without following a symbolic link.
    private static func kindAt(_ fd: Int32, _ name: String) -> Kind? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return kind(of: info)
    }

    /// A failed read, described as the system describes its error (`Permission denied`).
    struct ReadError: LocalizedError {
        var code: Int32
        init(_ code: Int32) { self.code = code }
        var errorDescription: String? { String(cString: strerror(code)) }
    }

    @Sendable private static func realKind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return kind(of: info)
    }

    private static func kind(of info: stat) -> Kind {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// A file system held in memory: paths like `Content/site.yaml` mapped to their bytes.
    /// Directories are implied by the paths of the files in them.
    public static func memory(_ files: [String: Data]) -> FileSystem {
        let kindOf: @Sendable (String) -> Kind? = { path in
            if files[path] != nil { return .file }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            return files.keys.contains { $0.hasPrefix(prefix) } ? .directory : nil
        }
        return FileSystem(
            read: { path in
                guard let data = files[path] else {
                    throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
                }
                return data
            },
            list: { path in
                let prefix = path.hasSuffix("/") ? path : path + "/"
                var names = Set<String>()
                for key in files.keys where key.hasPrefix(prefix) {
                    let rest = key.dropFirst(prefix.count)
                    if let first = rest.split(separator: "/").first { names.insert(String(first)) }
                }
                guard !names.isEmpty else {
                    throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
                }
                return names.filter { !$0.hasPrefix(".") }.sorted().map {
                    Entry(name: $0, kind: kindOf(prefix + $0) ?? .other)
                }
            },
            kind: kindOf
        )
    }

    /// Convenience for tests: text files.
    public static func memory(text files: [String: String]) -> FileSystem {
        memory(files.mapValues { Data($0.utf8) })
    }
}
