#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Idle ``Deflater``s kept per thread, so one-shot compression (a response body, a gRPC
/// message) skips `deflateInit2`: its ~260 KB of window and hash tables are allocated and
/// cleared for every stream, which costs more than compressing a 10 KB answer. A reused
/// deflater is reset with `deflateReset` (zlib manual, "Advanced functions"), which keeps the
/// memory and the parameters and produces exactly the output of a fresh stream.
///
/// Each thread (an event loop, a pool thread) has its own cache in thread-specific storage, so
/// nothing is shared across threads and nothing is locked; a deflater is taken and given back
/// inside one synchronous call. At most ``capacity`` deflaters idle per thread; the cache is
/// released when its thread exits.
///
/// ```swift
/// let deflater = try DeflaterCache.take(format: .gzip, level: 6)
/// defer { DeflaterCache.recycle(deflater) }
/// let body = try deflater.compressWhole(input)
/// ```
final class DeflaterCache {
    /// The most idle deflaters a thread keeps (one per format and level in use).
    static let capacity = 4
    private var idle: [Deflater] = []

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<DeflaterCache>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// This thread's cache, created on first use.
    private static var current: DeflaterCache {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<DeflaterCache>.fromOpaque(pointer).takeUnretainedValue()
        }
        let cache = DeflaterCache()
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    /// How many deflaters this thread keeps idle now (at most ``capacity``).
    static var idleCount: Int { current.idle.count }

    /// An idle deflater of this thread for `format` and `level`, or a new one.
    static func take(format: CompressionFormat, level: Int32) throws(CompressionError) -> Deflater {
        let cache = current
        if let index = cache.idle.firstIndex(where: { $0.format == format && $0.level == level }) {
            return cache.idle.remove(at: index)
        }
        return try Deflater(format: format, level: level)
    }

    /// Resets `deflater` and keeps it for this thread's next ``take(format:level:)``; the
    /// oldest idle one goes when the cache is full.
    static func recycle(_ deflater: Deflater) {
        guard (try? deflater.reset()) != nil else { return }
        let cache = current
        if cache.idle.count >= capacity { cache.idle.removeFirst() }
        cache.idle.append(deflater)
    }
}
