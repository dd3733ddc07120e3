import Foundation

/// Group commit: callers on many threads hand in one item each and block until it is durable.
/// Whoever finds a free writer slot takes everything queued (up to `maxBatch`) and writes it in
/// one go for all of them. No timer: under light load a batch is just the one item, under heavy
/// load batches grow by themselves while the writers are busy. Each waiter sleeps on its own
/// semaphore and is woken only for its own result (or to take over writing), not by every batch.
/// How much sharing happened: items / batches is the average batch.
public struct GroupCommitStatistics: Sendable {
    public var batches = 0
    public var items = 0
    public var largestBatch = 0
}

final class GroupCommit<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    private final class Pending {
        let item: Item
        var result: Result<Output, Error>?
        let wake = DispatchSemaphore(value: 0)
        init(_ item: Item) { self.item = item }
    }

    private let lock = NSLock()
    // Guarded by `lock`:
    private var queue: [Pending] = []
    private var writers = 0
    private var totals = GroupCommitStatistics()
    let maxWriters: Int
    let maxBatch: Int

    init(maxWriters: Int, maxBatch: Int) {
        self.maxWriters = max(1, maxWriters)
        self.maxBatch = max(1, maxBatch)
    }

    var statistics: GroupCommitStatistics { lock.withLock { totals } }

    /// Blocks until `write` has handled this item (in some thread's batch); returns its result.
    /// `write` must return one result per item, in order.
    func submit(_ item: Item, write: ([Item]) -> [Result<Output, Error>]) throws -> Output {
        let mine = Pending(item)
        lock.lock()
        queue.append(mine)
        while mine.result == nil {
            guard writers < maxWriters, !queue.isEmpty else {
                lock.unlock()
                mine.wake.wait()
                lock.lock()
                continue
            }
            writers += 1
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            lock.unlock()
            let results = write(batch.map(\.item))
            lock.lock()
            writers -= 1
            totals.batches += 1
            totals.items += batch.count
            totals.largestBatch = max(totals.largestBatch, batch.count)
            for (pending, result) in zip(batch, results) {
                pending.result = result
                if pending !== mine { pending.wake.signal() }
            }
            // Work queued meanwhile: hand the writer slot to the oldest waiter.
            if let next = queue.first(where: { $0 !== mine }) { next.wake.signal() }
        }
        lock.unlock()
        return try mine.result!.get()
    }
}
