// libFuzzer entry point for the server side of HTTP2Transport: whatever a client sends. Built by
// scripts/fuzz-h2.sh together with the sans-I/O sources (Session/, GRPC/, Compression/) as one
// module, with `-sanitize=fuzzer,address`.
//
// The input (after the client connection preface, which is always prepended so the fuzzer spends
// its time past it) is fed to a server `HTTP2Session` in chunks whose sizes come from the input's
// first byte. Every request gets a response with data and trailers, every DATA payload goes
// through the gRPC deframer (gzip when the request says so), and output is drained after every
// chunk. Nothing may trap, over-read, hang or grow without bound.

private let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let chunkSize = Int(data[0] % 64) + 1
    let input = preface + Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var configuration = HTTP2Session.Configuration()
    configuration.maxHeaderListSize = 4096
    configuration.initialStreamWindowSize = 16_384
    guard let session = try? HTTP2Session(role: .server, configuration: configuration) else { return 0 }
    var deframers: [Int32: GRPCMessageDeframer] = [:]
    var index = 0
    while index < input.count {
        let end = min(index + chunkSize, input.count)
        do {
            try session.feed(Array(input[index..<end]))
        } catch {
            _ = try? session.drainOutput()
            return 0
        }
        index = end
        for event in session.takeEvents() {
            switch event {
            case .headers(let id, let headers, .request, _):
                _ = headers[first: "grpc-timeout"].map(GRPCTimeout.parse)
                let encoding = try? GRPCEncoding.parse(headers[first: "grpc-encoding"], code: .unimplemented)
                deframers[id] = GRPCMessageDeframer(maxMessageSize: 65_536, encoding: encoding ?? nil)
                try? session.submitResponse(streamID: id, [(":status", "200"), ("content-type", "application/grpc")], endStream: false)
                try? session.sendData(streamID: id, [0, 0, 0, 0, 1, 42], endStream: false)
                try? session.submitTrailers(streamID: id, GRPCStatus(.ok, "fuzz ✓").trailerFields)
            case .headers(_, let trailers, .trailers, _):
                _ = GRPCStatus(trailers: trailers, httpStatus: nil)
            case .data(let id, let payload, _):
                session.consume(streamID: id, count: payload.count)
                guard var deframer = deframers[id] else { break }
                deframer.append(payload)
                do {
                    while try deframer.next() != nil {}
                    deframers[id] = deframer
                } catch {
                    deframers[id] = nil
                    session.resetStream(streamID: id, errorCode: .cancel)
                }
            case .streamClosed(let id, _):
                deframers[id] = nil
            default:
                break
            }
        }
        guard (try? session.drainOutput()) != nil else { return 0 }
        // Bounded state: the session never tracks more streams than it allows.
        precondition(session.openStreamCount <= Int(configuration.maxConcurrentStreams) + 1)
        // Every DATA byte was consumed as it was reported or credited back by the session: what
        // is held is at most the frame still arriving (a leak grows past it, a double credit
        // goes negative).
        precondition((0...Int(configuration.maxFrameSize)).contains(session.unconsumedDataBytes))
    }
    return 0
}
