import ProtoWire

/// The ProtoJSON codec and `google.api.http` route tables live in this module; both are driven by
/// a ``DescriptorPool`` from ProtoWire.
public enum Transcoder {
    /// The `google.api.http` extension of `google.protobuf.MethodOptions` (`google/api/annotations.proto`).
    public static let httpRuleExtensionFieldNumber: UInt32 = 72_295_728
}
