import HTTP2Transport

/// The handler our server-role tests serve:
/// - `/echo`: 200, the request body back, and trailers `x-body-bytes` and the request's trailers;
/// - `/interop.Test/Unary`, `/interop.Test/Bidi`: gRPC echo, one response message per request message;
/// - `/interop.Test/Slow`: the gRPC echo after 300 ms;
/// - `/interop.Test/Fail`: a trailers-only gRPC response with NOT_FOUND;
/// - `/interop.Test/Early`: a complete gRPC response (one 100 KB message, OK) without reading the request;
/// - anything else: 404.
enum TestBackend {
    static let handler: HTTP2Server.Handler = { request, response in
        do {
            switch request.path {
            case "/echo":
                let body = try await request.body.collect(upTo: 16 << 20)
                try await response.writeHeaders([(":status", "200"), ("content-type", "application/octet-stream")])
                try await response.writeData(body)
                var trailers: HTTP2Headers = [("x-body-bytes", String(body.count))]
                if let requestTrailers = await request.trailers { trailers.add(contentsOf: requestTrailers) }
                try await response.writeTrailers(trailers)
            case "/interop.Test/Unary", "/interop.Test/Bidi":
                try await grpcEcho(request, response)
            case "/interop.Test/Slow":
                try await Task.sleep(for: .milliseconds(300))
                try await grpcEcho(request, response)
            case "/interop.Test/Fail":
                try await response.writeHeaders(
                    [(":status", "200"), ("content-type", "application/grpc")]
                        + GRPCStatus(.notFound, "no such thing ✓").trailerFields.fields.map { ($0.name, $0.value) },
                    endStream: true)
            case "/interop.Test/Early":
                try await response.writeResponse(
                    headers: [(":status", "200"), ("content-type", "application/grpc")],
                    body: try GRPCMessageFramer().frame(earlyReply), trailers: GRPCStatus.ok.trailerFields)
            default:
                try await response.writeHeaders([(":status", "404")], endStream: true)
            }
        } catch {
            response.reset(.internalError)
        }
    }

    static let earlyReply = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    static func grpcEcho(_ request: HTTP2ServerRequest, _ response: HTTP2ResponseWriter) async throws {
        let encoding = try GRPCEncoding.parse(request.headers[first: "grpc-encoding"], code: .unimplemented)
        var deframer = GRPCMessageDeframer(maxMessageSize: 16 << 20, encoding: encoding)
        let framer = GRPCMessageFramer()
        try await response.writeHeaders([(":status", "200"), ("content-type", "application/grpc")])
        for try await chunk in request.body {
            deframer.append(chunk)
            while let message = try deframer.next() {
                try await response.writeData(try framer.frame(message))
            }
        }
        try deframer.finish()
        try await response.writeTrailers(GRPCStatus.ok.trailerFields)
    }
}

extension HTTP2Headers {
    static func + (lhs: HTTP2Headers, rhs: [(String, String)]) -> HTTP2Headers {
        var result = lhs
        for (name, value) in rhs { result.add(name: name, value: value) }
        return result
    }
}
