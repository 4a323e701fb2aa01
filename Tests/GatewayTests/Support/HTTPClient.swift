import Foundation
import Testing

/// An HTTP exchange as a real client sees it.
struct HTTPReply: Sendable, CustomStringConvertible {
    var status: Int
    /// Lower-cased names.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    var text: String { String(decoding: body, as: UTF8.self) }
    var description: String { "\(status) \(headers.map { "\($0.name): \($0.value)" }) \(text)" }

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
}

/// Drives `curl` over HTTP/1.1, the independent client of the end-to-end tests.
enum Curl {
    /// Runs curl on a thread of its own: waiting for it must not hold a cooperative-pool thread
    /// that the in-process gateway needs to answer.
    static func request(
        _ method: String, _ url: String, headers: [String] = [], body: [UInt8]? = nil, extra: [String] = []
    ) async throws -> HTTPReply {
        try await offPool { try requestBlocking(method, url, headers: headers, body: body, extra: extra) }
    }

    static func requestBlocking(
        _ method: String, _ url: String, headers: [String], body: [UInt8]?, extra: [String]
    ) throws -> HTTPReply {
        var arguments = ["-sS", "-i", "--http1.1", "--max-time", "15", "-X", method, "-H", "Expect:"]
        if method == "HEAD" { arguments = ["-sS", "-I", "--http1.1", "--max-time", "15"] }
        for header in headers { arguments += ["-H", header] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        arguments += extra
        arguments.append(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        if let body { input.fileHandleForWriting.write(Data(body)) }
        try input.fileHandleForWriting.close()
        let data = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("curl \(arguments) exited \(process.terminationStatus)") }
        return try parse(data)
    }

    /// Splits a raw HTTP/1.1 response (head, blank line, body).
    static func parse(_ data: [UInt8]) throws -> HTTPReply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, data.count - 4)).first(where: { Array(data[$0..<min($0 + 4, data.count)]) == separator })
        else { throw TestFailure("no HTTP head in \(String(decoding: data, as: UTF8.self))") }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(head[0])") }
        var headers: [(name: String, value: String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return HTTPReply(status: status, headers: headers, body: Array(data[(end + 4)...]))
    }

    /// Sends raw bytes on one connection and reads until the server closes it (bounded).
    static func raw(_ text: String, port: Int, timeout: TimeInterval = 5) async throws -> String {
        try await offPool { try rawBlocking(text, port: port, timeout: timeout) }
    }

    static func rawBlocking(_ text: String, port: Int, timeout: TimeInterval) throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(float(sys.argv[2]))
            data = b""
            try:
                s.sendall(sys.stdin.buffer.read())
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered early and closed; read what it sent
            try:
                while True:
                    d = s.recv(65536)
                    if not d: break
                    data += d
            except socket.timeout:
                data += b"<timeout>"
            except ConnectionResetError:
                pass  # closed with our unread bytes pending: what arrived before counts
            sys.stdout.buffer.write(data)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(port), String(timeout)]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// JSON equality by meaning (key order and number spelling do not matter).
func jsonEqual(_ a: Any?, _ b: Any?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
}

func parseJSON(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Runs blocking work (waiting for a child process) on a dispatch thread.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Runs blocking work (a socket read, a child process) on a thread of its own. Neither Swift's
/// cooperative pool nor dispatch's global queues (as narrow as the machine's cores) may be
/// blocked: the in-process servers the work waits for run there.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
