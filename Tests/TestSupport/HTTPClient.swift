import Foundation
import Glibc
import XCTest

/// A deliberately small HTTP/1.1 client over a real socket, so tests see exactly what the
/// server sends (status, headers, early 413s) without a client library in between.
public struct HTTPResult: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    // Reading the body: HTTPResult+Decode.swift (typed shapes, JSONValue, the error body).

}

public struct HTTPClientError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

public enum HTTPClient {
    /// One request on a fresh connection to 127.0.0.1:`port`.
    public static func send(port: UInt16, _ method: String, _ path: String, headers: [(String, String)] = [],
                            body: [UInt8]? = nil, chunked: Bool = false, timeout: Int = 10) throws -> HTTPResult {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPClientError(description: "socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPClientError(description: "connect failed: errno \(errno)") }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var payload: [UInt8] = []
        if let body {
            if chunked {
                head += "Transfer-Encoding: chunked\r\n"
                var offset = 0
                while offset < body.count {
                    let piece = body[offset..<min(offset + 16_384, body.count)]
                    payload += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8)
                    offset += piece.count
                }
                payload += Array("0\r\n\r\n".utf8)
            } else {
                head += "Content-Length: \(body.count)\r\n"
                payload = body
            }
        }
        head += "\r\n"
        // The server may answer (413) and close before reading everything: a failed write is not an error.
        _ = writeAll(fd, Array(head.utf8) + payload)

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { received += buffer[0..<n] } else { break }
            if let parsed = parse(received), parsed.complete { return conforming(parsed.result, method, path) }
        }
        guard let parsed = parse(received) else {
            throw HTTPClientError(description: "no HTTP response (\(received.count) bytes)")
        }
        return conforming(parsed.result, method, path)
    }

    /// The answer of an API route, checked against the contract (Sources/HuiyinWeb/openapi.json):
    /// one that breaks it fails the running test, naming route, status and JSON pointers. XCTFail, not
    /// a throw, so that a call made under `try?` (load and failover tests) cannot hide it.
    private static func conforming(_ result: HTTPResult, _ method: String, _ path: String) -> HTTPResult {
        do {
            try OpenAPIContract.check(method: method, path: path, status: result.status, headers: result.headers, body: result.body)
        } catch {
            XCTFail(String(describing: error))
        }
        return result
    }

    /// Connects to 127.0.0.1:`port`; the caller closes the descriptor.
    public static func connect(port: UInt16, timeout: Int = 10) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPClientError(description: "socket failed") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw HTTPClientError(description: "connect failed: errno \(errno)") }
        return fd
    }

    /// Sends `bytes` exactly as given (a hand-made request head) and reads the answer until the server closes.
    public static func raw(port: UInt16, _ bytes: [UInt8], timeout: Int = 10) throws -> HTTPResult {
        let fd = try connect(port: port, timeout: timeout)
        defer { close(fd) }
        _ = writeAll(fd, bytes)
        let result = try readResponse(fd)
        // A hand-made head is checked too when its request line is readable ("GET /api/... HTTP/1.1").
        let line = String(decoding: bytes.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        guard line.count == 3 else { return result }
        return conforming(result, String(line[0]), String(line[1]))
    }

    public static func raw(port: UInt16, _ text: String, timeout: Int = 10) throws -> HTTPResult {
        try raw(port: port, Array(text.utf8), timeout: timeout)
    }

    /// Reads one response from `fd` (until it is complete or the server closes).
    public static func readResponse(_ fd: Int32) throws -> HTTPResult {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { received += buffer[0..<n] } else { break }
            if let parsed = parse(received), parsed.complete { return parsed.result }
        }
        guard let parsed = parse(received) else {
            throw HTTPClientError(description: "no HTTP response (\(received.count) bytes)")
        }
        return parsed.result
    }

    public static func json(port: UInt16, _ method: String, _ path: String, token: String? = nil,
                            headers: [(String, String)] = [], _ object: Any) throws -> HTTPResult {
        var all = headers + [("Content-Type", "application/json")]
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        let body = try JSONSerialization.data(withJSONObject: object)
        return try send(port: port, method, path, headers: all, body: Array(body))
    }

    public static func get(port: UInt16, _ path: String, token: String? = nil, headers: [(String, String)] = []) throws -> HTTPResult {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return try send(port: port, "GET", path, headers: all)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func parse(_ bytes: [UInt8]) -> (result: HTTPResult, complete: Bool)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            // Repeated headers (Set-Cookie) are kept, one value per line.
            let name = line[..<colon].lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + "\n" + value } ?? value
        }
        let body = Array(bytes[(end + 4)...])
        let length = headers["content-length"].flatMap { Int($0) } ?? body.count
        return (HTTPResult(status: status, headers: headers, body: Array(body.prefix(length))), body.count >= length)
    }
}
