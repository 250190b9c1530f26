import Foundation
import Testing

/// A raw HTTP/1.1 client on loopback: raw so that paths like `/../x` reach the server as written.
struct RawHTTP {
    let port: Int

    /// - Parameter timeout: seconds a read may wait; 0 waits as long as it takes (an event stream).
    func connect(timeout: Int = 30) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw CocoaError(.fileReadUnknown) }
        if timeout > 0 {
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        return fd
    }

    /// Sends one request and reads the whole response.
    func get(_ path: String) throws -> (status: Int, headers: String, body: String) {
        let fd = try connect()
        defer { close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, head, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// Reads a server-sent event stream in the background.
final class EventListener: @unchecked Sendable {
    // Safe: `received` is only touched under `lock`.
    private let lock = NSLock()
    private var received = ""
    private let fd: Int32

    init(_ http: RawHTTP, path: String) throws {
        // No read timeout: on a busy machine the next event may be a while coming.
        let socket = try http.connect(timeout: 0)
        fd = socket
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        Thread.detachNewThread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(socket, &buffer, buffer.count, 0)
                if n <= 0 { break }
                guard let self else { break }
                self.lock.withLock { self.received += String(decoding: buffer[0..<n], as: UTF8.self) }
            }
        }
    }

    var text: String { lock.withLock { received } }

    func wait(for needle: String, after offset: Int = 0, seconds: Double = 30) async -> Bool {
        func arrived() -> Bool {
            let text = self.text
            return text.count > offset && text.dropFirst(offset).contains(needle)
        }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if arrived() { return true }
            // A blocking sleep keeps the wait honest when other tests keep the concurrency pool busy.
            usleep(50_000)
        }
        return arrived()
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}

@Suite("Preview server", .serialized)
struct ServeTests {
    /// Starts `dossier serve --port 0` and returns the process and the port it chose.
    static func start(in root: URL) async throws -> (Process, Int, Pipe) {
        let process = Process()
        process.executableURL = InterruptionTests.executable
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: root.appendingPathComponent("serve.log").path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: root.appendingPathComponent("serve.log"))
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(50)); continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "Serving http://127.0.0.1:"),
               let port = Int(seen[range.upperBound...].prefix { $0.isNumber }) {
                return (process, port, output)
            }
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(seen)"])
    }

    /// Stops the server and waits for it: a server still shutting down could write into the
    /// fixture's folder while the test removes it, and leave the folder behind. One that does
    /// not stop within ten seconds is killed, so a hang fails a test instead of the whole run.
    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test func servesRebuildsReloadsAndShowsErrors() async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let (process, port, output) = try await Self.start(in: root)
        defer { Self.stop(process) }
        // Keep reading what the server prints, as a terminal would.
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        let http = RawHTTP(port: port)

        // The address the server prints is the site's front page.
        let front = try http.get("/")
        #expect(front.status == 200)
        #expect(front.body.contains("situations/ruritania/index.html"))
        // A folder without its final slash is sent to it (its page's relative links resolve from
        // inside the folder), the query kept; a missing address gets the site's own 404 page.
        let folder = try http.get("/situations/ruritania?x=1")
        #expect(folder.status == 301)
        #expect(folder.headers.lowercased().contains("location: /situations/ruritania/?x=1"))
        let doubled = try http.get("//situations/ruritania")
        #expect(doubled.status == 301)
        #expect(doubled.headers.lowercased().contains("location: /situations/ruritania/\r\n"))
        let missing = try http.get("/situations/nowhere/")
        #expect(missing.status == 404)
        #expect(missing.body.contains("<html"))
        #expect(missing.body.contains("new EventSource(\"/__dossier/events\")"))

        // The draft is part of the preview, with the reload script the published site never has.
        let draft = try http.get("/situations/ruritania/2024-09-01/")
        #expect(draft.status == 200)
        #expect(draft.headers.lowercased().contains("content-type: text/html; charset=utf-8"))
        #expect(draft.body.contains("Draft text."))
        #expect(draft.body.contains("new EventSource(\"/__dossier/events\")"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Public").path))
        let published = try String(contentsOf: root.appendingPathComponent(".dossier-preview/index.html"), encoding: .utf8)
        #expect(!published.contains("EventSource"))

        let events = try EventListener(http, path: "/__dossier/events")
        try await Task.sleep(for: .milliseconds(300))

        // Save an edit: the page changes and a reload event arrives.
        let file = root.appendingPathComponent("Content/situations/ruritania/updates/2024-09-01.md")
        let original = try String(contentsOf: file, encoding: .utf8)
        try Data(original.replacingOccurrences(of: "Draft text.", with: "Edited draft text.").utf8).write(to: file)
        #expect(await events.wait(for: "event: reload"), "\((try? String(contentsOf: root.appendingPathComponent("serve.log"), encoding: .utf8)) ?? "")")
        #expect(try http.get("/situations/ruritania/2024-09-01/index.html").body.contains("Edited draft text."))

        // Break it: the last good page still answers, with the error shown over it.
        let mark = events.text.count
        try Data(original.replacingOccurrences(of: "Draft text.", with: "Edited draft text.")
            .replacingOccurrences(of: "risk_level: current-crisis", with: "risk_level: critical").utf8).write(to: file)
        #expect(await events.wait(for: "event: failed", after: mark))
        #expect(events.text.contains("unknown risk level 'critical'"))
        let broken = try http.get("/situations/ruritania/2024-09-01/index.html")
        #expect(broken.status == 200)
        #expect(broken.body.contains("Edited draft text."))
        #expect(broken.body.contains("id=\"dossier-build-errors\""))
        #expect(broken.body.contains("unknown risk level &#39;critical&#39;") || broken.body.contains("unknown risk level 'critical'"))

        // Fix it again: a reload, and no error box.
        let mark2 = events.text.count
        try Data(original.utf8).write(to: file)
        #expect(await events.wait(for: "event: reload", after: mark2))
        #expect(try !http.get("/situations/ruritania/2024-09-01/index.html").body.contains("id=\"dossier-build-errors\""))

        // Content types.
        let index = try String(contentsOf: root.appendingPathComponent(".dossier-preview/index.html"), encoding: .utf8)
        let css = try #require(index.range(of: "assets/dossier.").map { index[$0.lowerBound...].prefix { $0 != "\"" } })
        #expect(try http.get("/" + css).headers.lowercased().contains("content-type: text/css; charset=utf-8"))
        #expect(try http.get("/feed.xml").headers.lowercased().contains("content-type: application/xml"))

        // Ctrl+C stops it cleanly.
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }

    @Test(arguments: ["/../Content/site.yaml", "/%2e%2e/Content/site.yaml", "/situations/..%2f..%2f..%2fContent/site.yaml",
                      "/situations/%2E%2E/%2E%2E/%2E%2E/Content/site.yaml", "/..%5c..%5cContent/site.yaml",
                      "/.dossier-preview/../Content/site.yaml", "/%00/etc/passwd", "/../../../../etc/passwd"])
    func pathTraversalIsRefused(path: String) async throws {
        let root = try validSite.write()
        defer { try? FileManager.default.removeItem(at: root) }
        let (process, port, output) = try await Self.start(in: root)
        defer { Self.stop(process) }
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        let response = try RawHTTP(port: port).get(path)
        #expect([400, 403, 404].contains(response.status), "\(response.status)")
        #expect(!response.body.contains("base_url"))
        #expect(!response.body.contains("root:"))
    }
}
