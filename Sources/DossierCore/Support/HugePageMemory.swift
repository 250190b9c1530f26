import Foundation

/// How much of the program's memory lies in regions advised for huge pages, and how much of that
/// the kernel backs with them, from a `/proc/<pid>/smaps` text: what `--verbose` reports of the
/// command line's allocator (its regions are made in `CDossierMemory`).
public struct HugePageMemory: Equatable, Sendable {
    /// Resident memory in mappings advised for huge pages (`VmFlags: … hg`), in kilobytes.
    public var residentKB = 0
    /// Of that, what is in huge pages (`AnonHugePages`), in kilobytes.
    public var hugeKB = 0

    public init(residentKB: Int = 0, hugeKB: Int = 0) {
        self.residentKB = residentKB
        self.hugeKB = hugeKB
    }

    /// Sums the mappings advised for huge pages in the text of a `smaps` file.
    public init(smaps text: String) {
        var rss = 0, huge = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let name = fields.first else { continue }
            switch name {
            case "Rss:": rss = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            case "AnonHugePages:": huge = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            case "VmFlags:":
                // The last line of each mapping's entry: its figures are all read.
                if fields.dropFirst().contains("hg") {
                    residentKB += rss
                    hugeKB += huge
                }
                rss = 0
                huge = 0
            default: continue
            }
        }
    }

    /// This process's, or nil where there is no `/proc/self/smaps` to read.
    public static func current() -> HugePageMemory? {
        // Read to its end: the kernel gives the files in /proc a size of 0.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/smaps"), let data = try? file.readToEnd() else { return nil }
        return HugePageMemory(smaps: String(decoding: data, as: UTF8.self))
    }
}
