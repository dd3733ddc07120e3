import Foundation
import TestSupport
import XCTest
@testable import MicroHTTP

final class HTTPServerTests: XCTestCase {
    func startEcho(bodyLimit: Int = 1024, delay: useconds_t = 0) throws -> HTTPServer {
        let server = HTTPServer(
            configuration: ServerConfiguration(port: 0, workers: 2, bodyLimit: bodyLimit, shutdownGraceSeconds: 5),
            handler: { request in
                if delay > 0 { usleep(delay) }
                let text = "\(request.method) \(request.path) q=\(request.query["q"] ?? "-") x=\(request.header("X-Test") ?? "-") body=\(request.body.count)"
                return Response(status: 200, contentType: "text/plain", body: text)
            },
            payloadTooLarge: { _ in Response(status: 413, contentType: "text/plain", body: "too large") })
        try server.start()
        return server
    }

    func testRequestReachesTheHandlerOverARealSocket() throws {
        let server = try startEcho()
        defer { server.stop() }
        XCTAssertNotEqual(server.port, 0)
        let result = try HTTPClient.send(port: server.port, "POST", "/echo/%E5%A6%87?q=%E8%81%94", headers: [("X-Test", "yes")],
                                         body: Array("hello".utf8))
        XCTAssertEqual(result.status, 200)
        XCTAssertEqual(result.text, "POST /echo/妇 q=联 x=yes body=5")
    }

    func testDeclaredOversizeBodyIsRefusedWithoutReadingIt() throws {
        let server = try startEcho(bodyLimit: 1024)
        defer { server.stop() }
        let result = try HTTPClient.send(port: server.port, "POST", "/x", body: [UInt8](repeating: 65, count: 5_000_000))
        XCTAssertEqual(result.status, 413)
        XCTAssertEqual(try HTTPClient.send(port: server.port, "POST", "/x", body: [UInt8](repeating: 65, count: 1024)).status, 200)
    }

    func testChunkedOversizeBodyIsRefused() throws {
        let server = try startEcho(bodyLimit: 1024)
        defer { server.stop() }
        let result = try HTTPClient.send(port: server.port, "POST", "/x", body: [UInt8](repeating: 65, count: 100_000), chunked: true)
        XCTAssertEqual(result.status, 413)
        let small = try HTTPClient.send(port: server.port, "POST", "/x", body: [UInt8](repeating: 65, count: 1000), chunked: true)
        XCTAssertEqual(small.status, 200)
        XCTAssertTrue(small.text.hasSuffix("body=1000"))
    }

    func testIdleConnectionsAreClosedAfterTheTimeout() throws {
        let server = HTTPServer(configuration: ServerConfiguration(port: 0, workers: 1, connectionTimeout: 1),
                                handler: { _ in Response(status: 200) }, payloadTooLarge: { _ in Response(status: 413) })
        try server.start()
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        var byte: UInt8 = 0
        XCTAssertEqual(read(fd, &byte, 1), 0, "the server closes a silent connection")
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
    }

    func testStopLetsInFlightRequestsFinish() throws {
        let server = try startEcho(delay: 400_000)
        let port = server.port
        let answered = expectation(description: "slow request answered")
        let status = LockedBox<Int>(0)
        Thread.detachNewThread {
            status.value = (try? HTTPClient.send(port: port, "GET", "/slow").status) ?? -1
            answered.fulfill()
        }
        usleep(100_000)  // the request is now inside the handler
        server.stop()
        wait(for: [answered], timeout: 5)
        XCTAssertEqual(status.value, 200, "the in-flight request must complete during a graceful stop")
        XCTAssertThrowsError(try HTTPClient.send(port: port, "GET", "/after"), "no new connections after stop")
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Request heads and bodies an attacker shapes by hand, sent over a raw socket (RFC 9112).
final class HTTPEdgeTests: XCTestCase {
    let handled = LockedBox(0)

    func startEcho(bodyLimit: Int = 1024) throws -> HTTPServer {
        let handled = self.handled
        let server = HTTPServer(
            configuration: ServerConfiguration(port: 0, workers: 2, bodyLimit: bodyLimit, shutdownGraceSeconds: 5),
            handler: { request in
                handled.value += 1
                return Response(status: 200, contentType: "text/plain", body: "body=\(request.body.count)")
            },
            payloadTooLarge: { _ in Response(status: 413, contentType: "text/plain", body: "too large") })
        try server.start()
        return server
    }

    func testHTTP11WithoutHostIs400() throws {
        let server = try startEcho()
        defer { server.stop() }
        let missing = try HTTPClient.raw(port: server.port, "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(handled.value, 0, "the handler never saw it")
        let withHost = try HTTPClient.raw(port: server.port, "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(withHost.status, 200)
        let http10 = try HTTPClient.raw(port: server.port, "GET /x HTTP/1.0\r\n\r\n")
        XCTAssertEqual(http10.status, 200, "HTTP/1.0 has no Host requirement")
    }

    func testConflictingContentLengthsAre400() throws {
        let server = try startEcho()
        defer { server.stop() }
        for lengths in [["5", "10"], ["10", "5"], ["5, 10"], ["+5"]] {
            let head = "POST /x HTTP/1.1\r\nHost: a\r\n" + lengths.map { "Content-Length: \($0)\r\n" }.joined()
            let result = try HTTPClient.raw(port: server.port, head + "Connection: close\r\n\r\nhello")
            XCTAssertEqual(result.status, 400, "\(lengths)")
            if lengths == ["5", "10"] { XCTAssertEqual(result.header("connection")?.lowercased(), "close") }
        }
        XCTAssertEqual(handled.value, 0)
        let same = try HTTPClient.raw(port: server.port, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        XCTAssertEqual(same.status, 200, "the same length twice is one length")
        XCTAssertEqual(same.text, "body=5")
    }

    /// An endless chunked upload: the server must stop reading at the limit and close, not drain it forever.
    func testEndlessChunkedUploadIsCutAtTheLimit() throws {
        let server = try startEcho(bodyLimit: 1024)
        defer { server.stop() }
        let fd = try HTTPClient.connect(port: server.port, timeout: 10)
        defer { close(fd) }
        let head = Array("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        XCTAssertEqual(head.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }, head.count)
        let chunk = Array("4000\r\n".utf8) + [UInt8](repeating: 65, count: 0x4000) + Array("\r\n".utf8)
        let ceiling = 256 << 20  // far beyond any socket buffers: an unbounded reader would take it all
        var sent = 0
        var failure: Int32 = 0
        let started = Date()
        while sent < ceiling {
            let offset = sent % chunk.count  // a partial write continues where it stopped
            let n = chunk[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { failure = errno; break }
            sent += n
        }
        XCTAssertLessThan(sent, ceiling, "the server kept reading an oversize stream")
        XCTAssertTrue([EPIPE, ECONNRESET].contains(failure), "the server closed the connection (errno \(failure))")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(handled.value, 0)
        // What it wrote before closing, if the reset left it readable, is the 413.
        if let answer = try? HTTPClient.readResponse(fd) { XCTAssertEqual(answer.status, 413) }
        // And the server is fine afterwards.
        XCTAssertEqual(try HTTPClient.send(port: server.port, "POST", "/x", body: [1, 2, 3], chunked: true).text, "body=3")
    }
}
