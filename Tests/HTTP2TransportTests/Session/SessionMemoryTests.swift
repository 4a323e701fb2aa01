import Testing

@testable import HTTP2Transport

/// nghttp2's per-session allocator: `malloc`/`calloc`/`realloc`/`free` semantics, recycling per
/// size class, and the bound on what it keeps.
@Suite("SessionMemory")
struct SessionMemoryTests {
    @Test(arguments: [
        (size: 0, sizeClass: 0), (size: 1, sizeClass: 0), (size: 64, sizeClass: 0), (size: 65, sizeClass: 1),
        (size: 128, sizeClass: 1), (size: 200, sizeClass: 2), (size: 256, sizeClass: 2), (size: 442, sizeClass: 3),
        (size: 512, sizeClass: 3), (size: 513, sizeClass: -1), (size: 1 << 20, sizeClass: -1),
    ])
    func sizeClasses(size: Int, sizeClass: Int) {
        #expect(SessionMemory.sizeClass(size) == sizeClass)
    }

    @Test func aFreedBlockIsReusedForItsClassOnly() throws {
        let memory = SessionMemory()
        defer { memory.destroy() }
        let first = try #require(memory.allocate(150))
        memory.release(first)
        #expect(memory.keptBytes == SessionMemory.headerSize + 256)
        let other = try #require(memory.allocate(100))  // another class: a new block
        #expect(other != first)
        let again = try #require(memory.allocate(256))
        #expect(again == first)
        #expect(memory.keptBytes == 0)
        memory.release(other)
        memory.release(again)
        memory.release(nil)  // free(NULL) does nothing
        #expect(memory.keptBytes == 2 * SessionMemory.headerSize + 128 + 256)
    }

    @Test func largeBlocksAreNeverKept() throws {
        let memory = SessionMemory()
        defer { memory.destroy() }
        let block = try #require(memory.allocate(16 << 10))
        block.initializeMemory(as: UInt8.self, repeating: 7, count: 16 << 10)
        memory.release(block)
        #expect(memory.keptBytes == 0)
    }

    @Test func callocZeroesRecycledBlocksAndRejectsOverflow() throws {
        let memory = SessionMemory()
        defer { memory.destroy() }
        let dirty = try #require(memory.allocate(64))
        dirty.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 64)
        memory.release(dirty)
        let zeroed = try #require(memory.allocateZeroed(8, 8))
        #expect(zeroed == dirty)
        #expect(UnsafeRawBufferPointer(start: zeroed, count: 64).allSatisfy { $0 == 0 })
        memory.release(zeroed)
        #expect(memory.allocateZeroed(Int.max / 2, 4) == nil)
        #expect(memory.allocate(Int.max - 4) == nil)
    }

    /// Growing keeps the contents, across classes and into a plain block; shrinking and growing
    /// within the block's capacity keep the block.
    @Test func reallocKeepsContents() throws {
        let memory = SessionMemory()
        defer { memory.destroy() }
        var block = try #require(memory.reallocate(nil, 40))
        for index in 0..<40 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
        #expect(memory.reallocate(block, 64) == block)
        #expect(memory.reallocate(block, 10) == block)
        for size in [100, 300, 500, 4000] {
            block = try #require(memory.reallocate(block, size))
            #expect((0..<40).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) }, "size \(size)")
        }
        #expect(memory.reallocate(block, 0) == nil)  // frees, as glibc's realloc(p, 0) does
    }

    @Test func keptBytesAreBoundedAndTrimmed() throws {
        let memory = SessionMemory()
        defer { memory.destroy() }
        let blockSize = SessionMemory.headerSize + 512
        let blocks = try (0..<(SessionMemory.maxKeptBytes / blockSize + 50)).map { _ in
            try #require(memory.allocate(500))
        }
        for block in blocks { memory.release(block) }
        #expect(memory.keptBytes <= SessionMemory.maxKeptBytes)
        #expect(memory.keptBytes > SessionMemory.maxKeptBytes - blockSize)
        memory.trim(keepingBytes: 4096)
        #expect(memory.keptBytes <= 4096)
        memory.trim(keepingBytes: 0)
        #expect(memory.keptBytes == 0)
    }

    /// Through a real session: steady unary exchanges recycle nghttp2's blocks, what is kept stays
    /// under the bound, and `trimSpareBuffers` gives it back.
    @Test func sessionsRecycleTheirBlocks() throws {
        let pair = try SessionPair()
        try pair.pump()
        for round in 0..<20 {
            var ids: [Int32] = []
            for _ in 0..<50 {
                ids.append(try pair.client.submitRequest(HTTP2SessionBufferTests.request, endStream: false))
                try pair.client.sendData(
                    streamID: ids.last!, [UInt8](repeating: UInt8(round), count: 100), endStream: true)
            }
            try pair.clientToServer()
            for case .data(let id, let payload, _) in pair.takeServerEvents() {
                pair.server.consume(streamID: id, count: payload.count)
            }
            for id in ids {
                try pair.server.submitResponse(streamID: id, [(":status", "200")], endStream: false)
                try pair.server.sendData(streamID: id, [1, 2, 3], endStream: true)
            }
            try pair.pump()
            let closed = pair.takeClientEvents().filter { if case .streamClosed = $0 { true } else { false } }
            #expect(closed.count == 50)
        }
        #expect(pair.client.keptSessionMemory > 0)
        #expect(pair.client.keptSessionMemory <= SessionMemory.maxKeptBytes)
        pair.client.trimSpareBuffers()
        #expect(pair.client.keptSessionMemory <= HTTP2Session.idleInboundBuffer)
    }
}
