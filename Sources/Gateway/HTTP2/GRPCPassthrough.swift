import HTTP2Transport

/// Native gRPC through the gateway: an HTTP/2 stream with `content-type: application/grpc…`
/// goes untouched to the backend serving its `/package.Service/Method` (``BackendDirectory``):
/// header fields minus connection-specific ones (RFC 9113 §8.2.2), DATA bytes both ways without
/// deframing or transcoding, then the backend's trailers (gRPC `doc/PROTOCOL-HTTP2.md`).
///
/// Backpressure holds both ways: the client's DATA is credited only as the backend call takes
/// it (``GRPCClientCall/send(_:)`` waits while the backend's window is shut), and the backend's
/// only as the client's window lets it out (``HTTP2ResponseWriter/writeData(_:endStream:)``).
/// The deadline is the client's `grpc-timeout` (else the default), capped like REST calls.
/// A path no backend serves is answered Trailers-Only `UNIMPLEMENTED` by the gateway.
struct GRPCPassthrough: Sendable {
    let backends: BackendDirectory
    let configuration: GatewayConfiguration
    let remoteAddress: String?
    /// The connection's event loop as a task executor: the upload task runs there like the
    /// handler (nil: Swift's cooperative pool).
    var executor: (any TaskExecutor)? = nil

    /// Request fields not forwarded: connection-specific ones, those the call sets itself
    /// (`te`, `grpc-timeout`), and `host` (`:authority` is the backend's).
    static let droppedRequestFields: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "host",
        "grpc-timeout", "content-length", "x-forwarded-for",
    ]

    /// `application/grpc`, `application/grpc+proto`, `application/grpc;…` — but not gRPC-Web,
    /// which is a different protocol (gRPC `doc/PROTOCOL-WEB.md`).
    /// ASCII case-insensitive on the UTF-8 bytes, with no string made per request.
    static func isGRPC(_ contentType: String) -> Bool {
        let media = contentType.utf8.lazy.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        guard media.starts(with: "application/grpc".utf8) else { return false }
        guard let next = media.dropFirst("application/grpc".utf8.count).first else { return true }
        return next == UInt8(ascii: "+") || next == UInt8(ascii: ";")
    }

    /// What the access log records of a proxied call.
    struct Outcome: Sendable {
        var response: GatewayResponse
        var bytes: Int
    }

    /// Proxies one call and returns how it ended.
    func proxy(_ request: HTTP2ServerRequest, writer: HTTP2ResponseWriter) async -> Outcome {
        let path = request.path
        guard request.method == "POST", let service = Self.service(ofPath: path) else {
            return await trailersOnly(
                GRPCStatus(.unimplemented, "\(request.method) \(path) is not a gRPC method"), writer)
        }
        guard let channel = backends.channel(forService: service) else {
            return await trailersOnly(GRPCStatus(.unimplemented, "no backend serves \(service)"), writer)
        }
        var options = GRPCCallOptions(timeout: configuration.defaultTimeout)
        if let header = request.headers[first: "grpc-timeout"] {
            guard let given = GRPCTimeout.parse(header) else {
                return await trailersOnly(GRPCStatus(.internal, "malformed grpc-timeout '\(header)'"), writer)
            }
            options.timeout = given
        }
        options.timeout = min(options.timeout!, configuration.maximumTimeout)
        options.passthrough = true
        let call = channel.makeCall(path: path, metadata: metadata(of: request.headers), options: options)
        // The client's DATA goes up on the connection's loop, as the answer comes down: on the
        // cooperative pool every chunk and every credit would cross threads twice.
        let upload = Task(executorPreference: executor) {
            do {
                for try await chunk in request.body { try await call.send(chunk) }
                try await call.finish()
            } catch {
                call.cancel()  // the client reset its stream, or the call already ended
            }
        }
        defer { upload.cancel() }
        return await relayResponse(of: call, to: writer, path: path)
    }

    private func relayResponse(of call: GRPCClientCall, to writer: HTTP2ResponseWriter, path: String) async -> Outcome {
        let headers: HTTP2Headers
        do {
            headers = try await call.headers
        } catch {
            // No response at all (unreachable backend, deadline): the call's status, Trailers-Only.
            return await trailersOnly((await call.result).status, writer, rpc: path)
        }
        var response = HTTP2Headers()
        response.add(name: ":status", value: headers[first: ":status"] ?? "200")
        for field in headers
        where !field.name.hasPrefix(":") && !HTTP2FrontEnd.connectionSpecificFields.contains(field.name) {
            response.add(name: field.name, value: field.value)
        }
        if headers[first: "grpc-status"] != nil {
            // The backend answered Trailers-Only: so do we, with its fields as they were.
            try? await writer.writeHeaders(response, endStream: true)
            return outcome(GRPCStatus(trailers: headers, httpStatus: 200), rpc: path, bytes: 0)
        }
        do {
            try await writer.writeHeaders(response)
        } catch {
            call.cancel()
            return outcome(GRPCStatus(.cancelled, "the client went away"), rpc: path, bytes: 0)
        }
        var bytes = 0
        do {
            for try await chunk in call.responses {
                try await writer.writeData(chunk)
                bytes += chunk.count
            }
        } catch is HTTP2Error {
            call.cancel()  // the client's stream is gone
            return outcome(GRPCStatus(.cancelled, "the client went away"), rpc: path, bytes: bytes)
        } catch {
            // The call failed; its status goes out below.
        }
        let result = await call.result
        var trailers = HTTP2Headers()
        if result.trailers.isEmpty {
            trailers = result.status.trailerFields  // made here: deadline, lost connection, reset
        } else {
            for field in result.trailers where !field.name.hasPrefix(":") {
                trailers.add(name: field.name, value: field.value)
            }
        }
        try? await writer.writeTrailers(trailers)
        return outcome(result.status, rpc: path, bytes: bytes)
    }

    /// A gateway-made Trailers-Only answer (HTTP 200, status in the only header section).
    private func trailersOnly(_ status: GRPCStatus, _ writer: HTTP2ResponseWriter, rpc: String? = nil) async -> Outcome
    {
        var headers: HTTP2Headers = [(":status", "200"), ("content-type", "application/grpc")]
        headers.add(contentsOf: status.trailerFields)
        try? await writer.writeHeaders(headers, endStream: true)
        return outcome(status, rpc: rpc, bytes: 0)
    }

    private func outcome(_ status: GRPCStatus, rpc: String?, bytes: Int) -> Outcome {
        var response = GatewayResponse(status: 200, headers: [("content-type", "application/grpc")])
        response.grpcCode = status.code.rawValue
        response.rpc = rpc.map { String($0.dropFirst()) }
        return Outcome(response: response, bytes: bytes)
    }

    /// The request's fields as backend metadata, plus `x-forwarded-for`.
    private func metadata(of headers: HTTP2Headers) -> HTTP2Headers {
        var metadata = HTTP2Headers()
        var forwardedFor: String?
        for field in headers where !field.name.hasPrefix(":") {
            if field.name == "x-forwarded-for" { forwardedFor = field.value }
            if Self.droppedRequestFields.contains(field.name) { continue }
            metadata.add(name: field.name, value: field.value)
        }
        if let remoteAddress {
            metadata.add(
                name: "x-forwarded-for", value: forwardedFor.map { "\($0), \(remoteAddress)" } ?? remoteAddress)
        } else if let forwardedFor {
            metadata.add(name: "x-forwarded-for", value: forwardedFor)
        }
        return metadata
    }

    /// `example.v1.Shop` of `/example.v1.Shop/Buy`; nil unless the path has that shape.
    static func service(ofPath path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return String(parts[1])
    }
}
