// libFuzzer entry point for ProtoWire's decoders. Built by scripts/fuzz.sh together with the
// ProtoWire sources as one module, with `-sanitize=fuzzer,address`.
//
// Each input is decoded four ways; none may trap, over-read or hang, and a successful decode must
// re-encode to bytes that decode to the same value.

#if canImport(Glibc)
import Glibc
#endif

/// The kitchen-sink schema, loaded once from the path in FUZZ_DESCRIPTOR_SET.
nonisolated(unsafe) private var fuzzPool: DescriptorPool?
nonisolated(unsafe) private var fuzzMessageIndex = 0

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    guard let path = getenv("FUZZ_DESCRIPTOR_SET"), let file = fopen(path, "rb") else { return 0 }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    fuzzPool = try? DescriptorPool(fileDescriptorSet: bytes)
    fuzzMessageIndex = fuzzPool?.messageIndex(named: "example.kitchen_sink.v1.KitchenSink") ?? 0
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // 1. A generic walk that skips every field, groups included.
    _ = try? WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
        while let tag = try reader.readTag() {
            try reader.skipField(tag)
        }
    }

    // 2. The bytes as a FileDescriptorSet, then as a pool.
    if let files = try? DescriptorProto.decodeFileDescriptorSet(bytes) {
        _ = try? DescriptorPool(files: files)
    }

    // 3. The bytes as a KitchenSink message: decode, re-encode, decode again, compare.
    if let pool = fuzzPool, let message = try? DynamicMessage(decoding: bytes, messageIndex: fuzzMessageIndex, pool: pool) {
        let reencoded = message.encoded()
        guard let again = try? DynamicMessage(decoding: reencoded, messageIndex: fuzzMessageIndex, pool: pool) else {
            fatalError("re-encoded message does not decode")
        }
        guard again.encoded() == reencoded else { fatalError("encoding is not stable") }
    }
    return 0
}
