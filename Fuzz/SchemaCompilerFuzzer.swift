// libFuzzer entry point for the .proto compiler (ProtoWire/Schema). Built by
// scripts/fuzz-schema.sh together with the ProtoWire sources as one module, with
// `-sanitize=fuzzer,address`.
//
// Each input is compiled as `fuzz.proto` (with a small importable `dep.proto` and the bundled
// schemas). Nothing may trap, over-read or hang; a compile must be deterministic, and what it
// produces must survive an encode/decode round trip through FileDescriptorSet bytes.

private let dependency = Array(
    """
    syntax = "proto2";
    package dep;
    import "google/protobuf/descriptor.proto";
    message D { optional int32 a = 1; extensions 100 to max; }
    enum E { E0 = 0; E1 = 1; }
    extend google.protobuf.FieldOptions { optional D fopt = 51000; optional int32 iopt = 51001; }
    """.utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let compiler = SchemaCompiler { name in
        switch name {
        case "fuzz.proto": input
        case "dep.proto": dependency
        default: nil
        }
    }
    let first = Result { () throws(SchemaError) in try compiler.compile(["fuzz.proto"]) }
    let second = Result { () throws(SchemaError) in try compiler.compile(["fuzz.proto"]) }
    switch (first, second) {
    case (.success(let files), .success(let again)):
        precondition(files == again, "compiling twice gave different descriptors")
        let bytes = DescriptorProto.encodeFileDescriptorSet(files)
        let decoded = try? DescriptorProto.decodeFileDescriptorSet(bytes)
        precondition(decoded == files, "descriptors do not survive an encode/decode round trip")
        _ = try? DescriptorPool(files: files)
    case (.failure(let error), .failure(let again)):
        precondition(error == again, "compiling twice gave different errors")
        precondition(!error.diagnostics.isEmpty, "a failed compile must say why")
    default:
        preconditionFailure("compiling twice gave different outcomes")
    }
    return 0
}
