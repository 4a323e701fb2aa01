import ArgumentParser
import Foundation
import ProtoWire
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway transcode`: the ProtoJSON codec on stdin/stdout, for scripts and tests.
    struct Transcode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate one message between ProtoJSON and protobuf binary (stdin to stdout).")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json
            case proto
        }

        @OptionGroup var schema: SchemaOptions

        @Option(help: "The message type, e.g. example.bookstore.v1.Book.")
        var type: String

        @Option(help: "The input format: json or proto.")
        var from: Format

        @Option(help: "The output format: json or proto.")
        var to: Format

        @Flag(help: "Print fields that hold their default value (JSON output).")
        var emitDefaults = false

        @Flag(help: "Use proto field names instead of lowerCamelCase (JSON output).")
        var protoNames = false

        @Flag(help: "Print enums as numbers (JSON output).")
        var enumsAsInts = false

        @Flag(help: "Skip unknown fields and enum names (JSON input).")
        var ignoreUnknown = false

        @Option(help: "Indent JSON output by this many spaces (0 = one line).")
        var indent = 0

        func run() throws {
            let pool = try schema.loadPool()
            guard let messageIndex = pool.messageIndex(named: type) else {
                throw ValidationError("no message type \(type) in the descriptor sets")
            }
            let codec = ProtoJSONCodec(pool: pool)
            let options = JSONOptions(
                emitDefaults: emitDefaults, useProtoNames: protoNames, enumsAsInts: enumsAsInts,
                ignoreUnknownFields: ignoreUnknown, indent: indent)
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            var output: [UInt8]
            do {
                let wire = from == .json ? try codec.protobuf(fromJSON: input, messageIndex: messageIndex, options: options) : input
                if to == .json {
                    output = try codec.json(fromProtobuf: wire, messageIndex: messageIndex, options: options)
                    output.append(0x0A)
                } else {
                    if from == .proto {
                        // Validate by a round trip through JSON, then pass the bytes on unchanged.
                        _ = try codec.json(fromProtobuf: wire, messageIndex: messageIndex, options: options)
                    }
                    output = wire
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardOutput.write(Data(output))
        }
    }
}
