/// How the server listens and how much it accepts.
public struct ServerConfiguration: Sendable {
    /// IPv4 address to bind.
    public var host: String
    /// 0 asks the kernel for a free port; `HTTPServer.port` tells which.
    public var port: UInt16
    /// Worker threads of libmicrohttpd's internal pool; each runs handlers synchronously.
    public var workers: Int
    /// Largest request body accepted; a larger one is answered 413 without reading on.
    public var bodyLimit: Int
    /// Idle connections are closed after this many seconds.
    public var connectionTimeout: Int
    public var connectionLimit: Int
    /// How long `stop()` waits for in-flight requests before closing connections anyway.
    public var shutdownGraceSeconds: Double

    public init(host: String = "127.0.0.1", port: UInt16 = 8080, workers: Int = 16, bodyLimit: Int = 1 << 20,
                connectionTimeout: Int = 30, connectionLimit: Int = 4096, shutdownGraceSeconds: Double = 10) {
        self.host = host
        self.port = port
        self.workers = workers
        self.bodyLimit = bodyLimit
        self.connectionTimeout = connectionTimeout
        self.connectionLimit = connectionLimit
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }
}
