import HTTP2Transport

extension HTTP2FrontEnd {
    /// Fields that are connection-specific in HTTP/1.1 and malformed in HTTP/2 (RFC 9113 §8.2.2).
    static let connectionSpecificFields: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    ]

    /// Writes a pipeline response on a stream and returns the body bytes sent.
    ///
    /// A complete body goes out in one hop with `content-length`. A streamed body is sent chunk
    /// by chunk; each write returns only when flow control has let the chunk out, and only then
    /// is the next pulled, so a client that stops reading stops the backend stream. With
    /// `acceptsTrailers`, the gRPC outcome (`grpc-status`, `grpc-message`, trailing metadata)
    /// ends the stream as a trailer section; otherwise the body's end does.
    static func write(
        _ response: GatewayResponse, to writer: HTTP2ResponseWriter, isHead: Bool, acceptsTrailers: Bool
    ) async -> Int {
        var headers: HTTP2Headers = [(":status", String(response.status))]
        for (name, value) in response.headers {
            let name = name.lowercased()
            if connectionSpecificFields.contains(name) || name == "content-length" { continue }
            headers.add(name: name, value: value)
        }
        guard let chunks = response.chunks, !isHead else {
            let body = isHead ? [] : response.body
            let trailers =
                acceptsTrailers && !isHead && !response.trailers.isEmpty
                ? HTTP2Headers(response.trailers.map { ($0.name, $0.value) }) : nil
            // With trailers to follow, the frames delimit the body: some clients (curl) stop
            // reading once `content-length` bytes are in and never see the trailers.
            if trailers == nil { headers.add(name: "content-length", value: String(response.body.count)) }
            try? await writer.writeResponse(headers: headers, body: body, trailers: trailers)
            return body.count
        }
        do {
            try await writer.writeHeaders(headers)
        } catch {
            return 0
        }
        var bytes = 0
        var clientGone = false
        for await chunk in chunks {
            if clientGone { continue }
            do {
                try await writer.writeData(chunk)
                bytes += chunk.count
            } catch {
                // The stream is gone: cancelling ends the chunk stream, which cancels the call.
                clientGone = true
                withUnsafeCurrentTask { $0?.cancel() }
            }
        }
        if clientGone { return bytes }
        let trailers = response.streamedTrailers?() ?? response.trailers
        if acceptsTrailers && !trailers.isEmpty {
            try? await writer.writeTrailers(HTTP2Headers(trailers.map { ($0.name, $0.value) }))
        } else {
            try? await writer.writeData([], endStream: true)
        }
        return bytes
    }
}
