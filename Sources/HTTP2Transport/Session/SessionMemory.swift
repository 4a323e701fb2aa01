internal import CNGHTTP2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// nghttp2's memory for one session (`nghttp2_mem`, passed to `nghttp2_session_*_new3`): small
/// blocks are recycled through free lists instead of going back to `malloc`.
///
/// Every call allocates and frees the same few small objects inside nghttp2: the copy of the
/// request's header list (~450 B), one outbound item per HEADERS and per DATA (~150 B), and the
/// stream (~220 B). With many calls in flight they are freed in bursts larger than glibc's
/// per-thread cache, so most of them went through `malloc`'s slower paths. Here each block
/// carries a 16-byte header naming its size class; a freed block of a class goes onto that
/// class's list (its first word links the list) and the next request of the class pops it.
///
/// Bounded: at most `maxKeptBytes` sit in the lists (beyond that, freed blocks go back to
/// `free`), and `trim(keepingBytes:)` gives back all but a few. Blocks over 512 bytes are plain
/// `malloc` blocks with the same header. A session is confined to one thread, and nghttp2 calls
/// these functions only from inside the session's own calls, so nothing here is locked.
///
/// The state is one raw allocation (no Swift object, so no reference counting or exclusivity
/// checks per call): the bytes kept, then one list head per class.
struct SessionMemory {
    /// The recycled classes: usable sizes 64, 128, 256 and 512 bytes (`capacity(of:)`).
    static let classCount = 4
    static let headerSize = 16
    static let maxKeptBytes = 128 << 10
    /// A block larger than every class (plain `malloc`, never kept).
    private static let unclassed = -1

    private let state: UnsafeMutableRawPointer

    init() {
        state = .allocate(byteCount: MemoryLayout<Int>.stride * (1 + Self.classCount), alignment: 16)
        state.initializeMemory(as: Int.self, repeating: 0, count: 1 + Self.classCount)
    }

    private init(state: UnsafeMutableRawPointer) {
        self.state = state
    }

    /// The functions nghttp2 calls, bound to this memory.
    var allocator: nghttp2_mem {
        nghttp2_mem(
            mem_user_data: state,
            malloc: { size, state in SessionMemory(state: state!).allocate(size) },
            free: { pointer, state in SessionMemory(state: state!).release(pointer) },
            calloc: { count, size, state in SessionMemory(state: state!).allocateZeroed(count, size) },
            realloc: { pointer, size, state in SessionMemory(state: state!).reallocate(pointer, size) })
    }

    /// Gives every kept block back, then the state. Call once, after `nghttp2_session_del`.
    func destroy() {
        trim(keepingBytes: 0)
        state.deallocate()
    }

    /// Bytes in the free lists.
    var keptBytes: Int {
        get { state.load(as: Int.self) }
        nonmutating set { state.storeBytes(of: newValue, as: Int.self) }
    }

    /// Frees kept blocks until at most `limit` bytes remain kept.
    func trim(keepingBytes limit: Int) {
        for sizeClass in 0..<Self.classCount {
            while keptBytes > limit, let block = head(sizeClass) {
                setHead(sizeClass, block.load(fromByteOffset: Self.headerSize, as: UnsafeMutableRawPointer?.self))
                keptBytes -= Self.headerSize + Self.capacity(of: sizeClass)
                free(block)
            }
        }
    }

    // MARK: The allocator

    func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        let sizeClass = Self.sizeClass(size)
        if sizeClass != Self.unclassed, let block = head(sizeClass) {
            setHead(sizeClass, block.load(fromByteOffset: Self.headerSize, as: UnsafeMutableRawPointer?.self))
            keptBytes -= Self.headerSize + Self.capacity(of: sizeClass)
            return block + Self.headerSize
        }
        let capacity = sizeClass == Self.unclassed ? size : Self.capacity(of: sizeClass)
        let (total, overflow) = capacity.addingReportingOverflow(Self.headerSize)
        guard !overflow, let block = malloc(total) else { return nil }
        block.storeBytes(of: sizeClass, as: Int.self)
        block.storeBytes(of: capacity, toByteOffset: MemoryLayout<Int>.stride, as: Int.self)
        return block + Self.headerSize
    }

    func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let block = pointer - Self.headerSize
        let sizeClass = block.load(as: Int.self)
        guard sizeClass != Self.unclassed else { return free(block) }
        let blockSize = Self.headerSize + Self.capacity(of: sizeClass)
        guard keptBytes + blockSize <= Self.maxKeptBytes else { return free(block) }
        pointer.storeBytes(of: head(sizeClass), as: UnsafeMutableRawPointer?.self)
        setHead(sizeClass, block)
        keptBytes += blockSize
    }

    func allocateZeroed(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, let pointer = allocate(total) else { return nil }
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: total)
        return pointer
    }

    /// `realloc`'s contract: nil grows from nothing, size 0 frees, a block keeps its contents up
    /// to the smaller of the two sizes. A block already large enough is returned as it is.
    func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size) }
        guard size > 0 else {
            release(pointer)
            return nil
        }
        let capacity = (pointer - Self.headerSize).load(fromByteOffset: MemoryLayout<Int>.stride, as: Int.self)
        if size <= capacity { return pointer }
        guard let grown = allocate(size) else { return nil }
        grown.copyMemory(from: pointer, byteCount: capacity)
        release(pointer)
        return grown
    }

    // MARK: Internals

    /// The smallest class that holds `size` bytes, or `unclassed`.
    static func sizeClass(_ size: Int) -> Int {
        if size <= 64 { return 0 }
        if size <= 128 { return 1 }
        if size <= 256 { return 2 }
        if size <= 512 { return 3 }
        return unclassed
    }

    /// The usable size of a class's blocks.
    static func capacity(of sizeClass: Int) -> Int { 64 << sizeClass }

    private func head(_ sizeClass: Int) -> UnsafeMutableRawPointer? {
        state.load(fromByteOffset: MemoryLayout<Int>.stride * (1 + sizeClass), as: UnsafeMutableRawPointer?.self)
    }

    private func setHead(_ sizeClass: Int, _ block: UnsafeMutableRawPointer?) {
        state.storeBytes(
            of: block, toByteOffset: MemoryLayout<Int>.stride * (1 + sizeClass), as: UnsafeMutableRawPointer?.self)
    }
}
