import CMicroHTTPD
import Glibc
import Synchronization

public struct HTTPServerError: Error, CustomStringConvertible {
    public let description: String
}

/// An HTTP/1.1 server over libmicrohttpd's internal thread pool (epoll). Handlers run
/// synchronously on the worker thread that read the request, so they may block on I/O
/// (a libpq call); size `workers` for that.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (Request) -> Response

    public let configuration: ServerConfiguration
    let handler: Handler
    let payloadTooLarge: Handler
    let malformed: @Sendable (Request, MalformedRequest) -> Response
    /// Requests whose head has been read and whose response has not been sent yet.
    let inFlight = Atomic<Int>(0)
    private let lifecycle = Mutex<OpaquePointer?>(nil)
    public private(set) var port: UInt16 = 0

    /// - Parameters:
    ///   - handler: answers every request whose body fits the limit.
    ///   - payloadTooLarge: answers a request whose body exceeds `bodyLimit` (status 413 expected).
    ///   - malformed: answers a head refused by `MalformedRequest` (status 400 expected).
    public init(configuration: ServerConfiguration, handler: @escaping Handler,
                payloadTooLarge: @escaping Handler,
                malformed: @escaping @Sendable (Request, MalformedRequest) -> Response = { _, problem in
                    Response(status: 400, contentType: "text/plain", body: problem.message)
                }) {
        self.configuration = configuration
        self.handler = handler
        self.payloadTooLarge = payloadTooLarge
        self.malformed = malformed
    }

    public func start() throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = configuration.port.bigEndian
        guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else {
            throw HTTPServerError(description: "not an IPv4 address: \(configuration.host)")
        }
        let flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_USE_ITC.rawValue
        try lifecycle.withLock { daemon in
            guard daemon == nil else { throw HTTPServerError(description: "server already started") }
            // Retained while the daemon runs; released in stop().
            let context = Unmanaged.passRetained(self).toOpaque()
            let started = withUnsafePointer(to: &address) { addressPointer in
                mhd_shim_start(flags, addressPointer, accessHandler, context, requestCompleted, context,
                               UInt32(configuration.workers), UInt32(configuration.connectionTimeout),
                               UInt32(configuration.connectionLimit))
            }
            guard let started else {
                Unmanaged<HTTPServer>.fromOpaque(context).release()
                throw HTTPServerError(description:
                    "cannot listen on \(configuration.host):\(configuration.port) (errno \(errno))")
            }
            daemon = started
            port = mhd_shim_bound_port(started)
        }
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the grace period),
    /// then closes everything. Safe to call twice.
    public func stop() {
        lifecycle.withLock { daemon in
            guard let running = daemon else { return }
            // The listening socket is ours to close, but only after MHD_stop_daemon: its worker
            // threads may still be polling it until then (closing it early can make MHD abort).
            let listener = MHD_quiesce_daemon(running)
            let deadline = Self.now() + configuration.shutdownGraceSeconds
            while inFlight.load(ordering: .acquiring) > 0 && Self.now() < deadline {
                usleep(5_000)
            }
            MHD_stop_daemon(running)
            if listener >= 0 { close(listener) }
            Unmanaged.passUnretained(self).release()
            daemon = nil
        }
    }

    static func fromOpaque(_ pointer: UnsafeMutableRawPointer) -> HTTPServer {
        Unmanaged<HTTPServer>.fromOpaque(pointer).takeUnretainedValue()
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// SIGTERM / SIGINT as an orderly stop: block them in every thread (call before any thread starts),
/// then wait for one on the main thread.
public enum TerminationSignals {
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Blocks until SIGTERM or SIGINT arrives; returns its number.
    public static func wait() -> Int32 {
        var set = signalSet()
        var received: Int32 = 0
        sigwait(&set, &received)
        return received
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }
}
