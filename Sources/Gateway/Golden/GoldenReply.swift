import Foundation

/// A scenario's `reply.json`: what the scripted backend (``GoldenBackend``) answers.
///
/// ```json
/// {"headers": {"x-a": "1"},              // response headers besides :status and content-type
///  "messages": [{"id": "1"}],            // JSON of the method's output type, each framed
///  "rawMessages": ["08"],                // hex payloads framed as they are (malformed messages)
///  "rawBody": "0000000005aa",            // hex DATA instead of framed messages (malformed frames)
///  "compress": true,                     // gzip every message (grpc-encoding: gzip)
///  "status": 5, "message": "not found",  // grpc-status and grpc-message (default 0)
///  "details": [{"@type": "type.googleapis.com/x.Y", ...}],   // grpc-status-details-bin
///  "trailers": {"x-t": "2"},             // more trailer fields
///  "fault": "trailersOnly" | "reset" | "missingStatus" | "http",
///  "httpStatus": 503,                    // with fault "http": a non-gRPC answer
///  "resetAfter": 1,                      // with fault "reset": messages sent before RST_STREAM
///  "delayMs": 300}                       // wait before answering
/// ```
struct GoldenReply: Sendable {
    enum Fault: String, Sendable {
        case trailersOnly, reset, missingStatus, http
    }

    var headers: [(String, String)] = []
    var messages: [String] = []
    var rawMessages: [[UInt8]] = []
    var rawBody: [UInt8]?
    var compress = false
    var status = 0
    var statusMessage: String?
    var details: [String] = []
    var trailers: [(String, String)] = []
    var fault: Fault?
    var httpStatus = 200
    var resetAfter = 0
    var delayMs = 0

    init(json text: String, file: String) throws(GoldenError) {
        let object = try goldenObject(text, file)
        func fields(_ key: String) throws(GoldenError) -> [(String, String)] {
            guard let value = object[key] else { return [] }
            guard let dictionary = value as? [String: Any] else { throw GoldenError("\(file): \(key): expected an object") }
            return dictionary.keys.sorted().map { ($0, "\(dictionary[$0]!)") }
        }
        func jsonTexts(_ key: String) throws(GoldenError) -> [String] {
            guard let value = object[key] else { return [] }
            guard let array = value as? [Any] else { throw GoldenError("\(file): \(key): expected a list") }
            return array.map {
                // Values that came out of JSONSerialization always serialize again.
                let data = (try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed])) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
        }
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            throw GoldenError("\(file): unknown key \(key)")
        }
        headers = try fields("headers")
        trailers = try fields("trailers")
        messages = try jsonTexts("messages")
        details = try jsonTexts("details")
        for text in (object["rawMessages"] as? [String]) ?? [] { rawMessages.append(try Self.hex(text, file)) }
        if let text = object["rawBody"] as? String { rawBody = try Self.hex(text, file) }
        compress = (object["compress"] as? Bool) ?? false
        status = (object["status"] as? NSNumber)?.intValue ?? 0
        statusMessage = object["message"] as? String
        if let name = object["fault"] as? String {
            guard let fault = Fault(rawValue: name) else { throw GoldenError("\(file): unknown fault \(name)") }
            self.fault = fault
        }
        httpStatus = (object["httpStatus"] as? NSNumber)?.intValue ?? 200
        resetAfter = (object["resetAfter"] as? NSNumber)?.intValue ?? 0
        delayMs = (object["delayMs"] as? NSNumber)?.intValue ?? 0
    }

    static let keys: Set<String> = [
        "headers", "messages", "rawMessages", "rawBody", "compress", "status", "message", "details", "trailers", "fault",
        "httpStatus", "resetAfter", "delayMs",
    ]

    static func hex(_ text: String, _ file: String) throws(GoldenError) -> [UInt8] {
        let digits = Array(text.utf8).filter { $0 != UInt8(ascii: " ") }
        guard digits.count % 2 == 0 else { throw GoldenError("\(file): odd hex '\(text)'") }
        var bytes: [UInt8] = []
        for start in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[start..<start + 2], as: UTF8.self), radix: 16) else {
                throw GoldenError("\(file): bad hex '\(text)'")
            }
            bytes.append(byte)
        }
        return bytes
    }
}
