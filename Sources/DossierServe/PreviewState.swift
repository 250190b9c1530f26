import Foundation

/// What the preview knows between builds: whether the last build worked, its diagnostics,
/// and the open pages waiting to hear about the next one.
actor PreviewState {
    enum Event: Sendable {
        case reload
        case failed(String)

        /// One server-sent event.
        var text: String {
            switch self {
            case .reload:
                return "event: reload\ndata: ok\n\n"
            case .failed(let report):
                let data = report.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n")
                return "event: failed\n\(data)\n\n"
            }
        }
    }

    private(set) var failure: String?
    private var listeners: [UUID: AsyncStream<Event>.Continuation] = [:]

    func succeeded() {
        failure = nil
        broadcast(.reload)
    }

    func failed(_ report: String) {
        failure = report
        broadcast(.failed(report))
    }

    func listen() -> (UUID, AsyncStream<Event>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(8))
        listeners[id] = continuation
        if let failure { continuation.yield(.failed(failure)) }
        return (id, stream)
    }

    func stopListening(_ id: UUID) {
        listeners.removeValue(forKey: id)?.finish()
    }

    func finishAll() {
        for continuation in listeners.values { continuation.finish() }
        listeners.removeAll()
    }

    private func broadcast(_ event: Event) {
        for continuation in listeners.values { continuation.yield(event) }
    }
}
