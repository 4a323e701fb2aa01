/// One `name=value` pair of a query string, percent-decoded
/// (`application/x-www-form-urlencoded`: `+` is a space).
///
/// Names address request fields: dotted paths of proto or JSON names (`author.given_name`,
/// `author.givenName`), and map entries as `labels[key]` (a grpc-gateway extension no other
/// peer reads; Google's ESP does not support maps in queries).
struct QueryParameter: Sendable, Hashable {
    /// The name as sent, decoded: used in errors.
    let name: String
    /// The dotted field names before any `[key]`.
    let fieldNames: [Substring]
    /// The map key inside `[...]`, or nil.
    let mapKey: Substring?
    let value: String

    /// Splits and decodes a raw query string; empty pairs (`a=1&&b=2`) are skipped, and a pair
    /// without `=` has an empty value.
    static func parse(
        _ query: UnsafeRawBufferPointer, limit: Int
    ) throws(RequestBindingError) -> [QueryParameter] {
        var parameters: [QueryParameter] = []
        var start = 0
        while start <= query.count {
            var end = start
            while end < query.count && query[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                if parameters.count == limit {
                    throw RequestBindingError(
                        .tooManyParameters, .query, "", "more than \(limit) in one request")
                }
                parameters.append(try parsePair(UnsafeRawBufferPointer(rebasing: query[start..<end])))
            }
            start = end + 1
        }
        return parameters
    }

    static func parsePair(_ pair: UnsafeRawBufferPointer) throws(RequestBindingError) -> QueryParameter {
        let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.count
        let rawName = UnsafeRawBufferPointer(rebasing: pair[0..<equals])
        let rawValue = UnsafeRawBufferPointer(rebasing: pair[min(equals + 1, pair.count)..<pair.count])
        guard let name = PercentDecoding.decodeString(rawName, mode: .query) else {
            let shown = String(decoding: rawName, as: UTF8.self)
            throw RequestBindingError(.invalidEncoding, .query, shown, "name is not UTF-8 once percent-decoded")
        }
        guard let value = PercentDecoding.decodeString(rawValue, mode: .query) else {
            throw RequestBindingError(.invalidEncoding, .query, name, "value is not UTF-8 once percent-decoded")
        }
        var path = Substring(name)
        var mapKey: Substring?
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            path = name[..<open]
            mapKey = name[name.index(after: open)..<name.index(before: name.endIndex)]
        }
        let fieldNames = path.split(separator: ".", omittingEmptySubsequences: false)
        return QueryParameter(name: name, fieldNames: fieldNames, mapKey: mapKey, value: value)
    }
}
