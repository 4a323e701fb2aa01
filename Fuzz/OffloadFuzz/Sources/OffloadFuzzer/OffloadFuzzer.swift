// libFuzzer entry point for the offloading stages (Sources/Gateway/Offload). Built by
// scripts/fuzz-offload.sh with `-sanitize=fuzzer,address`.
//
// The first byte picks the mode (low 2 bits) and a chunk size (high 6 bits + 1); the rest is
// the input:
// - 0: an `Accept-Encoding` value; negotiation must not trap, must pick a supported coding, and
//   must agree with the plain-String oracle (`AcceptEncodingOracle`).
// - 1: `pattern NUL origin`; parsing and matching must not trap, and `*` matches everything.
// - 2: a request body claimed to be gzip (odd chunk size) or deflate: inflating it whole and in
//   chunks must agree (same bytes, or both refused), never exceed the 64 KiB limit, and only
//   throw 400 or 413.
// - 3: a streamed answer split into chunks: compressing each with a sync flush and finishing
//   must inflate back to the input, and every flushed prefix must decode to what was sent.
import Gateway
import HTTP2Transport

/// libFuzzer's driver, called from the executable's entry point.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The entry point SwiftPM links for this executable target (`<Target>_main`); with
/// `-parse-as-library` the module has no top-level code, so it starts libFuzzer here.
@_cdecl("OffloadFuzzer_main")
public func offloadFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzzerTestOneInput(data, size)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0] & 3
    let chunk = Int(data[0] >> 2) + 1
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch mode {
    case 0:
        let header = String(decoding: input, as: UTF8.self)
        let supported: [CompressionFormat] = chunk % 2 == 0 ? [.gzip, .deflate] : [.deflate, .gzip]
        let result = AcceptEncoding(header: header, supported: supported)
        precondition(result.coding == nil || result.coding == .gzip || result.coding == .deflate)
        precondition(result == AcceptEncodingOracle.negotiate(header, supported: supported), "differs from the oracle")
    case 1:
        let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let pattern = String(decoding: parts[0], as: UTF8.self)
        let origin = String(decoding: parts.count > 1 ? parts[1] : [], as: UTF8.self)
        if let parsed = OriginPattern(pattern) {
            let matched = parsed.matches(origin)
            if parsed.isWildcard { precondition(matched) }
            let policy = CORSPolicy(allowedOrigins: [parsed], allowCredentials: chunk % 2 == 0)
            if case .allowed(let headers) = policy.preflight(origin: origin, method: "POST", requestHeaders: origin) {
                precondition(matched)
                let allowOrigin = headers.first { $0.name == "access-control-allow-origin" }?.value
                precondition(!(policy.allowCredentials && allowOrigin == "*"), "never * with credentials")
            }
        }
    case 2:
        let coding = chunk % 2 == 1 ? "gzip" : "deflate"
        let whole = inflate(input, coding: coding, chunk: input.count + 1)
        let chunked = inflate(input, coding: coding, chunk: chunk)
        switch (whole, chunked) {
        case (.success(let a), .success(let b)): precondition(a == b && a.count <= 65_536)
        case (.failure(let a), .failure(let b)):
            precondition(a.httpStatus == b.httpStatus, "\(a) vs \(b)")
            precondition(a.httpStatus == 400 || a.httpStatus == 413, "\(a)")
        default: preconditionFailure("whole \(whole) vs chunked \(chunked)")
        }
    default:
        let format: CompressionFormat = chunk % 2 == 1 ? .gzip : .deflate
        guard let compressor = try? StreamCompressor(format: format, level: 1 + chunk % 9) else { return 0 }
        var stream: [UInt8] = []
        var start = 0
        while start < input.count {
            let end = min(start + chunk, input.count)
            stream += try! compressor.compress(Array(input[start..<end]))
            let partial = Inflater.partial(stream, format: format)
            precondition(partial == Array(input[..<end]), "a flushed prefix does not decode to what was sent")
            start = end
        }
        stream += try! compressor.finish()
        precondition(try! Inflater.decompress(stream, format: format, outputLimit: 1 << 24) == input)
    }
    return 0
}

func inflate(_ input: [UInt8], coding: String, chunk: Int) -> Result<[UInt8], GatewayError> {
    do {
        guard let inflater = try RequestInflater(contentEncoding: coding, limit: 65_536) else { return .success(input) }
        var output: [UInt8] = []
        var start = 0
        while start < input.count {
            let end = min(start + chunk, input.count)
            try inflater.feed(Array(input[start..<end]), into: &output)
            start = end
        }
        try inflater.finish()
        return .success(output)
    } catch {
        return .failure(error)
    }
}

extension Inflater {
    /// What a stream decodes to so far (it has no end yet).
    static func partial(_ stream: [UInt8], format: CompressionFormat) -> [UInt8] {
        let inflater = try! Inflater(format: format, outputLimit: 1 << 24)
        var output: [UInt8] = []
        try! stream.withUnsafeBytes { try inflater.decompress($0, into: &output) }
        return output
    }
}
