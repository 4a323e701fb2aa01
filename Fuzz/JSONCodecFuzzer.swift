// libFuzzer entry point for the ProtoJSON codec (Sources/Transcoder/JSON). Built by
// scripts/fuzz-json.sh together with the ProtoWire and JSON codec sources as one module, with
// `-sanitize=fuzzer,address`.
//
// The first byte picks the direction, the rest is the input. Nothing may trap, over-read or hang,
// and whatever translates must translate back: JSON that parses prints, and the printed JSON
// parses to bytes that print the same again (a fixpoint); protobuf that prints reads back from
// its JSON to bytes that print the same. Every protobuf printed is also printed by the indexed
// path alone (`singlePass: false`), the oracle of the single-pass printer: the same bytes, or
// the same error.

import Glibc

nonisolated(unsafe) private var jsonFuzzCodec: ProtoJSONCodec?
nonisolated(unsafe) private var jsonFuzzMessageIndex = 0

@_cdecl("LLVMFuzzerInitialize")
public func jsonFuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
    guard let path = getenv("FUZZ_DESCRIPTOR_SET"), let file = fopen(path, "rb") else { return 0 }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    guard let pool = try? DescriptorPool(fileDescriptorSet: bytes) else { return 0 }
    jsonFuzzCodec = ProtoJSONCodec(pool: pool)
    jsonFuzzMessageIndex = pool.messageIndex(named: "example.kitchen_sink.v1.KitchenSink") ?? 0
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, let codec = jsonFuzzCodec else { return 0 }
    let mode = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let index = jsonFuzzMessageIndex
    let options = JSONOptions(emitDefaults: mode & 2 != 0, useProtoNames: mode & 4 != 0, enumsAsInts: mode & 8 != 0)
    if mode & 1 == 0 {
        guard let wire = try? codec.protobuf(fromJSON: input, messageIndex: index) else { return 0 }
        let printed: [UInt8]
        do {
            printed = try codec.json(fromProtobuf: wire, messageIndex: index, options: options)
        } catch {
            fatalError("parsed JSON does not print: \(error)")
        }
        checkBothPrinters(codec, wire, index, options)
        checkFixpoint(codec, printed, index, options)
    } else {
        checkBothPrinters(codec, input, index, options)
        guard let printed = try? codec.json(fromProtobuf: input, messageIndex: index, options: options) else { return 0 }
        checkFixpoint(codec, printed, index, options)
    }
    return 0
}

/// The codec's printer (single pass, falling back) and the indexed path alone agree on `wire`.
private func checkBothPrinters(_ codec: ProtoJSONCodec, _ wire: [UInt8], _ index: Int, _ options: JSONOptions) {
    func render(_ body: () throws(TranscodingError) -> [UInt8]) -> String {
        do {
            return "ok " + String(decoding: try body(), as: UTF8.self)
        } catch {
            return "error \(error)"
        }
    }
    let codecOutput = render { () throws(TranscodingError) in try codec.json(fromProtobuf: wire, messageIndex: index, options: options) }
    let indexedOutput = wire.withUnsafeBytes { buffer in
        render { () throws(TranscodingError) in
            var printer = ProtoToJSON(codec: codec, input: buffer, options: options, singlePass: false)
            defer { printer.release() }
            return try printer.run(messageIndex: index)
        }
    }
    guard codecOutput == indexedOutput else {
        fatalError("the single-pass and indexed printers differ:\n\(codecOutput)\n\(indexedOutput)")
    }
}

private func checkFixpoint(_ codec: ProtoJSONCodec, _ printed: [UInt8], _ index: Int, _ options: JSONOptions) {
    let back: [UInt8]
    do {
        back = try codec.protobuf(fromJSON: printed, messageIndex: index)
    } catch {
        fatalError("printed JSON does not parse: \(error)\n\(String(decoding: printed, as: UTF8.self))")
    }
    guard let again = try? codec.json(fromProtobuf: back, messageIndex: index, options: options), again == printed else {
        fatalError("printed JSON is not a fixpoint:\n\(String(decoding: printed, as: UTF8.self))")
    }
}
