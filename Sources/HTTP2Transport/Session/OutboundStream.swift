/// Bytes queued by the application for one stream, drained by nghttp2's data source callback as
/// flow control allows. Holding them here (not in nghttp2) is what lets the application see how
/// much is pending and apply backpressure.
struct OutboundStream {
    /// How the stream ends once its buffer is empty.
    enum Ending {
        case open
        case endStream
        case trailers(HTTP2Headers)
    }

    /// A few bytes sent before `storage` (a gRPC message prefix), held inline: a message queued
    /// with its prefix on an empty buffer needs no framed copy of its own.
    private var prefix = Prefix()
    private var storage: [UInt8] = []
    private var readIndex = 0
    /// `storage` is an array the caller handed over (and may still share): once read, it is let
    /// go rather than emptied in place, which would copy it.
    private var adopted = false
    var ending: Ending = .open
    /// nghttp2 was told `NGHTTP2_ERR_DEFERRED` and must be resumed when data or an ending arrives.
    var isDeferred = false

    var bufferedBytes: Int { prefix.count + storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        moveNonEmptyPrefixIntoStorage()
        if readIndex > 0 && readIndex >= storage.count / 2 {
            storage.removeFirst(readIndex)
            readIndex = 0
        }
        storage.append(contentsOf: bytes)
        adopted = false
    }

    /// Queues `bytes`; into an empty buffer they are taken as they are, with no copy.
    mutating func append(_ bytes: [UInt8]) {
        guard bufferedBytes == 0 else { return bytes.withUnsafeBytes { append($0) } }
        storage = bytes
        readIndex = 0
        adopted = true
    }

    /// Queues `prefix` then `bytes`; into an empty buffer `bytes` are taken as they are.
    mutating func append(_ bytes: [UInt8], after prefix: Prefix) {
        guard bufferedBytes == 0 else {
            prefix.withBytes { append($0) }
            return bytes.withUnsafeBytes { append($0) }
        }
        append(bytes)
        self.prefix = prefix
    }

    /// The prefix is sent before everything in `storage`: bytes appended behind it go after
    /// the prefix's bytes, so it joins the storage first (a rare path: a second message queued
    /// before the first left).
    private mutating func moveNonEmptyPrefixIntoStorage() {
        guard prefix.count > 0 else { return }
        var joined: [UInt8] = []
        joined.reserveCapacity(bufferedBytes)
        prefix.withBytes { joined.append(contentsOf: $0) }
        joined.append(contentsOf: storage[readIndex...])
        storage = joined
        readIndex = 0
        adopted = false
        prefix = Prefix()
    }

    /// Copies up to `count` bytes into `destination`, returning how many were copied.
    mutating func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var destination = destination
        var count = count
        var fromPrefix = 0
        if prefix.count > 0 {
            fromPrefix = prefix.read(into: destination, count: count)
            destination += fromPrefix
            count -= fromPrefix
        }
        let n = min(count, storage.count - readIndex)
        guard n > 0 else { return fromPrefix }
        storage.withUnsafeBufferPointer { source in
            destination.update(from: source.baseAddress! + readIndex, count: n)
        }
        readIndex += n
        if readIndex == storage.count {
            if adopted {
                storage = []
                adopted = false
            } else {
                storage.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        }
        return fromPrefix + n
    }

    /// Up to 8 bytes held inline, read from the front.
    struct Prefix {
        private var bytes: UInt64 = 0
        private var start = 0
        private var end = 0

        init() {}

        /// The first (up to 8) bytes of `source`.
        init(_ source: UnsafeRawBufferPointer) {
            precondition(source.count <= 8, "an inline prefix holds at most 8 bytes")
            withUnsafeMutableBytes(of: &bytes) { $0.copyMemory(from: source) }
            end = source.count
        }

        var count: Int { end - start }

        func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            withUnsafeBytes(of: bytes) { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        }

        mutating func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
            let n = min(count, self.count)
            withBytes { source in
                UnsafeMutableRawPointer(destination).copyMemory(from: source.baseAddress!, byteCount: n)
            }
            start += n
            if start == end { self = Prefix() }
            return n
        }
    }
}
