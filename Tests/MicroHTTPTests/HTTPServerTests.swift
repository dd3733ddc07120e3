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
