import DossierCore
import Foundation
import Hummingbird
import NIOCore

/// `dossier serve`: builds with drafts into its own folder, serves it on loopback, rebuilds when
/// a content or template file changes, and tells open pages to reload (server-sent events).
public struct PreviewServer: Sendable {
    public var host: String
    public var port: Int
    public var options: Builder.Options
    /// How often the folders are looked at for changes.
    public var pollInterval: Duration
    /// Prints a build's diagnostics and summary in the terminal.
    public var report: @Sendable (Builder.Result) -> Void
    /// Told the address once the server listens.
    public var onListening: @Sendable (String) -> Void

    public init(host: String, port: Int, options: Builder.Options, pollInterval: Duration = .milliseconds(250),
                report: @escaping @Sendable (Builder.Result) -> Void, onListening: @escaping @Sendable (String) -> Void) {
        self.host = host
        self.port = port
        self.options = options
        self.pollInterval = pollInterval
        self.report = report
        self.onListening = onListening
    }

    public func run() async throws {
        let state = PreviewState()
        let files = PreviewFiles(root: URL(fileURLWithPath: options.output).standardizedFileURL)
        await rebuild(state)

        let router = Router()
        router.get(RouterPath(LiveReload.eventsPath)) { _, _ -> Response in
            let (id, stream) = await state.listen()
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
                for await event in stream {
                    try await writer.write(ByteBuffer(string: event.text))
                }
                await state.stopListening(id)
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
        }
        // `**` matches one segment or more, so the site's root (the address printed) has routes of its own.
        for path in ["/", "**"] {
            router.get(RouterPath(path)) { request, _ -> Response in
                try await serve(Self.pathAndQuery(request.uri.path, request.uri.query), files: files, state: state)
            }
            router.head(RouterPath(path)) { request, _ -> Response in
                try await serve(Self.pathAndQuery(request.uri.path, request.uri.query), files: files, state: state)
            }
        }

        let listening = onListening
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "dossier-preview"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listening("http://\(host):\(port)/")
            }
        )
        // Stops cleanly on Ctrl+C (SIGINT) or SIGTERM: end the open event streams first, or the
        // server would wait for those pages to close before it could stop.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            group.addTask { await watch(state) }
            group.addTask {
                await Self.waitForStopSignal()
                await state.finishAll()
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Waits for SIGINT or SIGTERM, which stop being fatal while the preview runs.
    static func waitForStopSignal() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        // The sources live as long as the preview does, which ends the process.
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }

    private func serve(_ path: String, files: PreviewFiles, state: PreviewState) async throws -> Response {
        switch files.lookup(path) {
        case .forbidden:
            return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Forbidden\n")))
        case .redirect(let location):
            return Response(status: .movedPermanently, headers: [.location: location, .cacheControl: "no-store"])
        case .notFound:
            // The site's own 404 page, as a host shows it for any missing address.
            if case .file(let page) = files.lookup("/404.html") {
                return try await file(page, status: .notFound, state: state)
            }
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        case .file(let url):
            return try await file(url, status: .ok, state: state)
        }
    }

    /// The request's path with its query, which a redirect keeps.
    static func pathAndQuery(_ path: String, _ query: String?) -> String {
        path + (query.map { "?" + $0 } ?? "")
    }

    /// A file of the site; a page with the live-reload script.
    private func file(_ url: URL, status: HTTPResponse.Status, state: PreviewState) async throws -> Response {
        var data = try Data(contentsOf: url)
        let type = PreviewFiles.contentType(for: url)
        if type.hasPrefix("text/html") {
            data = Data(LiveReload.inject(into: String(decoding: data, as: UTF8.self), failure: await state.failure).utf8)
        }
        return Response(status: status, headers: [.contentType: type, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Builds once; the preview keeps the last good site when a build fails.
    private func rebuild(_ state: PreviewState) async {
        do {
            let result = try await Builder().build(options)
            report(result)
            if result.failed(strict: options.strict) {
                let texts = result.texts
                let formatter = DiagnosticFormatter(useColour: false) { texts[$0] }
                let problems = result.diagnostics.sortedForReport().filter { $0.severity == .error || options.strict }
                await state.failed(problems.map(formatter.format).joined(separator: "\n"))
            } else {
                await state.succeeded()
            }
        } catch {
            await state.failed("\(error)")
        }
    }

    private func watch(_ state: PreviewState) async {
        var last = signature()
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            let now = signature()
            if now != last {
                last = now
                await rebuild(state)
            }
        }
    }

    /// Every file's path, size and modification time under the watched folders.
    private func signature() -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for folder in [options.content, options.templates] {
            guard let enumerator = FileManager.default.enumerator(
                at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) else { continue }
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                out[url.path] = [values?.contentModificationDate?.timeIntervalSince1970 ?? 0, Double(values?.fileSize ?? 0)]
            }
        }
        return out
    }
}
