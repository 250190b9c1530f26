import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` across the cores, for CPU-bound work on independent elements; results keep their order.
    /// Blocks the caller until every element is done.
    /// - Parameter waits: the work also waits on the disk (reading files not in memory): it runs on
    ///   threads of its own, four for each core, so that one waiting leaves its core to
    ///   another instead of idle.
    func concurrentMap<T: Sendable>(waits: Bool = false, _ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let workers = Swift.min(waits ? 4 * cores : cores, count)
        if workers <= 1 { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            withoutActuallyEscaping(transform) { transform in
                self.withUnsafeBufferPointer { items in
                    nonisolated(unsafe) let items = items
                    // Each worker takes the next element when it is free, so a worker that starts
                    // late or meets slower elements never leaves the others idle at the end.
                    let next = NextIndex()
                    let work: @Sendable () -> Void = {
                        while let index = next.take(below: count) {
                            (out.baseAddress! + index).initialize(to: transform(items[index]))
                        }
                    }
                    if waits {
                        // Serial queues of their own: each gets a thread of its own (the pool that
                        // `concurrentPerform` uses runs one a core).
                        let group = DispatchGroup()
                        for worker in 0..<workers {
                            DispatchQueue(label: "dossier.worker.\(worker)").async(group: group) { work() }
                        }
                        group.wait()
                    } else {
                        DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
                    }
                }
            }
            initialized = count
        }
    }
}

/// A shared counter handing out indexes to workers, each once.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below count: Int) -> Int? {
        lock.withLock {
            guard value < count else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// Work started on a queue of its own, beside the build's tasks, and awaited where its result is
/// needed. For work that waits on the file system, or that fills a core the build leaves idle:
/// a task of the build's own pool would hold one of its threads. (Unchecked: the result is
/// written once, before the work leaves the group, and read only after the group is empty.)
final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        // A serial queue of its own runs on a thread of its own. On the global queue, work that
        // waits (on the disk, or on other work) held one of the threads the build's tasks run
        // on: an edit rebuild's templates waited 20 to 40 ms for a thread while it read folders.
        DispatchQueue(label: "dossier.background").async(group: group) { self.result = work() }
    }

    /// The result, once the work is done, waited for by blocking the calling thread (for code
    /// that is not async; never on a thread of the build's task pool while it is busy).
    var waited: Value {
        group.wait()
        return result!
    }

    /// The result, once the work is done.
    var value: Value {
        get async {
            await withCheckedContinuation { done in group.notify(queue: .global()) { done.resume() } }
            return result!
        }
    }
}
