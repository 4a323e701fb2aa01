import Testing

@testable import Transcoder

@Suite("Path templates")
struct PathTemplateTests {
    struct Good: CustomTestStringConvertible, Sendable {
        let template: String
        /// Segments as the shape shows them.
        let shape: String
        /// `field=start..<end` for each variable.
        let variables: [String]
        let verb: String?
        var testDescription: String { template }
    }

    static let good: [Good] = [
        Good(template: "/", shape: "/", variables: [], verb: nil),
        Good(template: "/v1/shelves", shape: "/v1/shelves", variables: [], verb: nil),
        Good(template: "/v1/shelves/{shelf}", shape: "/v1/shelves/*", variables: ["shelf=2..<3"], verb: nil),
        Good(template: "/v1/{shelf=*}", shape: "/v1/*", variables: ["shelf=1..<2"], verb: nil),
        Good(
            template: "/v1/{book.name=shelves/*/books/*}", shape: "/v1/shelves/*/books/*",
            variables: ["book.name=1..<5"], verb: nil),
        Good(template: "/v1/{name=**}", shape: "/v1/**", variables: ["name=1..<2"], verb: nil),
        Good(template: "/v1/files/**:download", shape: "/v1/files/**:download", variables: [], verb: "download"),
        Good(template: "/v1/{name}:cancel", shape: "/v1/*:cancel", variables: ["name=1..<2"], verb: "cancel"),
        Good(template: "/v1/items:batchGet", shape: "/v1/items:batchGet", variables: [], verb: "batchGet"),
        Good(
            template: "/v1/{a}/x/{b.c_d=y/*}/*", shape: "/v1/*/x/y/*/*", variables: ["a=1..<2", "b.c_d=3..<5"],
            verb: nil),
        Good(template: "/v1/a-b.c_d~e/%20x", shape: "/v1/a-b.c_d~e/%20x", variables: [], verb: nil),
        Good(template: "/v1/$!&'()+,;=@", shape: "/v1/$!&'()+,;=@", variables: [], verb: nil),
        Good(template: "/_x/{_private}", shape: "/_x/*", variables: ["_private=1..<2"], verb: nil),
    ]

    @Test(arguments: good)
    func parses(_ row: Good) throws {
        let template = try PathTemplate(parsing: row.template)
        #expect(template.shape == row.shape)
        #expect(template.variables.map { "\($0.dottedPath)=\($0.segments)" } == row.variables)
        #expect(template.verb == row.verb)
        #expect(template.text == row.template)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let template: String
        let error: String
        let code: PathTemplateError.Code
        var testDescription: String { template }
    }

    static let bad: [Bad] = [
        Bad(template: "", error: #""": a template must not be empty (col 1)"#, code: .emptyTemplate),
        Bad(template: "v1/x", error: #""v1/x": a template must start with '/' (col 1)"#, code: .missingLeadingSlash),
        Bad(
            template: "/v1/{name=**}/x", error: #""/v1/{name=**}/x": '**' must be the last segment (col 11)"#,
            code: .multiWildcardNotLast),
        Bad(
            template: "/v1/**/x", error: #""/v1/**/x": '**' must be the last segment (col 5)"#,
            code: .multiWildcardNotLast),
        Bad(
            template: "/v1/{name={id}}", error: #""/v1/{name={id}}": variables must not nest (col 11)"#,
            code: .nestedVariable),
        Bad(
            template: "/v1/{a{b}}", error: #""/v1/{a{b}}": variables must not nest (col 7)"#, code: .nestedVariable),
        Bad(template: "/v1//x", error: #""/v1//x": expected a segment (col 5)"#, code: .emptySegment),
        Bad(template: "/v1/", error: #""/v1/": expected a segment (col 5)"#, code: .emptySegment),
        Bad(
            template: "/v1/{name", error: #""/v1/{name": variable is not closed with '}' (col 10)"#,
            code: .unterminatedVariable),
        Bad(
            template: "/v1/{name=a", error: #""/v1/{name=a": variable is not closed with '}' (col 12)"#,
            code: .unterminatedVariable),
        Bad(
            template: "/v1/{1name}", error: #""/v1/{1name}": expected a field name, found '1' (col 6)"#,
            code: .invalidFieldPath),
        Bad(
            template: "/v1/{a..b}", error: #""/v1/{a..b}": expected a field name, found '.' (col 8)"#,
            code: .invalidFieldPath),
        Bad(template: "/v1/{}", error: #""/v1/{}": expected a field name, found '}' (col 6)"#, code: .invalidFieldPath),
        Bad(
            template: "/v1/x:", error: #""/v1/x:": expected a verb after ':', found the end (col 7)"#,
            code: .invalidVerb),
        Bad(template: "/v1/x:a:b", error: #""/v1/x:a:b": unexpected ':' (col 8)"#, code: .unexpectedCharacter),
        Bad(template: "/v1/a:b/c", error: #""/v1/a:b/c": unexpected '/' (col 8)"#, code: .unexpectedCharacter),
        Bad(template: "/v1/x?y", error: #""/v1/x?y": unexpected '?' in a segment (col 6)"#, code: .unexpectedCharacter),
        Bad(template: "/v1/a b", error: #""/v1/a b": unexpected ' ' in a segment (col 6)"#, code: .unexpectedCharacter),
        Bad(
            template: "/v1/*x", error: #""/v1/*x": unexpected 'x' after a wildcard (col 6)"#,
            code: .unexpectedCharacter),
        Bad(
            template: "/v1/%2", error: #""/v1/%2": '%' must be followed by two hex digits (col 5)"#,
            code: .invalidPercentEncoding),
        Bad(
            template: "/v1/%zz", error: #""/v1/%zz": '%' must be followed by two hex digits (col 5)"#,
            code: .invalidPercentEncoding),
        Bad(
            template: "/v1/{a}/{a}", error: #""/v1/{a}/{a}": field 'a' is bound twice (col 9)"#,
            code: .duplicateVariable),
        Bad(template: "/v1/x}", error: #""/v1/x}": unexpected '}' (col 6)"#, code: .unexpectedCharacter),
        Bad(
            template: "/" + Array(repeating: "a", count: 33).joined(separator: "/"),
            error: "\"/" + Array(repeating: "a", count: 33).joined(separator: "/")
                + "\": more than 32 segments (col 66)", code: .tooManySegments),
    ]

    @Test(arguments: bad)
    func rejects(_ row: Bad) {
        #expect(throws: PathTemplateError.self) { try PathTemplate(parsing: row.template) }
        do {
            _ = try PathTemplate(parsing: row.template)
        } catch {
            #expect(error.description == row.error)
            #expect(error.code == row.code)
        }
    }

    @Test func thirtyTwoSegmentsAreAllowed() throws {
        let template = try PathTemplate(parsing: "/" + Array(repeating: "a", count: 32).joined(separator: "/"))
        #expect(template.segments.count == 32)
    }
}
