/// Enums and services.
///
///     enum        = "enum" enumName "{" { option | enumField | reserved | emptyStatement } "}"
///     enumField   = ident "=" [ "-" ] intLit [ "[" enumValueOption { "," enumValueOption } "]" ] ";"
///     service     = "service" serviceName "{" { option | rpc | emptyStatement } "}"
///     rpc         = "rpc" rpcName "(" [ "stream" ] messageType ")" "returns" "(" [ "stream" ]
///                   messageType ")" ( ( "{" { option | emptyStatement } "}" ) | ";" )
extension SchemaParser {
    mutating func parseEnum(at start: SchemaLocation) throws(Failure) -> SchemaSyntaxTree.Enum {
        let nameLocation = location
        var result = SchemaSyntaxTree.Enum(name: try identifier("an enum name"), location: nameLocation)
        try expect("{")
        while !consume("}") {
            if atEnd { throw fail("reached end of file inside enum \"\(result.name)\"; missing \"}\"") }
            do throws(Failure) {
                if consume(";") { continue }
                if consumeKeyword("option") {
                    result.options.append(try parseOptionStatement())
                } else if consumeKeyword("reserved") {
                    if current.kind == .string {
                        result.reservedNames += try parseReservedNames()
                    } else {
                        result.reservedRanges += try parseRanges(maximum: Int32.max, allowNegative: true)
                    }
                    try expect(";")
                } else {
                    let valueLocation = location
                    let name = try identifier("an enum value name")
                    try expect("=", "after the enum value name")
                    let number = try signedInteger(
                        "an enum value number", in: Int64(Int32.min)...Int64(Int32.max))
                    var value = SchemaSyntaxTree.EnumValue(name: name, location: valueLocation, number: number)
                    if isSymbol("[") { value.options = try parseBracketOptions() }
                    try expect(";")
                    result.values.append(value)
                }
            } catch {
                skipStatement()
            }
        }
        return result
    }

    mutating func parseService(at start: SchemaLocation) throws(Failure) -> SchemaSyntaxTree.Service {
        let nameLocation = location
        var service = SchemaSyntaxTree.Service(name: try identifier("a service name"), location: nameLocation)
        try expect("{")
        while !consume("}") {
            if atEnd { throw fail("reached end of file inside service \"\(service.name)\"; missing \"}\"") }
            do throws(Failure) {
                if consume(";") { continue }
                if consumeKeyword("option") {
                    service.options.append(try parseOptionStatement())
                } else if consumeKeyword("rpc") {
                    service.methods.append(try parseMethod())
                } else {
                    throw fail("expected \"rpc\" or \"option\" in a service, found \(found)")
                }
            } catch {
                skipStatement()
            }
        }
        return service
    }

    private mutating func parseMethod() throws(Failure) -> SchemaSyntaxTree.Method {
        let nameLocation = location
        let name = try identifier("a method name")
        try expect("(")
        let clientStreaming = consumeKeyword("stream")
        let inputLocation = location
        let input = try fullIdentifier("a request message type", allowLeadingDot: true)
        try expect(")")
        try expectKeyword("returns")
        try expect("(")
        let serverStreaming = consumeKeyword("stream")
        let outputLocation = location
        let output = try fullIdentifier("a response message type", allowLeadingDot: true)
        try expect(")")
        var method = SchemaSyntaxTree.Method(
            name: name, location: nameLocation, inputType: input, inputLocation: inputLocation, outputType: output,
            outputLocation: outputLocation, clientStreaming: clientStreaming, serverStreaming: serverStreaming)
        if consume("{") {
            while !consume("}") {
                if atEnd { throw fail("reached end of file inside rpc \"\(name)\"; missing \"}\"") }
                do throws(Failure) {
                    if consume(";") { continue }
                    try expectKeyword("option")
                    method.options.append(try parseOptionStatement())
                } catch {
                    skipStatement()
                }
            }
            _ = consume(";")
        } else {
            try expect(";", "or \"{\" after the method")
        }
        return method
    }
}
