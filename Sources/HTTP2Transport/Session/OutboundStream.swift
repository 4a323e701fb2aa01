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

    private var storage: [UInt8] = []
    private var readIndex = 0
    /// `storage` is an array the caller handed over (and may still share): once read, it is let
    /// go rather than emptied in place, which would copy it.
    private var adopted = false
    var ending: Ending = .open
    /// nghttp2 was told `NGHTTP2_ERR_DEFERRED` and must be resumed when data or an ending arrives.
    var isDeferred = false

    var bufferedBytes: Int { storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
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

    /// Copies up to `count` bytes into `destination`, returning how many were copied.
    mutating func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = min(count, bufferedBytes)
        guard n > 0 else { return 0 }
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
        return n
    }
}
