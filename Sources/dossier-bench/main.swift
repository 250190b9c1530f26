import DossierCore
import Foundation

// dossier-bench: builds a synthetic site (N situations × M updates) with Dossier and, on the same
// Markdown bodies, with Hugo and the cmark command line; prints medians and ratios.
// Run it with: swift run -c release dossier-bench [--situations 200] [--updates 10] [--runs 5]

struct Measurement {
    var seconds: Double
    var peakKB: Int
    /// Processor time in the program itself and in the kernel on its behalf (file creation).
    var userSeconds: Double
    var systemSeconds: Double
}

/// Runs a program to completion and returns its wall time and peak resident memory.
/// Everything written before is flushed to disk first, so each timed run creates its files on a
/// file system in the same state (see the README on inode allocation without a journal).
func measure(_ program: String, _ arguments: [String]) -> Measurement {
    sync()
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = DispatchTime.now()
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else {
        fatalError("cannot start \(program)")
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    if status != 0 { FileHandle.standardError.write(Data("warning: \(program) exited with \(status)\n".utf8)) }
    func cpu(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return Measurement(seconds: seconds, peakKB: Int(usage.ru_maxrss),
                       userSeconds: cpu(usage.ru_utime), systemSeconds: cpu(usage.ru_stime))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// The Markdown stage on its own, in a process of its own as `cmark` runs: reads each file and
/// renders it as a build does (citations included), one core. Used by the benchmark itself.
func renderMarkdownFiles(_ paths: [String]) throws {
    let renderer = MarkdownRenderer(options: .init())
    let context = MarkdownRenderer.CitationContext(knownKeys: Set((0..<5).map { "source-\($0)" }), sourcesFile: "sources.yaml")
    for path in paths {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        _ = renderer.render(MarkdownSource(text: text, file: path, startLine: 1, fullText: text), citations: context)
    }
}
if CommandLine.arguments.dropFirst().first == "--render-markdown" {
    try renderMarkdownFiles(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}

var situations = 200, updates = 10, runs = 5
var generateOnly: String?
var markdownOnly = false
var stagesOnly = false
var templatesOption: String?
var fullRenders = false
var against: String?
var waitForDisk = true
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--situations": situations = Int(arguments.next() ?? "") ?? situations
    case "--updates": updates = Int(arguments.next() ?? "") ?? updates
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--generate-only": generateOnly = arguments.next()
    case "--markdown-only": markdownOnly = true
    case "--stages": stagesOnly = true
    case "--templates": templatesOption = arguments.next()
    case "--full-renders": fullRenders = true
    case "--against": against = arguments.next()
    case "--no-wait": waitForDisk = false
    default:
        print("usage: dossier-bench [--situations N] [--updates M] [--runs R] [--generate-only FOLDER] [--markdown-only] [--stages [--full-renders]] [--templates FOLDER] [--against DOSSIER] [--no-wait]")
        exit(64)
    }
}

let executables = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let dossier = executables.appendingPathComponent("dossier").path
// The project's templates unless `--templates` names others (to compare a template change).
let projectTemplates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Templates").path
let templates = templatesOption.map { URL(fileURLWithPath: $0).path } ?? projectTemplates
let work = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-bench-\(getpid())")
/// Where the cold builds into memory go (tmpfs), when the machine has it.
let memoryRoot = "/dev/shm/dossier-bench-\(getpid())"
/// Ends a run, removing its synthetic site (50 MB) from the temporary folder: every way out of
/// the benchmark after the site is written goes through here.
func finish() -> Never {
    Settle.remove(work.path)
    try? FileManager.default.removeItem(atPath: memoryRoot)
    exit(0)
}

// A full run builds on disk, and first waits out the last run's clean-up (see `Settle`), before
// it writes anything, so that stopping it while it waits leaves nothing behind.
if waitForDisk, generateOnly == nil, !stagesOnly, !markdownOnly, against == nil,
   case let left = Settle.wait(before: FileManager.default.temporaryDirectory.path), left > 0 {
    print(String(format: "waiting %.0f s before the builds on disk: the last run removed its files %.0f s ago, and this file\n"
                 + "system (ext4 without a journal) makes files slowly for six minutes after many are removed\n"
                 + "(docs/performance.md, Noise; --no-wait skips this)\n", left, Settle.window - left))
    Settle.sleep(left)
}

let site = SyntheticSite(situations: situations, updates: updates)
// A build refuses to publish an update dated after tomorrow: with many updates a situation, the
// last are dated in years to come, so the builds are given the day after the last as today.
// (With the defaults every date is in the past and the day is the real one.)
if let last = IsoDate(SyntheticSite.date(updates - 1)), last > IsoDate.today() {
    setenv("SOURCE_DATE_EPOCH", String((last.daysSinceEpoch + 1) * 86_400), 1)
}
if let generateOnly {
    // Only write the content, and Hugo's site of the same bodies beside it, for profiling or
    // comparing builds by hand.
    let folder = URL(fileURLWithPath: generateOnly)
    let bodies = try site.writeDossier(to: folder)
    try site.writeHugo(to: folder.appendingPathComponent("hugo"), bodies: bodies)
    print("wrote \(generateOnly)/Content and \(generateOnly)/hugo")
    exit(0)
}
let dossierRoot = work.appendingPathComponent("dossier")
let bodies = try site.writeDossier(to: dossierRoot)
try site.writeHugo(to: work.appendingPathComponent("hugo"), bodies: bodies)
let plain = try site.writePlain(to: work.appendingPathComponent("plain"), bodies: bodies)
let megabytes = Double(bodies.reduce(0) { $0 + $1.utf8.count }) / 1_000_000
print("Synthetic site: \(situations) situations × \(updates) updates, \(bodies.count) bodies, "
      + String(format: "%.1f MB of Markdown, %.1f KB each; %d runs, medians\n", megabytes, megabytes * 1000 / Double(bodies.count), runs))

// The Markdown stage alone and cmark, each a process of its own reading the same files on one
// core (a fresh process, as in a build: the benchmark's own heap, after generating the site,
// made the stage up to 1.7 times slower in process). The two take turns run by run, so both
// meet the machine in the same state.
@MainActor func markdownAndCmark() -> (markdown: [Measurement], cmark: [Measurement]) {
    var markdown: [Measurement] = []
    var cmark: [Measurement] = []
    let program = which("cmark")
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    for _ in 0..<runs {
        markdown.append(measure(me, ["--render-markdown"] + plain))
        if let program { cmark.append(measure(program, ["--smart"] + plain)) }
    }
    return (markdown, cmark)
}

if stagesOnly {
    // Each stage of an in-memory build (no disk writes), the fastest of the runs: steadier than
    // whole builds on a shared machine, for comparing one change to the code.
    var fastest: [String: Duration] = [:]
    var order: [String] = []
    var options = Builder.Options(content: dossierRoot.appendingPathComponent("Content").path, templates: templates,
                                  output: dossierRoot.appendingPathComponent("Public").path, today: IsoDate("2026-01-01")!)
    // Every page through swift-mustache, as before skeletons (to measure what they save).
    options.skeletons = !fullRenders
    for _ in 0..<runs {
        let result = await Builder().generate(options)
        for (stage, duration) in result.timings {
            if fastest[stage] == nil { order.append(stage) }
            fastest[stage] = min(fastest[stage] ?? duration, duration)
        }
    }
    for stage in order {
        let seconds = Double(fastest[stage]!.components.attoseconds) / 1e18 + Double(fastest[stage]!.components.seconds)
        print(stage.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds))
    }
    finish()
}

if markdownOnly {
    let (stage, cmark) = markdownAndCmark()
    let ours = median(stage.map(\.seconds)), floor = median(cmark.map(\.seconds))
    print(String(format: "Markdown stage %.3f s, cmark %.3f s, ratio %.2f (target <= 1.5)", ours, floor, ours / floor))
    finish()
}

let content = dossierRoot.appendingPathComponent("Content").path
func buildArguments(into output: String) -> [String] {
    ["build", "--content", content, "--templates", templates, "--output", output, "--quiet"]
}

if let against {
    compare(dossier, against: URL(fileURLWithPath: against).path)
    finish()
}

/// This build's `dossier` against another (the code before a change, built beside it): cold
/// builds of the two in turns, the order switched every round, each measured by the processor
/// time it took (program and kernel), which a busy machine moves less than the wall time. A
/// change of a few percent is within the noise of single runs; the median of the rounds'
/// differences, each between two builds that met the machine in the same state, shows it. The
/// two must make the same site: their outputs are compared byte for byte.
@MainActor func compare(_ ours: String, against theirs: String) {
    guard FileManager.default.isExecutableFile(atPath: theirs) else {
        print("--against: no program at \(theirs)")
        exit(64)
    }
    // Into memory where the machine has it: on disk, deleting each output before the next
    // build slows that build's file creation (see the README), so outputs would pile up.
    let inMemory = access("/dev/shm", W_OK) == 0
        && (try? FileManager.default.createDirectory(atPath: memoryRoot, withIntermediateDirectories: false)) != nil
    let root = inMemory ? memoryRoot : work.path
    /// A cold build (no record of published updates yet) into `root/name`, removed after it
    /// unless it is to be kept.
    func cold(_ program: String, _ name: String, keep: Bool = false) -> Measurement {
        try? FileManager.default.removeItem(atPath: content + "/versions.lock")
        let output = root + "/" + name
        let measured = measure(program, buildArguments(into: output))
        if inMemory && !keep { try? FileManager.default.removeItem(atPath: output) }
        return measured
    }
    var mine: [Measurement] = []
    var other: [Measurement] = []
    for run in 0..<runs {
        if run % 2 == 0 {
            mine.append(cold(ours, "ours-\(run)"))
            other.append(cold(theirs, "theirs-\(run)"))
        } else {
            other.append(cold(theirs, "theirs-\(run)"))
            mine.append(cold(ours, "ours-\(run)"))
        }
    }
    func cpu(_ value: Measurement) -> Double { value.userSeconds + value.systemSeconds }
    let differences = zip(mine, other).map { cpu($0) - cpu($1) }
    let base = median(other.map(cpu))
    print("cold builds \(inMemory ? "into memory (tmpfs)" : "on disk"), \(runs) rounds, medians:")
    print(String(format: "  this build   %.3f s wall, %.3f s processor", median(mine.map(\.seconds)), median(mine.map(cpu))))
    print(String(format: "  the other    %.3f s wall, %.3f s processor", median(other.map(\.seconds)), base))
    print(String(format: "  processor time, this minus the other, round by round: median %+.1f ms (%+.1f%%); this one took less in %d of %d rounds",
                 median(differences) * 1000, median(differences) / base * 100, differences.filter { $0 < 0 }.count, runs))
    // The same site from both, made again side by side and kept to compare.
    _ = cold(ours, "same-ours", keep: true)
    _ = cold(theirs, "same-theirs", keep: true)
    let differing = differingFiles(root + "/same-ours", root + "/same-theirs")
    print(differing.isEmpty ? "  outputs: byte for byte the same"
                            : "  outputs differ: \(differing.prefix(5).joined(separator: ", "))\(differing.count > 5 ? " and \(differing.count - 5) more" : "")")
}

/// The files that are not the same in two folders (present in one only, or with other bytes).
func differingFiles(_ first: String, _ second: String) -> [String] {
    func files(_ root: String) -> Set<String> {
        Set(FileManager.default.subpaths(atPath: root)?.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
        } ?? [])
    }
    let ours = files(first), theirs = files(second)
    return ours.union(theirs).sorted().filter { path in
        !ours.contains(path) || !theirs.contains(path)
            || !FileManager.default.contentsEqual(atPath: first + "/" + path, andPath: second + "/" + path)
    }
}
let hugoProgram = which("hugo")
// Hugo's cache goes in the benchmark's own folder, not the system's temporary one.
let common = ["--quiet", "--source", work.appendingPathComponent("hugo").path,
              "--cacheDir", work.appendingPathComponent("hugo-cache").path]

