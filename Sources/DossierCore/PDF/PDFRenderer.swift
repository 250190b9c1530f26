import Foundation

/// Turns each update's print view into a PDF with WeasyPrint, run as a process.
/// PDFs are reproducible (SOURCE_DATE_EPOCH from the update's date, a stable identifier),
/// rendered in parallel up to the core count, and cached: an unchanged print view is not
/// rendered again.
public struct PDFRenderer: Sendable {
    /// One PDF to make.
    public struct Job: Sendable {
        public var printView: String
        public var output: String
        public var identifier: String
        /// Seconds since the epoch for the PDF's dates.
        public var epoch: Int
    }

    public var weasyprint: String
    /// Where rendered PDFs are kept between builds, keyed by everything that shapes them.
    public var cacheFolder: URL?
    public var maxParallel: Int

    public init(weasyprint: String, cacheFolder: URL?, maxParallel: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.weasyprint = weasyprint
        self.cacheFolder = cacheFolder
        self.maxParallel = max(1, maxParallel)
    }

    /// Finds the WeasyPrint program on PATH, or says in one line what to install.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<String, Diagnostic> {
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = folder + "/weasyprint"
            if FileManager.default.isExecutableFile(atPath: String(candidate)) { return .success(String(candidate)) }
        }
        return .failure(.error("weasyprint", "--pdf needs WeasyPrint, which was not found on PATH: install it with 'apt-get install weasyprint' (Debian, Ubuntu) or 'pip install weasyprint'"))
    }

    /// The PDF jobs for a built site: one per update snapshot.
    static func jobs(for site: ResolvedSite) -> [Job] {
        site.situations.filter { !$0.reused }.flatMap { situation in
            situation.versions.map { version in
                let update = version.update
                let modified = update.modified
                return Job(printView: OutputPaths.print(situation.situation.slug, update.date),
                           output: OutputPaths.pdf(situation.situation.slug, update.date),
                           identifier: "\(situation.situation.slug)-\(update.date)",
                           epoch: modified.epochSeconds)
            }
        }
    }

    /// Renders every job against the site's files; returns the PDFs or a diagnostic per failure.
    public func render(_ jobs: [Job], files: [OutputFile], progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in })
        async -> ([OutputFile], [Diagnostic]) {
        guard !jobs.isEmpty else { return ([], []) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        // WeasyPrint reads the print view and its stylesheet from disk: lay them out as in the site.
        let printViews = Set(jobs.map(\.printView))
        let needed = files.filter { $0.path.hasPrefix("assets/") || printViews.contains($0.path) }
        do {
            for file in needed {
                let url = work.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.data.write(to: url)
            }
        } catch {
            return ([], [.error("weasyprint", "cannot prepare PDF rendering: \(error.localizedDescription)")])
        }
        let assetsKey = Digest.sha256(parts: files.filter { $0.path.hasPrefix("assets/") }.map(\.data))
        let version = await Self.version(of: weasyprint)

        var pdfs: [OutputFile] = []
        var problems: [Diagnostic] = []
        var done = 0
        await withTaskGroup(of: Result<OutputFile, Diagnostic>.self) { group in
            var pending = jobs[...]
            func startNext() {
                guard let job = pending.popFirst() else { return }
                let html = files.first { $0.path == job.printView }?.data ?? Data()
                let key = Digest.sha256(parts: [Data(version.utf8), Data(job.identifier.utf8), Data("\(job.epoch)".utf8), html, Data(assetsKey.utf8)])
                group.addTask { await renderOne(job, key: key, in: work) }
            }
            for _ in 0..<maxParallel { startNext() }
            for await result in group {
                switch result {
                case .success(let pdf): pdfs.append(pdf)
                case .failure(let problem): problems.append(problem)
                }
                done += 1
                progress(done, jobs.count)
                startNext()
            }
        }
        return (pdfs.sorted { $0.path < $1.path }, problems)
    }

    private func renderOne(_ job: Job, key: String, in work: URL) async -> Result<OutputFile, Diagnostic> {
        let cached = cacheFolder?.appendingPathComponent(key + ".pdf")
        if let cached, let data = try? Data(contentsOf: cached) {
            return .success(OutputFile(path: job.output, data: data))
        }
        let input = work.appendingPathComponent(job.printView)
        let output = work.appendingPathComponent(job.output)
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = String(job.epoch)
        let run = await Self.run(weasyprint, ["--quiet", "--pdf-variant", "pdf/ua-1", "--pdf-identifier", job.identifier,
                                              input.path, output.path], environment: environment)
        guard run.status == 0, let data = try? Data(contentsOf: output) else {
            let detail = run.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(run.status)"
            return .failure(.error(job.printView, "WeasyPrint could not render this print view: \(detail)"))
        }
        if let cacheFolder, let cached {
            // A cache that cannot be written only costs time on the next build.
            try? FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
            try? data.write(to: cached, options: .atomic)
        }
        return .success(OutputFile(path: job.output, data: data))
    }

    static func version(of program: String) async -> String {
        await run(program, ["--version"], environment: ProcessInfo.processInfo.environment).stdout
    }

    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ program: String, _ arguments: [String], environment: [String: String]) async -> Run {
        await withCheckedContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                continuation.resume(returning: Run(status: -1, stdout: "", stderr: "\(error.localizedDescription)"))
                return
            }
            // Read both pipes at once before waiting, so a chatty process never blocks on a full pipe.
            DispatchQueue.global().async {
                let errors = DispatchGroup()
                nonisolated(unsafe) var stderr = Data()
                errors.enter()
                DispatchQueue.global().async {
                    stderr = err.fileHandleForReading.readDataToEndOfFile()
                    errors.leave()
                }
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                errors.wait()
                process.waitUntilExit()
                continuation.resume(returning: Run(status: process.terminationStatus,
                                                   stdout: String(decoding: stdout, as: UTF8.self),
                                                   stderr: String(decoding: stderr, as: UTF8.self)))
            }
        }
    }
}
