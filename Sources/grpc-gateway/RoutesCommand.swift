import ArgumentParser
import Foundation
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway routes`: the HTTP routes the schemas' `google.api.http` annotations define.
    struct Routes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every HTTP route of the schemas' google.api.http annotations, sorted.",
            discussion: """
                One route a line: HTTP method, path template, package.Service/Method, body, \
                response_body and streaming kind; automatic POST /package.Service/Method routes end \
                in "auto". Invalid annotations are all reported on stderr, with exit status 1.
                """)

        @OptionGroup var schema: SchemaOptions

        @Flag(help: "Print a JSON array of route objects instead of lines.")
        var json = false

        @Flag(
            name: .customLong("no-auto-mapping"), help: "Leave out the automatic POST /package.Service/Method routes.")
        var noAutoMapping = false

        func run() throws {
            let pool = try schema.loadPool()
            let table: RouteTable
            do {
                table = try RouteTable(pool: pool, options: RouteTableOptions(autoMapping: !noAutoMapping))
            } catch {
                let report = error.problems.map { "error: \($0)\n" }.joined()
                FileHandle.standardError.write(Data(report.utf8))
                throw ExitCode(1)
            }
            print(json ? RouteListing.json(table) : RouteListing.text(table))
        }
    }
}
