import Foundation

/// A fixed-size pool of blocking connections, one per worker thread that needs one.
/// Connections open lazily. When any connection breaks (the server restarted), every
/// connection opened before that moment is discarded instead of reused, so only the
/// requests that were already using one fail; later ones get fresh connections.
public final class PostgresPool: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    public let size: Int
    private let acquireTimeout: TimeInterval
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var inUse = 0
    private var epoch = 0
    private var acquireTimeouts = 0
    private var closes = 0

    public init(configuration: PostgresConfiguration, size: Int, acquireTimeout: TimeInterval = 5) {
        precondition(size > 0, "pool size must be positive")
        self.configuration = configuration
        self.size = size
        self.acquireTimeout = acquireTimeout
    }

    public struct Statistics: Sendable {
        public let size: Int
        public let open: Int
        public let inUse: Int
        /// Requests that found every connection busy until the acquire timeout (the pool was exhausted).
        public var acquireTimeouts = 0
        /// Times a broken connection made the pool drop its older ones (the server restarted or failed over).
        public var breakages = 0
    }

    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return Statistics(size: size, open: open, inUse: inUse, acquireTimeouts: acquireTimeouts, breakages: epoch - closes)
    }

    /// Lends a connection to `body`. Throws `.poolExhausted` if none frees up in time and
    /// `.connection` if a new one cannot be opened.
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        var broken = false
        defer { release(connection, broken: broken) }
        do {
            return try body(connection)
        } catch let error as PostgresError where error.kind == .connection {
            broken = true
            throw error
        } catch {
            broken = !connection.isConnected
            throw error
        }
    }

    /// Closes idle connections; busy ones close when returned.
    public func close() {
        condition.lock()
        epoch += 1
        closes += 1
        let closing = idle
        idle.removeAll()
        open -= closing.count
        condition.unlock()
        _ = closing
    }

    private func acquire() throws -> PostgresConnection {
        let deadline = Date(timeIntervalSinceNow: acquireTimeout)
        condition.lock()
        while true {
            while let connection = idle.popLast() {
                if connection.epoch == epoch && connection.isConnected {
                    inUse += 1
                    condition.unlock()
                    return connection
                }
                open -= 1  // opened before the last breakage: drop it
            }
            if open < size {
                open += 1
                inUse += 1
                let currentEpoch = epoch
                condition.unlock()
                do {
                    let connection = try PostgresConnection(configuration: configuration)
                    connection.epoch = currentEpoch
                    return connection
                } catch {
                    condition.lock()
                    open -= 1
                    inUse -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                acquireTimeouts += 1
                condition.unlock()
                throw PostgresError(kind: .poolExhausted)
            }
        }
    }

    private func release(_ connection: PostgresConnection, broken: Bool) {
        condition.lock()
        inUse -= 1
        if broken || !connection.isConnected {
            epoch += 1
            open -= 1
        } else if connection.epoch == epoch {
            idle.append(connection)
        } else {
            open -= 1
        }
        condition.signal()
        condition.unlock()
    }
}
