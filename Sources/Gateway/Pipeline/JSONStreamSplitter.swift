/// Splits a streamed request body into the JSON texts of its messages as the bytes arrive, for
/// client streaming (sans-I/O: feed chunks with ``append(_:)``, take messages with ``next()``,
/// end with ``finish()``). It only finds boundaries; each message is validated by the codec.
///
/// Two framings:
///
/// ```
/// ndjson     → *( line LF ) [ line ]          ; NDJSON / JSON Lines: one value a line,
///                                             ; blank lines skipped, CR before LF ignored
/// json-array → ws "[" ws [ value *( ws "," ws value ) ] ws "]" ws     ; RFC 8259 §5
/// value      → object / array / string / scalar    ; nesting and strings tracked, not parsed
/// ```
///
/// A message larger than `maximumMessageSize` fails as soon as its bytes pass the limit, before
/// more are buffered, so memory stays under one message plus one chunk.
///
/// ```swift
/// var splitter = JSONStreamSplitter(framing: .ndjson, maximumMessageSize: 4 << 20)
/// for try await chunk in body {
///     splitter.append(chunk)
///     while let message = try splitter.next() { try await send(message) }
/// }
/// if let last = try splitter.finish() { try await send(last) }
/// ```
struct JSONStreamSplitter {
    enum Framing: Sendable, Hashable {
        case ndjson
        case jsonArray
    }

    /// Why a body cannot be split, with the index of the message where it happened.
    struct SplitError: Error, Hashable, CustomStringConvertible {
        enum Kind: Hashable {
            case tooLarge
            case syntax
        }
        var kind: Kind
        var index: Int
        var message: String
        var description: String { "[\(index)]: \(message)" }
    }

    private enum ArrayState {
        case beforeOpen
        case beforeFirstValue
        case beforeValue  // after a comma
        case inValue
        case afterValue
        case closed
    }

    let framing: Framing
    let maximumMessageSize: Int
    /// Messages returned so far.
    private(set) var count = 0
    private var buffer: [UInt8] = []
    /// Start of the unconsumed bytes (or of the value being scanned).
    private var start = 0
    /// Where scanning resumes.
    private var scan = 0
    private var arrayState = ArrayState.beforeOpen
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// NDJSON: the current line's first non-blank byte (-1: none yet) and one past its last.
    private var lineFirst = -1
    private var lineLast = 0

    init(framing: Framing, maximumMessageSize: Int) {
        self.framing = framing
        self.maximumMessageSize = maximumMessageSize
    }

    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scan -= start
            if lineFirst >= 0 {
                lineFirst -= start
                lineLast -= start
            }
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil until more bytes arrive.
    mutating func next() throws(SplitError) -> [UInt8]? {
        switch framing {
        case .ndjson: return try nextLine(atEnd: false)
        case .jsonArray: return try nextElement()
        }
    }

    /// The input ended: the last NDJSON line without a newline, if any; for an array, checks that
    /// it was closed. Call ``next()`` until nil first.
    mutating func finish() throws(SplitError) -> [UInt8]? {
        switch framing {
        case .ndjson:
            return try nextLine(atEnd: true)
        case .jsonArray:
            switch arrayState {
            case .closed: return nil
            case .beforeOpen: throw SplitError(kind: .syntax, index: 0, message: "expected a JSON array, got nothing")
            default: throw SplitError(kind: .syntax, index: count, message: "the JSON array is not closed")
            }
        }
    }

    // MARK: NDJSON