// Cold builds, Dossier and Hugo in turn so both meet the machine in the same state. Each run
// writes into a folder of its own, removed only at the end: deleting thousands of files just
// before a timed run slows the next run's file creation (ext4 rechecks recently freed inodes),
// which would measure the disk's bookkeeping rather than either tool. (Across runs, the last
// run's clean-up was waited out at the start.)
// Each run also copies the run's output with `cp -r`: the file system's share of a cold build,
// making the same files and folders with no other work, on one core.
var cold: [Measurement] = []
var hugo: [Measurement] = []
var hugoThree: [Measurement] = []
var hugoSiteFiles: [Measurement] = []
var copies: [Measurement] = []
let copyProgram = which("cp")
for run in 0..<runs {
    try? FileManager.default.removeItem(atPath: content + "/versions.lock")
    cold.append(measure(dossier, buildArguments(into: dossierRoot.appendingPathComponent("Public-\(run)").path)))
    if let copyProgram {
        copies.append(measure(copyProgram, ["-r", dossierRoot.appendingPathComponent("Public-\(run)").path,
                                            dossierRoot.appendingPathComponent("Copy-\(run)").path]))
    }
    if let hugoProgram {
        hugo.append(measure(hugoProgram, common + ["--destination", work.appendingPathComponent("hugo/public-\(run)").path]))
        hugoThree.append(measure(hugoProgram, common + ["--config", SyntheticSite.hugoThreePagesConfig,
                                                        "--destination", work.appendingPathComponent("hugo/public-three-\(run)").path]))
        hugoSiteFiles.append(measure(hugoProgram, common + ["--config", SyntheticSite.hugoSiteFilesConfig,
                                                            "--destination", work.appendingPathComponent("hugo/public-site-\(run)").path]))
    }
}
// The same cold builds into memory (tmpfs), in turns, for context: the two programs' own work
// without the disk's. Each run's output is removed after it (tmpfs keeps no record of freed
// inodes to step past).
var coldInMemory: [Measurement] = []
var hugoInMemory: [Measurement] = []
if let hugoProgram, access("/dev/shm", W_OK) == 0,
   (try? FileManager.default.createDirectory(atPath: memoryRoot, withIntermediateDirectories: false)) != nil {
    for run in 0..<runs {
        try? FileManager.default.removeItem(atPath: content + "/versions.lock")
        coldInMemory.append(measure(dossier, buildArguments(into: memoryRoot + "/Public-\(run)")))
        hugoInMemory.append(measure(hugoProgram, common + ["--destination", memoryRoot + "/hugo-\(run)"]))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: memoryRoot)) ?? [] {
            try? FileManager.default.removeItem(atPath: memoryRoot + "/" + name)
        }
    }
}
// Rebuilds of the last cold build's output: nothing changed, then one update edited.
let build = buildArguments(into: dossierRoot.appendingPathComponent("Public-\(runs - 1)").path)
var unchanged: [Measurement] = []
for _ in 0..<runs { unchanged.append(measure(dossier, build)) }
var edited: [Measurement] = []
let editedFile = content + "/situations/country-0/updates/\(SyntheticSite.date(updates - 1)).md"
for run in 0..<runs {
    // A published update may change only with a correction: edit it the way an editor must.
    var text = try String(contentsOfFile: editedFile, encoding: .utf8)
    let correction = "corrections:\n  - date: \(SyntheticSite.date(updates - 1))\n    note: Benchmark edit \(run).\n"
    text = text.replacingOccurrences(of: "---\n## Background", with: (text.contains("corrections:") ? "  - date: \(SyntheticSite.date(updates - 1))\n    note: Benchmark edit \(run).\n" : correction) + "---\n## Background")
    text += "\nAn added sentence, edit \(run).\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: editedFile))
    edited.append(measure(dossier, build))
}

