@testable import HTTP2Transport

/// A client and a server `HTTP2Session` wired back to back in memory, with every byte each side
/// sent kept so tests can replay it with other chunkings.
final class SessionPair {
    let client: HTTP2Session
    let server: HTTP2Session
    private(set) var clientEvents: [HTTP2Event] = []
    private(set) var serverEvents: [HTTP2Event] = []
    private(set) var clientSent: [UInt8] = []
    private(set) var serverSent: [UInt8] = []

    init(
        client clientConfiguration: HTTP2Session.Configuration = .init(),
        server serverConfiguration: HTTP2Session.Configuration = .init()
    ) throws {
        client = try HTTP2Session(role: .client, configuration: clientConfiguration)
        server = try HTTP2Session(role: .server, configuration: serverConfiguration)
    }

    /// Moves the client's pending output to the server. Returns the number of bytes moved.
    @discardableResult
    func clientToServer() throws -> Int {
        let bytes = try client.drainOutput()
        clientSent += bytes
        try server.feed(bytes)
        serverEvents += server.takeEvents()
        return bytes.count
    }

    /// Moves the server's pending output to the client.
    @discardableResult
    func serverToClient() throws -> Int {
        let bytes = try server.drainOutput()
        serverSent += bytes
        try client.feed(bytes)
        clientEvents += client.takeEvents()
        return bytes.count
    }

    /// Exchanges bytes both ways until neither side has anything to say.
    func pump() throws {
        var rounds = 0
        while try clientToServer() + serverToClient() > 0 {
            rounds += 1
            precondition(rounds < 10_000, "sessions never went quiet")
        }
    }

    func takeClientEvents() -> [HTTP2Event] {
        defer { clientEvents = [] }
        return clientEvents
    }

    func takeServerEvents() -> [HTTP2Event] {
        defer { serverEvents = [] }
        return serverEvents
    }
}

extension [HTTP2Event] {
    /// The events that concern streams (dropping SETTINGS and WINDOW_UPDATE housekeeping).
    var streamEvents: [HTTP2Event] {
        filter {
            switch $0 {
            case .settings, .windowUpdate: false
            default: true
            }
        }
    }

    /// All DATA bytes for one stream, concatenated.
    func body(of streamID: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        for case .data(let id, let payload, _) in self where id == streamID { bytes += payload }
        return bytes
    }
}

/// Splits `bytes` into chunks: one byte at a time, all at once, fixed sizes, or seeded random sizes.
enum Chunking: CustomStringConvertible, Sendable {
    case whole
    case bytewise
    case fixed(Int)
    case random(seed: UInt64)

    func split(_ bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole: return [bytes]
        case .bytewise: return bytes.map { [$0] }
        case .fixed(let size): return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        case .random(let seed):
            var generator = SplitMix64(seed: seed)
            var chunks: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let size = Int(generator.next() % 40) + 1
                chunks.append(Array(bytes[index..<min(index + size, bytes.count)]))
                index += size
            }
            return chunks
        }
    }

    var description: String {
        switch self {
        case .whole: "whole"
        case .bytewise: "bytewise"
        case .fixed(let n): "fixed(\(n))"
        case .random(let seed): "random(\(seed))"
        }
    }
}

/// A tiny deterministic generator so split points are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
