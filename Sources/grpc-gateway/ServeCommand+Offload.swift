import ArgumentParser
import Gateway

extension GRPCGatewayCommand.Serve {
    /// `--cors-allow-origin` and `--compress`: the common case without a config file. Each
    /// replaces the corresponding `cors` / `compression` block of a config file.
    func applyOffloadFlags(to offload: inout OffloadConfiguration) throws {
        if !corsAllowOrigin.isEmpty {
            var origins: [OriginPattern] = []
            for text in corsAllowOrigin {
                guard let pattern = OriginPattern(text) else {
                    throw ValidationError(
                        "--cors-allow-origin '\(text)': expected *, scheme://host[:port] or [scheme://]*.domain[:port]")
                }
                origins.append(pattern)
            }
            offload.cors = CORSPolicy(allowedOrigins: origins)
        }
        if compress {
            offload.compression = CompressionPolicy()
            offload.decompressRequests = true
        }
    }
}
