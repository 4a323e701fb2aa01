internal import CNGHTTP2

/// The `nghttp2_nv` form of header lists a session submits again and again, built once.
///
/// A client calling one method submits the same request header list on every call: the
/// connection builds it once per path and every call passes that same list
/// (`GRPCClientConnection.requestHeaders(path:)`). Converting it to name/value pointers costs a
/// UTF-8 copy of every field per call; this cache keeps the converted form of such lists.
///
/// A list is recognised by its storage, not its contents: an entry holds its list, so the
/// storage cannot be freed and reused for another list while the entry exists, and a list
/// changed by anyone else was copied first (copy on write). Equal storage therefore means the
/// same fields, and a lookup is a pointer comparison per entry. A list is converted for keeps
/// only the second time it is seen (`candidate`), so lists built per call (with metadata) never
/// fill the cache; they are converted into temporary memory as before.
///
/// Bounded: at most `capacity` lists are kept (the oldest goes first), each with its own
/// allocation of `count` name/value entries followed by the bytes they point to.
final class NameValueCache {
    private struct Entry {
        let headers: HTTP2Headers
        let nameValues: UnsafeMutableRawPointer
        let count: Int
    }

    static let capacity = 8
    private var entries: [Entry] = []
    /// A list seen once: kept for the identity check only (converted when seen again).
    private var candidate: HTTP2Headers?

    init() {
        entries.reserveCapacity(Self.capacity)
    }

    deinit {
        for entry in entries { entry.nameValues.deallocate() }
    }

    /// How many lists are kept converted.
    var count: Int { entries.count }

    /// Runs `body` with `headers` as `nghttp2_nv` entries that stay valid for the call.
    func withConverted<R>(_ headers: HTTP2Headers, _ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
        guard let identity = Self.storage(of: headers) else { return withNameValues(headers, body) }
        for entry in entries where Self.storage(of: entry.headers) == identity {
            return body(UnsafePointer(entry.nameValues.assumingMemoryBound(to: nghttp2_nv.self)), entry.count)
        }
        guard let seen = candidate, Self.storage(of: seen) == identity else {
            candidate = headers
            return withNameValues(headers, body)
        }
        candidate = nil
        let entry = Self.convert(headers)
        if entries.count == Self.capacity { entries.removeFirst().nameValues.deallocate() }
        entries.append(entry)
        return body(UnsafePointer(entry.nameValues.assumingMemoryBound(to: nghttp2_nv.self)), entry.count)
    }

    /// The address of a non-empty list's fields, which identifies its storage.
    private static func storage(of headers: HTTP2Headers) -> UnsafeRawPointer? {
        headers.fields.withUnsafeBufferPointer { $0.isEmpty ? nil : UnsafeRawPointer($0.baseAddress) }
    }

    /// One allocation: the name/value entries, then the names' and values' bytes.
    private static func convert(_ headers: HTTP2Headers) -> Entry {
        var textSize = 0
        for field in headers { textSize += field.name.utf8.count + field.value.utf8.count }
        let entriesSize = MemoryLayout<nghttp2_nv>.stride * headers.count
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: entriesSize + max(textSize, 1), alignment: MemoryLayout<nghttp2_nv>.alignment)
        let nameValues = memory.bindMemory(to: nghttp2_nv.self, capacity: headers.count)
        var cursor = (memory + entriesSize).bindMemory(to: UInt8.self, capacity: max(textSize, 1))
        func copy(_ string: String) -> (UnsafeMutablePointer<UInt8>, Int) {
            let start = cursor
            for byte in string.utf8 {
                cursor.initialize(to: byte)
                cursor += 1
            }
            return (start, cursor - start)
        }
        for (index, field) in headers.enumerated() {
            let (name, nameLength) = copy(field.name)
            let (value, valueLength) = copy(field.value)
            (nameValues + index).initialize(
                to: nghttp2_nv(
                    name: name, value: value, namelen: nameLength, valuelen: valueLength,
                    flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
        }
        return Entry(headers: headers, nameValues: memory, count: headers.count)
    }
}
