internal import CZlib

/// Facts about the zlib this binary links against.
public enum ZlibLibrary {
    /// The runtime version string (`zlibVersion()`).
    public static var version: String { String(cString: zlibVersion()) }
}