let (markdown, cmark) = markdownAndCmark()

func row(_ name: String, _ values: [Measurement]) -> (Double, Int) {
    let seconds = median(values.map(\.seconds))
    let peak = values.map(\.peakKB).max() ?? 0
    print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.3f s %9.1f MB %8.2f s %7.2f s", seconds, Double(peak) / 1024,
                                                                          median(values.map(\.userSeconds)), median(values.map(\.systemSeconds))))
    return (seconds, peak)
}

print("what".padding(toLength: 44, withPad: " ", startingAt: 0) + "  median      peak  CPU: user  kernel")
let (coldSeconds, coldPeak) = row("dossier build, cold", cold)
let (unchangedSeconds, _) = row("dossier build, nothing changed", unchanged)
let (editedSeconds, _) = row("dossier build, one update edited", edited)
// The first edit after a cold build has no kept site to start from: it makes the new site's
// folders and links anew, where the later ones change only what changed.
if let first = edited.first { _ = row("  the first of them (no kept site yet)", [first]) }
let copyResult = copies.isEmpty ? nil : row("cp -r of the cold build's output (one core)", copies)
let markdownSeconds = median(markdown.map(\.seconds))
print("Dossier's Markdown stage alone (one core)".padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.3f s", markdownSeconds))
print("swift-mustache, one name looked up".padding(toLength: 44, withPad: " ", startingAt: 0)
      + String(format: "%8.2f µs", MustacheLookup.nanoseconds() / 1000))
let cores = ProcessInfo.processInfo.activeProcessorCount
if cores > 1 {
    print("  the same on \(cores) threads at once, each".padding(toLength: 44, withPad: " ", startingAt: 0)
          + String(format: "%8.2f µs", MustacheLookup.nanoseconds(threads: cores) / 1000))
}
let hugoResult = hugo.isEmpty ? nil : row("hugo, same bodies as plain pages", hugo)
let hugoThreeResult = hugoThree.isEmpty ? nil : row("hugo, three pages per body (for context)", hugoThree)
let hugoSiteResult = hugoSiteFiles.isEmpty ? nil : row("hugo, plain pages + feed, sitemap, 404", hugoSiteFiles)
let cmarkResult = cmark.isEmpty ? nil : row("cmark command line, same bodies", cmark)
let coldInMemoryResult = coldInMemory.isEmpty ? nil : row("dossier build, cold, into memory (tmpfs)", coldInMemory)
let hugoInMemoryResult = hugoInMemory.isEmpty ? nil : row("hugo, plain pages, into memory (tmpfs)", hugoInMemory)

print("\nratio                                           value   target")
func ratio(_ name: String, _ value: Double, _ target: String) {
    print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.2f", value) + "   " + target)
}
/// Each run's own ratio, the two builds having met the machine in the same state: how far the
/// machine's noise moves the ratio within one benchmark.
func perRun(_ ours: [Measurement], _ theirs: [Measurement]) -> String {
    "runs: " + zip(ours, theirs).map { String(format: "%.2f", $0.seconds / $1.seconds) }.joined(separator: " ")
}
if let (hugoSeconds, hugoPeak) = hugoResult {
    ratio("cold build / hugo", coldSeconds / hugoSeconds, "<= 1.0 (aim 0.5); " + perRun(cold, hugo))
    ratio("peak memory / hugo", Double(coldPeak) / Double(hugoPeak), "< 1.0")
    if let (threeSeconds, _) = hugoThreeResult {
        ratio("cold build / hugo, three pages per body", coldSeconds / threeSeconds, "(context: as many files)")
    }
    if let (siteSeconds, _) = hugoSiteResult {
        ratio("cold build / hugo, + feed, sitemap, 404", coldSeconds / siteSeconds,
              "(context: the same site files); " + perRun(cold, hugoSiteFiles))
    }
    if let (copySeconds, _) = copyResult {
        ratio("cp -r of the output / hugo", copySeconds / hugoSeconds, "(context: making the files alone)")
    }
    if let (ours, _) = coldInMemoryResult, let (theirs, _) = hugoInMemoryResult {
        ratio("cold build / hugo, into memory", ours / theirs, "(context: without the disk); " + perRun(coldInMemory, hugoInMemory))
    }
} else {
    print("hugo not found: install the Debian package 'hugo' for the comparison")
}
if let (cmarkSeconds, _) = cmarkResult {
    ratio("Markdown stage / cmark", markdownSeconds / cmarkSeconds, "<= 1.5")
}
ratio("no-change rebuild / cold", unchangedSeconds / coldSeconds, "<= 0.25")
ratio("one-update edit / cold", editedSeconds / coldSeconds, "<= 0.30")

// The work each tool did: Dossier makes several files per update (latest view, snapshot, print
// view, redline, archives), Hugo one page per body (or three, in the second configuration).
// Files per second put them side by side.
func fileCount(_ folder: URL) -> Int {
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    var count = 0
    while let url = enumerator?.nextObject() as? URL {
        if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { count += 1 }
    }
    return count
}
let dossierFiles = fileCount(dossierRoot.appendingPathComponent("Public-0"))
print("\nfiles made, cold: dossier \(dossierFiles)" + String(format: " (%.0f per second)", Double(dossierFiles) / coldSeconds)
      + (hugoResult.map { hugoSeconds, _ in
          let pages = fileCount(work.appendingPathComponent("hugo/public-0"))
          return ", hugo \(pages)" + String(format: " (%.0f per second)", Double(pages) / hugoSeconds)
      } ?? "")
      + (hugoThreeResult.map { seconds, _ in
          let pages = fileCount(work.appendingPathComponent("hugo/public-three-0"))
          return ", hugo with three pages per body \(pages)" + String(format: " (%.0f per second)", Double(pages) / seconds)
      } ?? ""))
finish()