    private mutating func nextLine(atEnd: Bool) throws(SplitError) -> [UInt8]? {
        while true {
            // Each byte is looked at once: the line's non-blank extent is tracked as it grows.
            var end = scan
            while end < buffer.count && buffer[end] != UInt8(ascii: "\n") {
                if !Self.isWhitespace(buffer[end]) {
                    if lineFirst < 0 { lineFirst = end }
                    lineLast = end + 1
                }
                end += 1
            }
            scan = end
            // The same two rules whether the line is complete or not (chunking invariance): its
            // content may not pass the limit, nor may the raw line with padding pass it by more
            // than `Self.paddingAllowance` (so blank padding cannot grow the buffer forever).
            let content = lineFirst < 0 ? 0 : lineLast - lineFirst
            if content > maximumMessageSize || end - start > maximumMessageSize + Self.paddingAllowance {
                throw tooLarge()
            }
            if end == buffer.count && !atEnd { return nil }
            let message = lineFirst < 0 ? nil : Array(buffer[lineFirst..<lineLast])
            start = min(end + 1, buffer.count)
            scan = start
            lineFirst = -1
            lineLast = 0
            if let message {
                count += 1
                return message
            }
            if end == buffer.count { return nil }  // at the end, only blank lines were left
        }
    }

    // MARK: JSON array

    private mutating func nextElement() throws(SplitError) -> [UInt8]? {
        while scan < buffer.count {
            let byte = buffer[scan]
            switch arrayState {
            case .beforeOpen, .beforeFirstValue, .beforeValue, .afterValue, .closed:
                if Self.isWhitespace(byte) {
                    scan += 1
                    continue
                }
                try structural(byte)
                scan += 1
                if arrayState == .inValue {
                    scan -= 1  // the value starts here
                    start = scan
                    depth = 0
                    inString = false
                    escaped = false
                }
            case .inValue:
                if let end = try scanValue() {
                    arrayState = .afterValue
                    count += 1
                    let value = Array(buffer[start..<end])
                    start = end
                    scan = end
                    return value
                }
            }
        }
        if arrayState == .inValue, scan - start > maximumMessageSize { throw tooLarge() }
        if arrayState != .inValue { start = scan }
        return nil
    }

    /// A byte between values: `[`, `,`, `]`, or the first byte of a value.
    private mutating func structural(_ byte: UInt8) throws(SplitError) {
        switch (arrayState, byte) {
        case (.beforeOpen, UInt8(ascii: "[")): arrayState = .beforeFirstValue
        case (.beforeOpen, _): throw syntax("expected a JSON array of messages, got '\(Self.show(byte))'")
        case (.beforeFirstValue, UInt8(ascii: "]")), (.afterValue, UInt8(ascii: "]")): arrayState = .closed
        case (.afterValue, UInt8(ascii: ",")): arrayState = .beforeValue
        case (.afterValue, _): throw syntax("expected ',' or ']' after a message, got '\(Self.show(byte))'")
        case (.beforeFirstValue, UInt8(ascii: ",")), (.beforeValue, UInt8(ascii: ",")),
            (.beforeValue, UInt8(ascii: "]")):
            throw syntax("expected a message, got '\(Self.show(byte))'")
        case (.beforeFirstValue, _), (.beforeValue, _): arrayState = .inValue
        case (.closed, _): throw syntax("unexpected '\(Self.show(byte))' after the end of the array")
        case (.inValue, _): break
        }
    }

    /// Scans the current value from `scan`; returns its end index once complete.
    private mutating func scanValue() throws(SplitError) -> Int? {
        let isScalar =
            buffer[start] != UInt8(ascii: "{") && buffer[start] != UInt8(ascii: "[")
            && buffer[start] != UInt8(ascii: "\"")
        while scan < buffer.count {
            let byte = buffer[scan]
            if isScalar, Self.isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                return scan
            }
            if scan - start >= maximumMessageSize { throw tooLarge() }
            scan += 1
            if isScalar { continue }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return scan }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= 100 else { throw syntax("nesting deeper than 100 levels") }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return scan }
            default: break
            }
        }
        return nil
    }

    private func tooLarge() -> SplitError {
        SplitError(kind: .tooLarge, index: count, message: "message exceeds the limit of \(maximumMessageSize) bytes")
    }

    private func syntax(_ message: String) -> SplitError {
        SplitError(kind: .syntax, index: count, message: message)
    }

    /// Whitespace an NDJSON line may carry around its message beyond the message limit.
    static let paddingAllowance = 4096

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }
}
