import ProtoWire
import Testing

@testable import Transcoder

/// The parser checks each key against the next field's JSON name before hashing it; where two
/// fields share a JSON name, the prediction must not pick the later one.
@Suite("Predicted JSON keys")
struct PredictedKeyTests {
    static let source = """
        syntax = "proto2";
        package predict;
        message Shared {
          optional int32 first = 1 [json_name = "x"];
          optional int32 middle = 2;
          optional int32 third = 3 [json_name = "x"];
        }
        """

    @Test func aSharedJSONNameIsTheFirstFieldsWhateverCameBefore() throws {
        let compiler = SchemaCompiler { name in name == "shared.proto" ? Array(Self.source.utf8) : nil }
        let pool = try compiler.compilePool(["shared.proto"])
        let codec = ProtoJSONCodec(pool: pool)
        let index = try #require(pool.messageIndex(named: "predict.Shared"))
        // After "middle" the next field is `third`, whose JSON name is also "x": the key still
        // names `first` (field 1), as a lookup by name says.
        let wire = try codec.protobuf(fromJSON: Array(#"{"middle": 2, "x": 7}"#.utf8), messageIndex: index)
        #expect(wire == [0x10, 0x02, 0x08, 0x07])
    }
}
