internal import CNGHTTP2

/// Facts about the libnghttp2 this binary links against.
public enum NGHTTP2Library {
    /// The runtime version string, e.g. `1.52.0` (`nghttp2_version`).
    public static var version: String {
        guard let info = nghttp2_version(0), let string = info.pointee.version_str else { return "unknown" }
        return String(cString: string)
    }

    /// The runtime version as `0xMMmmpp` (major, minor, patch).
    public static var versionNumber: Int {
        guard let info = nghttp2_version(0) else { return 0 }
        return Int(info.pointee.version_num)
    }
}
