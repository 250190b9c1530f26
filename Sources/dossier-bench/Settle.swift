import Foundation

/// Waiting out the file system's memory of the last run's clean-up.
///
/// ext4 without a journal steps past every inode freed in the last minute (six minutes while its
/// block of the inode table waits to be written back, and making files nearby dirties it again)
/// each time it makes a file or folder: one by one, from the start of the block group (the
/// kernel's `recently_deleted`, called from `find_inode_bit`). A run of the benchmark removes
/// about 250,000 files and folders when it ends, so a run started within minutes of the last one
/// makes its files several times slower: in one such run a cold build spent 2.25 s in the kernel
/// against 0.35 s in a run six minutes after the clean-up, and its ratio to Hugo was 1.62 against
/// 0.99. Every run therefore records when it removed its files, and a full run on such a file
/// system waits until the last removal is out of that window before it writes anything
/// (`--no-wait` skips it).
enum Settle {
    /// Six minutes, and a little more: `dtime` is kept in whole seconds.
    static let window: TimeInterval = 370

    /// Where the time of the last clean-up is kept, beside the runs' own folders.
    static var stamp: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dossier-bench-removed").path
    }

    /// Removes a run's folder, and records the time if it held enough files to matter (a small
    /// site's few hundred are stepped past in no time).
    static func remove(_ folder: String) {
        var files = 0
        if let entries = FileManager.default.enumerator(atPath: folder) {
            while files < 1_000, entries.nextObject() != nil { files += 1 }
        }
        try? FileManager.default.removeItem(atPath: folder)
        if files >= 1_000 {
            try? String(format: "%.0f\n", Date().timeIntervalSince1970).write(toFile: stamp, atomically: false, encoding: .utf8)
        }
    }

    /// How long to wait before making files under `path`: what is left of the window since the
    /// last recorded clean-up, or zero when there is none, it is older, or the file system keeps
    /// no such record.
    static func wait(before path: String, now: Date = Date()) -> TimeInterval {
        guard journalLessExt4(path),
              let text = try? String(contentsOfFile: stamp, encoding: .utf8),
              let removed = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return 0 }
        return max(0, min(window, removed + window - now.timeIntervalSince1970))
    }

    /// Sleeps, with what was printed before shown first.
    static func sleep(_ seconds: TimeInterval) {
        fflush(nil)
        Thread.sleep(forTimeInterval: seconds)
    }

    /// Whether the folder is on an ext4 file system without a journal: its device's entry under
    /// `/sys/fs/ext4` names no journal thread. (With a journal the kernel does not look for
    /// recently freed inodes; other file systems have no such entry.)
    static func journalLessExt4(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let device = UInt64(info.st_dev)
        // As glibc's `major` and `minor` take them apart.
        let major = ((device & 0x0000_0000_000f_ff00) >> 8) | ((device & 0xffff_f000_0000_0000) >> 32)
        let minor = (device & 0x0000_0000_0000_00ff) | ((device & 0x0000_0fff_fff0_0000) >> 12)
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/dev/block/\(major):\(minor)"),
              let name = target.split(separator: "/").last,
              let journal = try? String(contentsOfFile: "/sys/fs/ext4/\(name)/journal_task", encoding: .utf8) else {
            return false
        }
        return journal.trimmingCharacters(in: .whitespacesAndNewlines) == "<none>"
    }
}
