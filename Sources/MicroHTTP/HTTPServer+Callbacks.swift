import CMicroHTTPD
import Glibc

// libmicrohttpd's C callbacks. They live here, in an ordinary file, so they are nonisolated:
// closures in main.swift would inherit @MainActor and trap on MHD's worker threads.

/// Per-request state kept in MHD's `req_cls`: retained on the first call, released when the request completes.
final class RequestState {
    let request: Request
    var answered = false
    /// The body outgrew the limit mid-upload; MHD accepts a response only once the upload ends.
    var tooLarge = false
    init(_ request: Request) { self.request = request }
}

/// Called once after the head, once per body chunk, and once at the end of the body.
let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, reqCls in
    guard let cls, let connection, let url, let method, let uploadSize, let reqCls else { return .NO }
    let server = HTTPServer.fromOpaque(cls)
    guard let existing = reqCls.pointee else {
        let request = Request(method: String(cString: method), path: String(cString: url),
                              headers: collect(connection, .HEADER_KIND, lowercasingKeys: true),
                              query: collect(connection, .GET_ARGUMENT_KIND, lowercasingKeys: false),
                              remoteAddress: clientAddress(connection))
        let state = RequestState(request)
        reqCls.pointee = Unmanaged.passRetained(state).toOpaque()
        server.inFlight.add(1, ordering: .relaxed)
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
        if state.answered || state.tooLarge { return .YES }  // discarded, never buffered
        if state.request.body.count + chunk > server.configuration.bodyLimit {
            // A chunked upload past the limit (its size was not declared): drop what was buffered,
            // discard the rest, and answer 413 when it ends.
            state.tooLarge = true
            state.request.body = []
            return .YES
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
    let handle = state.tooLarge ? server.payloadTooLarge : server.handler
    return queue(handle(state.request), on: connection)
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
    let lowercasingKeys: Bool
    init(lowercasingKeys: Bool) { self.lowercasingKeys = lowercasingKeys }
}

private func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind, lowercasingKeys: Bool) -> [String: String] {
    let collector = Collector(lowercasingKeys: lowercasingKeys)
    withExtendedLifetime(collector) {
        _ = MHD_get_connection_values(connection, kind, collectValue, Unmanaged.passUnretained(collector).toOpaque())
    }
    return collector.values
}

private let collectValue: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<Collector>.fromOpaque(cls).takeUnretainedValue()
    let name = String(cString: key)
    collector.values[collector.lowercasingKeys ? name.lowercased() : name] = value.map { String(cString: $0) } ?? ""
    return .YES
}

private func clientAddress(_ connection: OpaquePointer) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        mhd_shim_client_address(connection, buffer.baseAddress, socklen_t(buffer.count))
        return String(cString: buffer.baseAddress!)
    }
}
