import Foundation
import Logging

/// Runs `Store.sweep()` every `interval` seconds on its own thread inside `huiyin serve`. Safe in
/// every instance at once: the sweep itself makes each step happen once.
public final class Sweeper: @unchecked Sendable {
    private let store: Store
    private let interval: TimeInterval
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false  // guarded by condition
    private var running = false   // guarded by condition: the thread is in its loop
    private var thread: Thread?

    public init(store: Store, interval: TimeInterval, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func start() {
        let thread = Thread { [self] in
            loop()
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "huiyin-sweeper"
        self.thread = thread
        condition.lock()
        running = true
        condition.unlock()
        thread.start()
    }

    /// Stops after the sweep in progress, if any, and returns once the thread has finished (joined),
    /// so the caller may close the pool under it.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    /// Whether the sweeper's thread is still in its loop.
    public var isRunning: Bool { condition.withLock { running } }

    private func loop() {
        while true {
            do {
                let report = try store.sweep()
                let acted = report.dueSoon + report.reminders + report.notices + report.leadershipProposals + report.visitNotices > 0
                logger.log(level: acted ? .notice : .debug, "sweep", metadata: [
                    "due_soon": "\(report.dueSoon)", "reminders": "\(report.reminders)", "notices": "\(report.notices)",
                    "leadership_proposals": "\(report.leadershipProposals)", "visit_notices": "\(report.visitNotices)",
                    "duration_ms": "\(Int(report.milliseconds))",
                ])
            } catch {
                logger.error("sweep failed", metadata: ["error": "\(String(describing: error))"])
            }
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: interval)
            while !stopping && condition.wait(until: deadline) {}
            let done = stopping
            condition.unlock()
            if done { return }
        }
    }
}
