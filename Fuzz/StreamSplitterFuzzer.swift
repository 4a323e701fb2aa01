// libFuzzer entry point for the client-streaming body splitter (`JSONStreamSplitter`). Built by
// scripts/fuzz-splitter.sh from the splitter's single source file, which needs only the
// standard library.
//
// The first byte picks the framing (bit 0: NDJSON or JSON array), the message size limit
// (bits 1-3: 1 << (4 + n) bytes) and a chunk size (bits 4-7: 1 + n); the rest is the body.
// Splitting must not trap or hang; every message must be within the limit and non-empty; and
// feeding the body in chunks must give exactly the messages and the error of feeding it at once
// (chunking invariance).

private func split(_ body: ArraySlice<UInt8>, framing: JSONStreamSplitter.Framing, limit: Int, chunk: Int)
    -> ([[UInt8]], JSONStreamSplitter.SplitError?)
{
    var splitter = JSONStreamSplitter(framing: framing, maximumMessageSize: limit)
    var messages: [[UInt8]] = []
    var offset = body.startIndex
    do {
        while offset < body.endIndex {
            let end = min(offset + chunk, body.endIndex)
            splitter.append(body[offset..<end])
            offset = end
            while let message = try splitter.next() { messages.append(message) }
        }
        if let last = try splitter.finish() { messages.append(last) }
    } catch {
        return (messages, error)
    }
    return (messages, nil)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = input[0]
    let framing: JSONStreamSplitter.Framing = mode & 1 == 0 ? .ndjson : .jsonArray
    let limit = 1 << (4 + Int((mode >> 1) & 7))
    let chunk = 1 + Int(mode >> 4)
    let body = input[1...]
    let whole = split(body, framing: framing, limit: limit, chunk: max(body.count, 1))
    let chunked = split(body, framing: framing, limit: limit, chunk: chunk)
    for message in whole.0 {
        precondition(!message.isEmpty && message.count <= limit, "message of \(message.count) bytes, limit \(limit)")
    }
    precondition(whole.0 == chunked.0, "chunking changed the messages")
    precondition(whole.1 == chunked.1, "chunking changed the error: \(String(describing: whole.1)) vs \(String(describing: chunked.1))")
    return 0
}
