// libFuzzer entry point for the gateway's request path: whatever bytes an HTTP/1.1 client sends.
// Built by scripts/fuzz-gateway.sh (its own package, `-sanitize=fuzzer,address`).
//
// The input's first byte picks the chunk size the bytes are fed in and the JSON options; the rest
// is a request stream. NIO's HTTP/1.1 parser (the one `serve` runs) turns it into requests, each
// goes through the pipeline's sans-I/O core (`prepare`: routing, body limit, media type, JSON →
// protobuf, path and query binding, metadata, deadline) and its answer side: an error becomes
// `errorResponse`, a prepared call gets `successResponse` with its own request bytes standing in
// for the backend's reply (any bytes, valid or not for the reply type). Every answer is then
// written with NIO's HTTP/1.1 response encoder and parsed back.
//
// Invariants: nothing traps, over-reads, hangs or grows without bound; every answer is a
// well-formed HTTP/1.1 response whose content-length matches its body; every non-2xx answer and
// every JSON answer has a body that parses as JSON, and a non-2xx one is an object with a numeric
// `code` and a string `message` (google.rpc.Status).

import Foundation
import Gateway
import HTTP2Transport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Transcoder

nonisolated(unsafe) private var pipelines: [GatewayPipeline] = []

private func makePipelines() -> [GatewayPipeline] {
    let path = ProcessInfo.processInfo.environment["FUZZ_DESCRIPTOR_SET"] ?? "protos/descriptors/bookstore.pb"
    guard let pool = try? SchemaLoader.loadDescriptorSets(paths: [path]), let routes = try? RouteTable(pool: pool) else {
        fatalError("cannot load \(path); run from the repository root or set FUZZ_DESCRIPTOR_SET")
    }
    let loop = EmbeddedEventLoop()
    return (0..<4).map { variant in
        var configuration = GatewayConfiguration()
        configuration.maximumBodySize = variant & 1 == 0 ? 4096 : 64
        configuration.json.ignoreUnknownFields = variant & 2 != 0
        configuration.json.emitDefaults = variant & 2 != 0
        return GatewayPipeline(
            routes: routes, backends: BackendDirectory(targets: [], group: loop), configuration: configuration)
    }
}

/// SwiftPM links an executable target's entry point as `<Target>_main` (aliased to `main`); with
/// `-parse-as-library` there is none, so this one hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("GatewayFuzzer_main")
public func gatewayFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzzerTestOneInput(data, size)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    if pipelines.isEmpty { pipelines = makePipelines() }
    let pipeline = pipelines[Int(data[0] & 3)]
    let chunkSize = Int(data[0] >> 2) + 1
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
    defer { _ = try? channel.finish() }
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var index = 0
    while index < input.count {
        let end = min(index + chunkSize, input.count)
        do {
            try channel.writeInbound(channel.allocator.buffer(bytes: input[index..<end]))
        } catch {
            // What HTTP1RequestHandler answers for a request the parser rejects.
            check(pipeline.errorResponse(.malformedRequest("malformed HTTP request: \(error)"), requestID: nil))
            return 0
        }
        index = end
        while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let received):
                head = received
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                if let head { answer(head: head, body: body, pipeline: pipeline) }
                head = nil
            }
        }
    }
    return 0
}

/// The pipeline's sans-I/O answer to one complete request.
private func answer(head: HTTPRequestHead, body: [UInt8], pipeline: GatewayPipeline) {
    guard body.count <= pipeline.configuration.maximumBodySize else {
        check(pipeline.errorResponse(.payloadTooLarge(limit: pipeline.configuration.maximumBodySize), requestID: nil))
        return
    }
    let request = GatewayRequest(
        method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body,
        remoteAddress: "127.0.0.1")
    do {
        let call = try pipeline.prepare(request, requestID: "fuzz")
        _ = StreamingFormat(accept: request.header("accept"))
        check(
            pipeline.successResponse(
                for: call, reply: GRPCUnaryResponse(message: call.message, headers: call.metadata, trailers: [])))
        check(pipeline.errorResponse(status: GRPCStatus(.internal, String(decoding: body, as: UTF8.self)), requestID: "fuzz"))
    } catch {
        check(pipeline.errorResponse(error, requestID: nil))
    }
}

/// Writes `response` as HTTP1RequestHandler does, parses it back, and checks the invariants.
private func check(_ response: GatewayResponse) {
    var headers = HTTPHeaders()
    for (name, value) in response.headers { headers.add(name: name, value: value) }
    headers.add(name: "content-length", value: String(response.body.count))
    let encoder = EmbeddedChannel(handler: HTTPResponseEncoder())
    defer { _ = try? encoder.finish() }
    let status = HTTPResponseStatus(statusCode: response.status)
    do {
        try encoder.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        try encoder.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(encoder.allocator.buffer(bytes: response.body))))
        try encoder.writeOutbound(HTTPServerResponsePart.end(nil))
    } catch {
        fatalError("the response encoder refused \(response.status) \(response.headers): \(error)")
    }
    var wire: [UInt8] = []
    while var buffer = try? encoder.readOutbound(as: ByteBuffer.self) {
        wire += buffer.readBytes(length: buffer.readableBytes) ?? []
    }
    // A client's view: the decoder pairs each response with a request it saw go out.
    let decoder = EmbeddedChannel()
    defer { _ = try? decoder.finish() }
    do {
        try decoder.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
        try decoder.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .fireError)))
        try decoder.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        try decoder.writeOutbound(HTTPClientRequestPart.end(nil))
        try decoder.writeInbound(decoder.allocator.buffer(bytes: wire))
    } catch {
        fatalError("not a well-formed HTTP/1.1 response (\(error)): \(String(decoding: wire, as: UTF8.self))")
    }
    var parsedStatus: Int?
    var parsedBody: [UInt8] = []
    var ended = false
    while let part = try? decoder.readInbound(as: HTTPClientResponsePart.self) {
        switch part {
        case .head(let head): parsedStatus = Int(head.status.code)
        case .body(var buffer): parsedBody += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end: ended = true
        }
    }
    guard ended, parsedStatus == response.status, parsedBody == response.body, (100...599).contains(response.status) else {
        fatalError("the response did not round-trip: \(String(decoding: wire, as: UTF8.self))")
    }
    let isJSON = response.header("content-type") == "application/json"
    guard isJSON || (200...299).contains(response.status) else {
        fatalError("a \(response.status) answer that is not JSON: \(response.headers)")
    }
    guard isJSON else { return }
    guard let json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]) else {
        fatalError("a JSON answer that does not parse: \(String(decoding: response.body, as: UTF8.self))")
    }
    if !(200...299).contains(response.status) {
        guard let object = json as? [String: Any], object["code"] is NSNumber, object["message"] is String else {
            fatalError("an error answer that is not google.rpc.Status: \(String(decoding: response.body, as: UTF8.self))")
        }
    }
}
