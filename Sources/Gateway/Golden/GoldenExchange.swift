import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A golden scenario's exchange: sends the request bytes on one loopback TCP connection, exactly
/// as written (malformed requests included), reads until the server closes it (bounded by a
/// receive timeout), then splits the HTTP/1.1 response, undoing chunked transfer coding
/// (RFC 9112 §7.1).
enum GoldenExchange {
    /// ``exchange(_:port:timeout:)`` on a thread of its own: dispatch's global queues are as
    /// narrow as the machine's cores, and dozens of scenarios blocking them at once would starve
    /// the servers they wait for.
    static func exchangeOnThread(_ request: [UInt8], port: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(request, port: port) }) }.start()
        }
    }

    static func exchange(_ request: [UInt8], port: Int, timeout: Int = 10) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw GoldenError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw GoldenError("connect to \(port) failed") }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server answered early and closed; read what it sent
            sent += n
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 {
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    throw GoldenError("no end of response within \(timeout)s; got \(String(decoding: output, as: UTF8.self))")
                }
                break
            }
            output += buffer[0..<n]
        }
        return output
    }

    /// Parses a complete HTTP/1.1 response: status, lower-cased headers, de-chunked body.
    static func parse(_ data: [UInt8], isHead: Bool = false) throws(GoldenError) -> GoldenHTTPReply {
        let separator = Array("\r\n\r\n".utf8)
        guard data.count >= 4, let end = (0...(data.count - 4)).first(where: { data[$0..<$0 + 4].elementsEqual(separator) })
        else { throw GoldenError("no HTTP head in '\(String(decoding: data, as: UTF8.self))'") }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw GoldenError("bad status line '\(head[0])'")
        }
        var reply = GoldenHTTPReply(status: status, headers: [], body: [])
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            reply.headers.append(
                (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let body = Array(data[(end + 4)...])
        if isHead {
            reply.body = body
        } else if reply.header("transfer-encoding")?.lowercased() == "chunked" {
            reply.body = try dechunk(body)
        } else if let length = reply.header("content-length").flatMap(Int.init) {
            guard body.count == length else { throw GoldenError("content-length \(length) but \(body.count) bytes") }
            reply.body = body
        } else {
            reply.body = body
        }
        return reply
    }

    /// `chunk-size CRLF data CRLF … 0 CRLF CRLF`; a missing last chunk is an error (the stream was cut).
    static func dechunk(_ input: [UInt8]) throws(GoldenError) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = (index..<max(index, input.count - 1)).first(where: { input[$0] == 13 && input[$0 + 1] == 10 })
            else { throw GoldenError("truncated chunked body after \(out.count) bytes") }
            let sizeText = String(decoding: input[index..<lineEnd], as: UTF8.self).prefix { $0 != ";" }
            guard let size = Int(sizeText, radix: 16) else { throw GoldenError("bad chunk size '\(sizeText)'") }
            index = lineEnd + 2
            if size == 0 { return out }
            guard index + size + 2 <= input.count else { throw GoldenError("truncated chunk") }
            out += input[index..<(index + size)]
            index += size + 2
        }
    }
}

/// An HTTP/1.1 response as the golden runner received it.
struct GoldenHTTPReply: CustomStringConvertible {
    var status: Int
    /// Lower-cased names.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    var text: String { String(decoding: body, as: UTF8.self) }
    var description: String { "\(status) \(headers.map { "\($0.name): \($0.value)" }) \(text)" }
}
