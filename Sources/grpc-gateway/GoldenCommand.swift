import ArgumentParser
import Foundation
import Gateway
import NIOPosix
import Synchronization
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway golden DIR`: golden scenario folders played through the real server and
    /// pipeline against a scripted backend, for checking a schema's transcoding.
    struct Golden: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check transcoding with golden scenario folders (request, upstream, reply, response).",
            discussion: """
                Each folder holds request.http (or request.raw), optional upstream.json (what the \
                backend must receive), optional reply.json (what it answers), response.json (what \
                the client must get) and optional config.yaml (limits, timeouts, json options). The \
                request goes through the gateway's real HTTP/1.1 server and pipeline to a scripted \
                gRPC backend on loopback. DIR is one folder or a folder of them. Prints one line \
                per scenario and every difference as folder/file: what; exit status 1 if any fails.
                """)

        @OptionGroup var schema: SchemaOptions

        @Argument(help: "Scenario folders, or folders of them.")
        var directories: [String]

        func run() throws {
            let routes = try RouteTable(pool: try schema.loadPool())
            var folders: [String] = []
            for directory in directories { folders += try GoldenScenario.folders(at: directory) }
            guard !folders.isEmpty else { throw ValidationError("no scenario folders (with a response.json) found") }
            let failed = Mutex(0)
            let done = DispatchSemaphore(value: 0)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let toRun = folders
            Task.detached {
                let runner = GoldenRunner(routes: routes, group: group)
                for folder in toRun {
                    let problems: [String]
                    let name = URL(fileURLWithPath: folder).lastPathComponent
                    do {
                        problems = await runner.run(try GoldenScenario(folder: folder))
                    } catch {
                        problems = ["\(error)"]
                    }
                    writeOut((problems.isEmpty ? "ok   " : "FAIL ") + name + "\n")
                    for problem in problems { writeOut("     \(problem)\n") }
                    if !problems.isEmpty { failed.withLock { $0 += 1 } }
                }
                done.signal()
            }
            done.wait()
            try? group.syncShutdownGracefully()
            let failures = failed.withLock { $0 }
            print("\(folders.count - failures) passed, \(failures) failed")
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
