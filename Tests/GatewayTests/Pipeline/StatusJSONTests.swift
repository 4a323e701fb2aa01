import Gateway
import HTTP2Transport
import Testing
import Transcoder

@Suite("StatusJSON and BackendDirectory")
struct StatusJSONTests {
    @Test func escapesTheMessage() {
        let json = StatusJSON.render(code: .internal, message: "a \"b\"\n\\\u{1}", details: nil, codec: nil)
        #expect(String(decoding: json, as: UTF8.self) == #"{"code":13,"message":"a \"b\"\n\\\u0001","details":[]}"#)
    }

    @Test func detailsThroughThePool() {
        // google.rpc.Status{code: 5, message: "m", details: [Any{Shelf{id: 3, theme: "x"}}, Any{opaque}]}
        let shelfURL = Array("type.googleapis.com/example.bookstore.v1.Shelf".utf8)
        let shelf: [UInt8] = [0x08, 0x03, 0x12, 0x01, 0x78]
        let any1: [UInt8] = [0x0A, UInt8(shelfURL.count)] + shelfURL + [0x12, UInt8(shelf.count)] + shelf
        let opaqueURL = Array("x/y.Z".utf8)
        let any2: [UInt8] = [0x0A, UInt8(opaqueURL.count)] + opaqueURL + [0x12, 0x01, 0xFF]
        let status: [UInt8] = [0x08, 0x05, 0x12, 0x01, 0x6D, 0x1A, UInt8(any1.count)] + any1 + [0x1A, UInt8(any2.count)] + any2
        let json = StatusJSON.render(
            code: .notFound, message: "m", details: status, codec: ProtoJSONCodec(pool: GatewayTestSupport.pool))
        #expect(
            jsonEqual(
                parseJSON(String(decoding: json, as: UTF8.self)),
                parseJSON(
                    #"{"code":5,"message":"m","details":[{"@type":"type.googleapis.com/example.bookstore.v1.Shelf","id":"3","theme":"x"},{"@type":"x/y.Z","value":"/w=="}]}"#
                )))
    }

    @Test func malformedDetailsAreLeftOut() {
        let json = StatusJSON.render(code: .unknown, message: "", details: [0x1A, 0x05], codec: nil)
        #expect(String(decoding: json, as: UTF8.self) == #"{"code":2,"message":"","details":[]}"#)
    }

    struct TargetRow: Sendable {
        var text: String
        var want: BackendDirectory.Target?
    }

    @Test(arguments: [
        TargetRow(text: "127.0.0.1:50051", want: .init(host: "127.0.0.1", port: 50051)),
        TargetRow(text: "pkg.Svc=localhost:1", want: .init(selector: "pkg.Svc", host: "localhost", port: 1)),
        TargetRow(text: "[::1]:9", want: .init(host: "::1", port: 9)),
        TargetRow(text: "host", want: nil), TargetRow(text: "host:0", want: nil), TargetRow(text: ":80", want: nil),
        TargetRow(text: "h:99999", want: nil),
    ])
    func parsesBackendTargets(_ row: TargetRow) {
        #expect((try? BackendDirectory.Target(parsing: row.text)) == row.want)
    }

    @Test func serviceSelectorBeatsPackageBeatsDefault() {
        let directory = BackendDirectory(
            targets: [
                .init(host: "127.0.0.1", port: 1), .init(selector: "a.b", host: "127.0.0.1", port: 2),
                .init(selector: "a.b.C", host: "127.0.0.1", port: 3), .init(selector: "a", host: "127.0.0.1", port: 4),
            ],
            group: GatewayTestSupport.group)
        #expect(directory.channel(forService: "a.b.C")?.configuration.port == 3)
        #expect(directory.channel(forService: "a.b.D")?.configuration.port == 2)
        #expect(directory.channel(forService: "a.x.D")?.configuration.port == 4)
        #expect(directory.channel(forService: "ab.D")?.configuration.port == 1)
        let noDefault = BackendDirectory(targets: [.init(selector: "a", host: "h", port: 1)], group: GatewayTestSupport.group)
        #expect(noDefault.channel(forService: "b.S") == nil)
    }
}
