import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` across the cores, for CPU-bound work on independent elements; results keep their order.
    /// Blocks the caller until every element is done.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, count)
        if workers <= 1 { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let out = buffer
            withoutActuallyEscaping(transform) { transform in
                self.withUnsafeBufferPointer { items in
                    nonisolated(unsafe) let items = items
                    // Interleaved, so slow and fast elements spread evenly over the workers.
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        for index in stride(from: worker, to: count, by: workers) {
                            (out.baseAddress! + index).initialize(to: transform(items[index]))
                        }
                    }
                }
            }
            initialized = count
        }
    }
}
