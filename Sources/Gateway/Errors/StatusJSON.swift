import HTTP2Transport
import ProtoWire
import Transcoder

/// Renders `google.rpc.Status` as its ProtoJSON form, the body of every error the gateway
/// answers (`google/rpc/status.proto`): `{"code":5,"message":"…","details":[{"@type":…}]}`.
///
/// `details` come from `grpc-status-details-bin`, a serialized `google.rpc.Status` whose field 3
/// holds `google.protobuf.Any` values (gRPC `doc/statuscodes.md`, "richer error model"). Each is
/// printed through the pool when its type is known, as `{"@type":url, …fields}` (the ProtoJSON
/// `Any` form); otherwise as `{"@type":url,"value":"<base64>"}` so nothing is lost.
public enum StatusJSON {
    /// The JSON for a code and message, with details decoded from `details` when they parse.
    public static func render(
        code: GRPCStatus.Code, message: String, details: [UInt8]?, codec: ProtoJSONCodec?
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + message.utf8.count)
        out.append(contentsOf: #"{"code":"#.utf8)
        out.append(contentsOf: String(code.rawValue).utf8)
        out.append(contentsOf: #","message":"#.utf8)
        JSONOutput.appendString(message, into: &out)
        out.append(contentsOf: #","details":["#.utf8)
        if let details, let anys = try? decodeDetails(details) {
            for (index, any) in anys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendAny(typeURL: any.typeURL, value: any.value, codec: codec, to: &out)
            }
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// The `Any` values in a serialized `google.rpc.Status` (field 3: type_url = 1, value = 2).
    static func decodeDetails(_ bytes: [UInt8]) throws(WireDecodingError) -> [(typeURL: String, value: [UInt8])] {
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            var anys: [(typeURL: String, value: [UInt8])] = []
            while let tag = try reader.readTag() {
                guard tag.fieldNumber == 3, tag.wireType == .lengthDelimited else {
                    _ = try reader.skipField(tag)
                    continue
                }
                var any = try reader.enterMessage()
                var typeURL = ""
                var value: [UInt8] = []
                while let inner = try any.readTag() {
                    switch (inner.fieldNumber, inner.wireType) {
                    case (1, .lengthDelimited): typeURL = try any.readString()
                    case (2, .lengthDelimited): value += try any.readByteArray()
                    default: _ = try any.skipField(inner)
                    }
                }
                anys.append((typeURL, value))
            }
            return anys
        }
    }

    static func appendAny(typeURL: String, value: [UInt8], codec: ProtoJSONCodec?, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"@type":"#.utf8)
        JSONOutput.appendString(typeURL, into: &out)
        let typeName = typeURL.split(separator: "/").last.map(String.init) ?? typeURL
        if let codec, let index = codec.pool.messageIndex(named: typeName),
            let json = try? codec.json(fromProtobuf: value, messageIndex: index)
        {
            if json.first == UInt8(ascii: "{") {
                // Splice the message's fields after "@type".
                if json.count > 2 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: json.dropFirst())
                return
            }
            // Well-known types with a non-object JSON form nest it under "value" (ProtoJSON, Any).
            out.append(contentsOf: #","value":"#.utf8)
            out.append(contentsOf: json)
        } else {
            out.append(contentsOf: #","value":"#.utf8)
            JSONOutput.appendString(Base64.encode(value), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
