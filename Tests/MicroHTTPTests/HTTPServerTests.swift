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
