import CMicroHTTPD
import Glibc

// libmicrohttpd's C callbacks. They live here, in an ordinary file, so they are nonisolated:
// closures in main.swift would inherit @MainActor and trap on MHD's worker threads.

/// Per-request state kept in MHD's `req_cls`: retained on the first call, released when the request completes.
final class RequestState {
    let request: Request
    var answered = false
    init(_ request: Request) { self.request = request }
}

/// Called once after the head, once per body chunk, and once at the end of the body.
let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, version, uploadData, uploadSize, reqCls in
    guard let cls, let connection, let url, let method, let uploadSize, let reqCls else { return .NO }
    let server = HTTPServer.fromOpaque(cls)
    guard let existing = reqCls.pointee else {
        let headers = collect(connection, .HEADER_KIND, lowercasingKeys: true)
        let request = Request(method: String(cString: method), path: String(cString: url),
                              headers: headers.values,
                              query: collect(connection, .GET_ARGUMENT_KIND, lowercasingKeys: false).values,
                              remoteAddress: clientAddress(connection))
        let state = RequestState(request)
        reqCls.pointee = Unmanaged.passRetained(state).toOpaque()
        server.inFlight.add(1, ordering: .relaxed)
        if let problem = MalformedRequest.find(version: version.map { String(cString: $0) } ?? "",
                                               headers: headers.values, contentLengths: headers.contentLengths) {
            state.answered = true  // answered from the head alone; the connection closes after it
            var response = server.malformed(request, problem)
            response.headers.append(("Connection", "close"))
            return queue(response, on: connection)
        }
        if let declared = request.contentLength, declared > server.configuration.bodyLimit {
            state.answered = true  // refuse before reading the body; MHD closes the connection after
            return queue(server.payloadTooLarge(request), on: connection)
        }
        return .YES  // headers only: answer on a later call (keeps keep-alive working)
    }
    let state = Unmanaged<RequestState>.fromOpaque(existing).takeUnretainedValue()
    let chunk = uploadSize.pointee
    if chunk > 0 {
        uploadSize.pointee = 0
        if state.answered { return .YES }  // discarded, never buffered
        if state.request.body.count + chunk > server.configuration.bodyLimit {
            // A chunked upload past the limit (its size was not declared). MHD takes a response only once
            // the upload has ended, which an endless stream never does: so write the 413 on the socket
            // ourselves and abort the connection here, without reading another byte.
            state.answered = true
            state.request.body = []
            sendDirectly(server.payloadTooLarge(state.request), on: connection)
            return .NO
        }
        if let uploadData {
            uploadData.withMemoryRebound(to: UInt8.self, capacity: chunk) {
                state.request.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: chunk))
            }
        }
        return .YES
    }
    if state.answered { return .YES }
    state.answered = true
    return queue(server.handler(state.request), on: connection)
}

/// Fires for every request that got a `req_cls`, also when the client went away.
let requestCompleted: MHD_RequestCompletedCallback = { cls, _, reqCls, _ in
    guard let cls, let reqCls, let state = reqCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(state).release()
    reqCls.pointee = nil
    HTTPServer.fromOpaque(cls).inFlight.subtract(1, ordering: .releasing)
}

private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
    let created = response.body.withUnsafeBytes { bytes in
        MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                        .RESPMEM_MUST_COPY)
    }
    guard let created else { return .NO }
    for header in response.headers {
        MHD_add_response_header(created, header.name, header.value)
    }
    let result = MHD_queue_response(connection, UInt32(response.status), created)
    MHD_destroy_response(created)
    return result
}

private final class Collector {
    var values: [String: String] = [:]
    /// Every Content-Length the client sent (a repeated header stays visible here).
    var contentLengths: [String] = []
    let lowercasingKeys: Bool
    init(lowercasingKeys: Bool) { self.lowercasingKeys = lowercasingKeys }
}

private func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind, lowercasingKeys: Bool) -> Collector {
    let collector = Collector(lowercasingKeys: lowercasingKeys)
    withExtendedLifetime(collector) {
        _ = MHD_get_connection_values_n(connection, kind, collectValue, Unmanaged.passUnretained(collector).toOpaque())
    }
    return collector
}

/// Sized values, so a decoded `%00` in a query argument stays in the string (for the application to
/// refuse) instead of silently cutting it short.
private let collectValue: MHD_KeyValueIteratorN = { cls, _, key, keySize, value, valueSize in
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<Collector>.fromOpaque(cls).takeUnretainedValue()
    let name = sizedString(key, keySize)
    let text = value.map { sizedString($0, valueSize) } ?? ""
    let keyName = collector.lowercasingKeys ? name.lowercased() : name
    if keyName == "content-length" { collector.contentLengths.append(text) }
    collector.values[keyName] = text
    return .YES
}

private func sizedString(_ pointer: UnsafePointer<CChar>, _ size: Int) -> String {
    pointer.withMemoryRebound(to: UInt8.self, capacity: size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
    }
}

/// Writes a whole response straight to the connection's socket (used only when MHD cannot queue one:
/// mid-upload). Best effort: the connection is aborted right after.
private func sendDirectly(_ response: Response, on connection: OpaquePointer) {
    let fd = mhd_shim_connection_fd(connection)
    guard fd >= 0 else { return }
    var head = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
    for header in response.headers where header.name.lowercased() != "content-length" && header.name.lowercased() != "connection" {
        head += "\(header.name): \(header.value)\r\n"
    }
    head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
    let bytes = Array(head.utf8) + response.body
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        if n <= 0 { break }
        offset += n
    }
    shutdown(fd, Int32(SHUT_WR))
}

private func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 400: return "Bad Request"
    case 413: return "Content Too Large"
    default: return "Error"
    }
}

private func clientAddress(_ connection: OpaquePointer) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        mhd_shim_client_address(connection, buffer.baseAddress, socklen_t(buffer.count))
        return String(cString: buffer.baseAddress!)
    }
}
