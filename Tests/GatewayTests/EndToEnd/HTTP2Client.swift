import Foundation

/// An HTTP/2 exchange as `curl --http2-prior-knowledge` or `nghttp` sees it: the response header
/// section, the trailer section (empty when there was none) and the body.
struct HTTP2Reply: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [(name: String, value: String)]
    var trailers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    func trailer(_ name: String) -> String? { trailers.first { $0.name == name }?.value }
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    var description: String { "\(status) \(headers) trailers \(trailers) \(text)" }
}

/// Drives the real HTTP/2 clients of the end-to-end tests (from Debian's `curl` and
/// `nghttp2-client`), each run off the cooperative pool.
enum HTTP2Client {
    /// `curl --http2-prior-knowledge`; the header dump (`-D`) holds the header section, then,
    /// after a blank line, the trailer section if the response had one.
    static func curl(
        _ method: String, _ url: String, headers: [String] = [], body: [UInt8]? = nil, extra: [String] = []
    ) async throws -> HTTP2Reply {
        try await offPool {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let dump = directory.appendingPathComponent("headers").path
            let output = directory.appendingPathComponent("body").path
            var arguments = ["-sS", "--http2-prior-knowledge", "--max-time", "20", "-D", dump, "-o", output]
            arguments += ["-X", method]
            for header in headers { arguments += ["-H", header] }
            if body != nil { arguments += ["--data-binary", "@-"] }
            arguments += extra
            arguments.append(url)
            let (status, _) = try run("/usr/bin/curl", arguments, input: body ?? [])
            guard status == 0 else { throw TestFailure("curl \(arguments) exited \(status)") }
            let bodyBytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))) ?? []
            return try parse(dump: [UInt8](Data(contentsOf: URL(fileURLWithPath: dump))), body: bodyBytes)
        }
    }

    static func parse(dump: [UInt8], body: [UInt8]) throws -> HTTP2Reply {
        let lines = String(decoding: dump, as: UTF8.self).components(separatedBy: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/2 "), let status = Int(first.dropFirst(7).prefix(3)) else {
            throw TestFailure("not an HTTP/2 response: \(lines.first ?? "")")
        }
        var headers: [(name: String, value: String)] = []
        var trailers: [(name: String, value: String)] = []
        var inTrailers = false
        for line in lines.dropFirst() {
            if line.isEmpty {
                inTrailers = true
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = (
                name: line[..<colon].lowercased(),
                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
            if inTrailers { trailers.append(field) } else { headers.append(field) }
        }
        return HTTP2Reply(status: status, headers: headers, trailers: trailers, body: body)
    }

    /// Runs a tool to its end (bounded by the tool's own timeout options) and returns its exit
    /// status and standard output.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        if !input.isEmpty { stdin.fileHandleForWriting.write(Data(input)) }
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
