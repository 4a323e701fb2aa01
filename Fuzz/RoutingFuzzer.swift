// libFuzzer entry point for the router: the path template parser and the matcher with request
// assembly. Built by scripts/fuzz-routing.sh against ProtoWire and Transcoder compiled with
// `-sanitize=fuzzer,address`.
//
// The first byte picks the mode, the rest is the input:
// - even: the bytes are a path template. Parsing must not trap; a parsed template's shape (its
//   variables replaced by their segments) must parse again to the same shape.
// - odd: the bytes are a request target, matched with the method `byte / 2 % 8` picks against
//   the routes of FUZZ_DESCRIPTOR_SET (the "everything" routing schema). Matching must not trap,
//   a match must name a route whose method is the request's, and building its path and query
//   fields must either succeed or throw a RequestBindingError.
import Glibc
import ProtoWire
import Transcoder

nonisolated(unsafe) private var fuzzTable: RouteTable?

private let fuzzMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get"]

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
    guard let path = getenv("FUZZ_DESCRIPTOR_SET"), let file = fopen(path, "rb") else {
        print("set FUZZ_DESCRIPTOR_SET to protos/descriptors/routing.pb")
        exit(2)
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    guard let pool = try? DescriptorPool(fileDescriptorSet: bytes), let table = try? RouteTable(pool: pool) else {
        print("FUZZ_DESCRIPTOR_SET does not give a valid route table")
        exit(2)
    }
    fuzzTable = table
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, let table = fuzzTable else { return 0 }
    let mode = data[0]
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    if mode % 2 == 0 {
        let text = String(decoding: input, as: UTF8.self)
        if let template = try? PathTemplate(parsing: text) {
            guard let again = try? PathTemplate(parsing: template.shape), again.shape == template.shape else {
                fatalError("shape of \(text) does not parse back: \(template.shape)")
            }
        }
        return 0
    }
    let method = fuzzMethods[Int(mode / 2) % fuzzMethods.count]
    let lookup = method.utf8.withContiguousStorageIfAvailable {
        table.lookup(method: UnsafeRawBufferPointer($0), target: input)
    }!
    switch lookup {
    case .matched(let match):
        let route = table.routes[match.routeIndex]
        if route.httpMethod != method { fatalError("\(method) matched a \(route.httpMethod) route") }
        var writer = WireWriter()
        do {
            try table.appendPathAndQueryFields(of: match, target: input, into: &writer)
        } catch {
            _ = error.description
        }
    case .methodNotAllowed(let allowed):
        if allowed.methods.isEmpty || allowed.methods.contains(method) { fatalError("bad 405 for \(method)") }
    case .notFound:
        break
    }
    return 0
}
