import Benchmark
import ProtoWire

/// The `.proto` compiler on a generated schema of 2,000 messages and 200 services (10 files of
/// 200 messages, 20 services of 5 methods each, every method with a `google.api.http` rule).
///
/// MB/s = source bytes (printed at start-up) / wall-clock time per iteration.
let benchmarks: @Sendable () -> Void = {
    let sources = SchemaCorpusGenerator.files(count: 10, messagesPerFile: 200, servicesPerFile: 20)
    let names = sources.keys.sorted()
    let bytes = sources.mapValues { Array($0.utf8) }
    let total = bytes.values.reduce(0) { $0 + $1.count }
    let compiler = SchemaCompiler { bytes[$0] }
    // Check once that the schema compiles, so the benchmark measures success, not error paths.
    let files = try! compiler.compile(names)
    let pool = try! DescriptorPool(files: files)
    print(
        "schema: \(names.count) files, \(total) bytes, \(pool.messages.count) messages, \(pool.services.count) services"
    )

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(5)
    )

    Benchmark("parse 2,000 messages (lex + parse, no linking)") { benchmark in
        for _ in benchmark.scaledIterations {
            for name in names {
                blackHole(SchemaCompiler.syntaxDiagnostics(source: bytes[name]!, name: name))
            }
        }
    }

    Benchmark("compile 2,000 messages, 200 services (parse + link + options)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try compiler.compile(names))
        }
    }

    Benchmark("compile + DescriptorPool") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DescriptorPool(files: compiler.compile(names)))
        }
    }
}

/// Deterministic `.proto` sources: messages with scalar, message, enum, repeated, map and oneof
/// fields that refer across files, and annotated services.
enum SchemaCorpusGenerator {
    static func files(count: Int, messagesPerFile: Int, servicesPerFile: Int) -> [String: String] {
        var files: [String: String] = [:]
        for file in 0..<count {
            var text = """
                // Generated benchmark schema \(file).
                syntax = "proto3";

                package bench.f\(file);

                import "google/api/annotations.proto";
                import "google/protobuf/timestamp.proto";

                """
            if file > 0 { text += "import \"bench/f\(file - 1).proto\";\n" }
            text += "\noption java_package = \"com.example.bench.f\(file)\";\n\n"
            text += "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_ACTIVE = 1;\n  STATUS_DELETED = 2;\n}\n\n"
            for message in 0..<messagesPerFile {
                let previous = message > 0 ? "M\(message - 1)" : (file > 0 ? "bench.f\(file - 1).M0" : "M0")
                text += """
                    /* Message \(message) of file \(file). */
                    message M\(message) {
                      string name = 1;
                      int64 id = 2 [json_name = "identifier"];
                      repeated \(previous) children = 3;
                      Status status = 4;
                      map<string, int32> counters = 5;
                      google.protobuf.Timestamp created_at = 6;
                      optional double score = 7;
                      oneof payload {
                        string text = 8;
                        bytes blob = 9;
                        Nested nested = 10;
                      }
                      message Nested { repeated fixed64 values = 1 [packed = false]; }
                      reserved 20 to 29;
                    }


                    """
            }
            for service in 0..<servicesPerFile {
                text += "service S\(service) {\n"
                for method in 0..<5 {
                    let message = (service * 5 + method) % messagesPerFile
                    text += """
                          rpc Call\(method)(M\(message)) returns (M\(message)) {
                            option (google.api.http) = {
                              post: "/v1/f\(file)/s\(service)/{name=items/*}:call\(method)"
                              body: "*"
                              additional_bindings { get: "/v1/f\(file)/s\(service)/\(method)/{id}" }
                            };
                          }

                        """
                }
                text += "}\n\n"
            }
            files["bench/f\(file).proto"] = text
        }
        return files
    }
}
