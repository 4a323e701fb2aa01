import ProtoWire
import Transcoder

/// A human-readable listing of what a pool serves: each service with its methods, their
/// streaming shape, and whether they carry a `google.api.http` annotation.
public enum SchemaSummary {
    public static func render(_ pool: DescriptorPool) -> String {
        var lines: [String] = []
        let messageCount = pool.messages.filter { !$0.isMapEntry }.count
        lines.append(
            "\(pool.files.count) files, \(messageCount) messages, \(pool.enums.count) enums, "
                + "\(pool.services.count) services")
        for service in pool.services.sorted(by: { $0.fullName < $1.fullName }) {
            lines.append("")
            lines.append("service \(service.fullName)  (\(pool.files[service.fileIndex].name))")
            for method in service.methods {
                let input = (method.isClientStreaming ? "stream " : "") + method.inputTypeName
                let output = (method.isServerStreaming ? "stream " : "") + method.outputTypeName
                let annotated =
                    (try? method.options.lengthDelimitedValues(
                        fieldNumber: Transcoder.httpRuleExtensionFieldNumber).isEmpty == false) ?? false
                lines.append("  \(method.grpcPath)  (\(input)) -> (\(output))\(annotated ? "  [google.api.http]" : "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
