import Foundation
import HTTP2Transport
import NIOCore
import ProtoWire
import Synchronization
import Transcoder

/// A golden scenario's gRPC backend: in-process, on ``HTTP2Server`` over loopback. It records
/// what it receives and answers with the scenario's ``GoldenReply``, including faults a real
/// server cannot be made to produce (malformed frames, resets mid-stream, missing
/// `grpc-status`, non-gRPC HTTP answers).
final class GoldenBackend: Sendable {
    /// One call as the backend saw it.
    struct Received: Sendable {
        var headers: HTTP2Headers
        var messages: [[UInt8]]
    }

    let server: HTTP2Server
    private let log: CallLog

    var calls: [Received] { log.calls.withLock { $0 } }
    var port: Int { server.port }

    private init(server: HTTP2Server, log: CallLog) {
        self.server = server
        self.log = log
    }

    static func start(reply: GoldenReply, codec: ProtoJSONCodec, group: any EventLoopGroup) async throws -> GoldenBackend {
        let log = CallLog()
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group) {
            request, response in
            var deframer = GRPCMessageDeframer(
                maxMessageSize: 16 << 20, encoding: request.headers[first: "grpc-encoding"].flatMap(CompressionFormat.init))
            var messages: [[UInt8]] = []
            do {
                for try await chunk in request.body {
                    deframer.append(chunk)
                    while let message = try deframer.next() { messages.append(message) }
                }
            } catch {}
            log.append(Received(headers: request.headers, messages: messages))
            do {
                try await answer(reply, path: request.path, codec: codec, response: response)
            } catch {
                response.reset(.internalError)
            }
        }
        return GoldenBackend(server: server, log: log)
    }

    func shutDown() async { try? await server.shutDown() }

    static func answer(
        _ reply: GoldenReply, path: String, codec: ProtoJSONCodec, response: HTTP2ResponseWriter
    ) async throws {
        if reply.delayMs > 0 { try? await Task.sleep(for: .milliseconds(reply.delayMs)) }
        var headers: HTTP2Headers = [(":status", String(reply.httpStatus))]
        if reply.fault != .http { headers.add(name: "content-type", value: "application/grpc") }
        if reply.compress { headers.add(name: "grpc-encoding", value: "gzip") }
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        var trailers: HTTP2Headers = []
        if reply.fault != .missingStatus { trailers.add(name: "grpc-status", value: String(reply.status)) }
        if let message = reply.statusMessage {
            trailers.add(name: "grpc-message", value: GRPCStatus(.unknown, message).trailerFields[first: "grpc-message"] ?? message)
        }
        if !reply.details.isEmpty {
            trailers.add(name: "grpc-status-details-bin", value: Base64.encode(try statusDetails(reply, codec: codec)))
        }
        for (name, value) in reply.trailers { trailers.add(name: name, value: value) }
        switch reply.fault {
        case .trailersOnly:
            headers.add(contentsOf: trailers)
            try await response.writeHeaders(headers, endStream: true)
            return
        case .http:
            try await response.writeHeaders(headers, endStream: true)
            return
        default:
            break
        }
        let framer = GRPCMessageFramer(compression: reply.compress ? .gzip : nil)
        var frames: [[UInt8]] = []
        let outputIndex = codec.pool.method(named: path.dropFirst().replacingOccurrences(of: "/", with: "."))?.outputIndex
        for json in reply.messages {
            guard let outputIndex else { throw GRPCStatus(.unimplemented, path) }
            frames.append(try framer.frame(try codec.protobuf(fromJSON: Array(json.utf8), messageIndex: outputIndex)))
        }
        for raw in reply.rawMessages { frames.append(try framer.frame(raw)) }
        if let raw = reply.rawBody { frames = [raw] }
        try await response.writeHeaders(headers)
        for (index, frame) in frames.enumerated() {
            if reply.fault == .reset && index == reply.resetAfter { break }
            try await response.writeData(frame)
        }
        if reply.fault == .reset {
            try? await Task.sleep(for: .milliseconds(50))
            response.reset(.internalError)
            return
        }
        try await response.writeTrailers(trailers)
    }

    /// `google.rpc.Status` (code 1, message 2, details 3 as `google.protobuf.Any`) by hand.
    static func statusDetails(_ reply: GoldenReply, codec: ProtoJSONCodec) throws -> [UInt8] {
        var writer = WireWriter()
        writer.writeTag(fieldNumber: 1, wireType: .varint)
        writer.writeVarint(UInt64(reply.status))
        if let message = reply.statusMessage {
            writer.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
            writer.writeString(message)
        }
        for detail in reply.details {
            guard var object = try JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
                let url = object.removeValue(forKey: "@type") as? String,
                let index = codec.pool.messageIndex(named: String(url.split(separator: "/").last ?? ""))
            else { throw GoldenError("reply.json: detail \(detail) needs an @type the schemas define") }
            let json = try JSONSerialization.data(withJSONObject: object)
            var any = WireWriter()
            any.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
            any.writeString(url)
            any.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
            any.writeLengthDelimited(try codec.protobuf(fromJSON: [UInt8](json), messageIndex: index))
            writer.writeTag(fieldNumber: 3, wireType: .lengthDelimited)
            writer.writeLengthDelimited(any.bytes)
        }
        return writer.bytes
    }
}

/// The call log, shared between the server's handler and the runner.
private final class CallLog: Sendable {
    let calls = Mutex<[GoldenBackend.Received]>([])
    func append(_ received: GoldenBackend.Received) { calls.withLock { $0.append(received) } }
}
