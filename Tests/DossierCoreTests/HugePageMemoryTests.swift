import DossierCore
import Foundation
import Testing

@Suite("Memory in huge pages")
struct HugePageMemoryTests {
    /// Two advised mappings (one partly in huge pages) among others that are not.
    let smaps = """
    55d0c0000000-55d0c2000000 rw-p 00000000 00:00 0 
    Size:              32768 kB
    Rss:               24576 kB
    AnonHugePages:     20480 kB
    VmFlags: rd wr mr mw me ac hg 
    7f3a00000000-7f3a00400000 rw-p 00000000 00:00 0                          [heap]
    Size:               4096 kB
    Rss:                4096 kB
    AnonHugePages:      2048 kB
    VmFlags: rd wr mr mw me ac 
    7f3b00000000-7f3b02000000 rw-p 00000000 00:00 0 
    Size:              32768 kB
    Rss:                 512 kB
    AnonHugePages:         0 kB
    VmFlags: rd wr mr mw me ac sd hg 
    7f3c00000000-7f3c00021000 r-xp 00000000 08:01 1234                       /usr/lib/libexample.so
    Size:                132 kB
    Rss:                 132 kB
    VmFlags: rd ex mr mw me 
    """

    @Test func sumsOnlyTheMappingsAdvisedForHugePages() {
        #expect(HugePageMemory(smaps: smaps) == HugePageMemory(residentKB: 24576 + 512, hugeKB: 20480))
        // "hg" is a flag of its own, not part of another word, and a mapping's figures are its own.
        #expect(HugePageMemory(smaps: smaps.replacingOccurrences(of: " hg ", with: " hgx ")) == HugePageMemory())
        #expect(HugePageMemory(smaps: "") == HugePageMemory())
    }

    #if os(Linux)
    @Test func readsThisProcessesMappings() throws {
        // A mapping of the test's own, advised and touched: found in the real file, read to its
        // end although the kernel gives its size as 0.
        let length = 8 << 20
        let mapped = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, length) }
        let before = try #require(HugePageMemory.current())
        #expect(madvise(mapped, length, MADV_HUGEPAGE) == 0)
        memset(mapped, 1, length)
        let after = try #require(HugePageMemory.current())
        #expect(after.residentKB - before.residentKB >= length / 1024)
    }
    #endif

    /// The command line's allocator takes memory in regions advised for huge pages, unless told not to.
    @Test func commandLineTakesMemoryInHugePageRegions() throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try CommandLineTests.run(["build", "--verbose"], in: root)
        #expect(run.status == 0)
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("  memory: ") })
        let advised = try #require(line.firstMatch(of: /memory: ([0-9.]+) MB in regions advised for huge pages, ([0-9.]+) MB of it in huge pages/))
        #expect(try #require(Double(advised.1)) > 0, "\(line)")
        #expect(try #require(Double(advised.2)) <= Double(advised.1)!)
        let off = try CommandLineTests.run(["build", "--verbose"], in: root, environment: ["DOSSIER_HUGE_PAGES": "off"])
        #expect(off.status == 0)
        #expect(off.stdout.contains("  memory: in 4 KB pages (huge-page regions not in use)\n"))
    }
}
