/// Compiles `.proto` files into `FileDescriptorProto`s, with no `protoc` needed: the same values
/// `protoc --include_imports --descriptor_set_out` writes, so ``DescriptorPool/init(files:)``
/// builds the same pool from either.
///
/// ProtoWire does no I/O: the caller supplies a function that reads a file by its import name
/// (searching its `--proto-path` directories). Imports that it cannot find fall back to the
/// bundled schemas (`google/protobuf/*.proto`, `google/api/*.proto`), so those resolve with no
/// files on disk.
///
/// ```swift
/// let compiler = SchemaCompiler { name in try? readFile(protoPath + "/" + name) }
/// let files = try compiler.compile(["bookstore/v1/bookstore.proto"])
/// let pool = try DescriptorPool(files: files)
/// ```
///
/// Errors come all at once, compiler style (``SchemaError``): every syntax error of every file,
/// then (for the files that parsed, and whose imports did) every semantic error.
public struct SchemaCompiler {
    /// Returns the contents of the file imported as `name`, or nil when no import path has it.
    public typealias FileReader = (_ name: String) -> [UInt8]?

    private let readFile: FileReader
    /// Whether imports the reader cannot find resolve to the bundled schemas.
    public var usesBundledSchemas = true
    /// Whether built-in options resolve against the bundled `descriptor.proto`. Off only while
    /// compiling that file itself.
    var usesBuiltinOptions = true

    public init(readFile: @escaping FileReader) {
        self.readFile = readFile
    }

    private struct Unit {
        var tree: SchemaSyntaxTree.File
        var dependencies: [Int?]
        var failed: Bool
    }

    /// Compiles `names` and everything they import, dependencies first (protoc's
    /// `--include_imports` order).
    public func compile(_ names: [String]) throws(SchemaError) -> [DescriptorProto.File] {
        var units: [Unit] = []
        var indexByName: [String: Int] = [:]
        var order: [Int] = []
        var diagnostics: [SchemaDiagnostic] = []
        var code: SchemaError.Code?

        func note(_ diagnostic: SchemaDiagnostic, _ kind: SchemaError.Code) {
            diagnostics.append(diagnostic)
            if code == nil { code = kind }
        }

        // Loads a file and its imports depth-first; returns its unit index, or nil when missing.
        func load(_ name: String, from importer: (file: String, location: SchemaLocation)?, stack: [String]) -> Int? {
            if let cycleStart = stack.firstIndex(of: name) {
                let cycle = (stack[cycleStart...] + [name]).joined(separator: " -> ")
                note(
                    SchemaDiagnostic(
                        file: importer?.file ?? name, location: importer?.location,
                        message: "file recursively imports itself: \(cycle)"), .semantic)
                return nil
            }
            if let index = indexByName[name] { return index }
            guard let source = readFile(name) ?? (usesBundledSchemas ? SchemaBundle.source(named: name) : nil) else {
                if let importer {
                    note(
                        SchemaDiagnostic(
                            file: importer.file, location: importer.location,
                            message: "import \"\(name)\" was not found on the import path or among the bundled schemas"),
                        .fileNotFound)
                } else {
                    note(
                        SchemaDiagnostic(file: name, location: nil, message: "file not found on the import path"),
                        .fileNotFound)
                }
                return nil
            }
            let (tree, parseDiagnostics) = SchemaParser.parse(source: source, name: name)
            for diagnostic in parseDiagnostics.sorted(by: {
                ($0.location ?? SchemaLocation(line: 0, column: 0))
                    < ($1.location ?? SchemaLocation(line: 0, column: 0))
            }) {
                note(diagnostic, .syntax)
            }
            let index = units.count
            indexByName[name] = index
            units.append(Unit(tree: tree, dependencies: [], failed: !parseDiagnostics.isEmpty))
            var dependencies: [Int?] = []
            var seenImports: Set<String> = []
            for entry in tree.imports {
                if !seenImports.insert(entry.path).inserted {
                    note(
                        SchemaDiagnostic(
                            file: name, location: entry.location, message: "import \"\(entry.path)\" was listed twice"),
                        .semantic)
                    units[index].failed = true
                }
                dependencies.append(load(entry.path, from: (name, entry.location), stack: stack + [name]))
            }
            units[index].dependencies = dependencies
            order.append(index)
            return index
        }

        for name in names { _ = load(name, from: nil, stack: []) }

        var state = SchemaLinkState()
        if usesBuiltinOptions {
            state.builtinMessages = SchemaBundle.descriptorMessages
            state.builtinEnums = SchemaBundle.descriptorEnums
        }
        let fileNames = units.map(\.tree.name)
        var linked: [Int: DescriptorProto.File] = [:]
        for index in order {
            let unit = units[index]
            if unit.failed { continue }
            let dependenciesFailed = unit.dependencies.contains { dependency in
                dependency.map { units[$0].failed || linked[$0] == nil } ?? true
            }
            if dependenciesFailed {
                units[index].failed = true
                for (entry, dependency) in zip(unit.tree.imports, unit.dependencies)
                where dependency.map({ linked[$0] == nil }) ?? false {
                    note(
                        SchemaDiagnostic(
                            file: unit.tree.name, location: entry.location,
                            message: "import \"\(entry.path)\" was not found or had errors"), .semantic)
                }
                continue
            }
            var linker = SchemaLinker(
                tree: unit.tree, fileIndex: index, visible: visibleFiles(of: index, units: units), fileNames: fileNames,
                state: state)
            state = SchemaLinkState()  // drop this reference, so the linker mutates its tables in place
            let file = linker.link()
            state = linker.state
            let ordered = linker.diagnostics.enumerated().sorted {
                ($0.element.location ?? SchemaLocation(line: 0, column: 0), $0.offset)
                    < ($1.element.location ?? SchemaLocation(line: 0, column: 0), $1.offset)
            }
            for (_, diagnostic) in ordered { note(diagnostic, .semantic) }
            if linker.diagnostics.isEmpty {
                linked[index] = file
            } else {
                units[index].failed = true
            }
        }
        if let code { throw SchemaError(code, diagnostics: diagnostics) }
        return order.compactMap { linked[$0] }
    }

    /// Parses one file without resolving anything: its lexical and syntax errors, in order. For
    /// editors and linters that check a file on its own.
    public static func syntaxDiagnostics(source: [UInt8], name: String) -> [SchemaDiagnostic] {
        SchemaParser.parse(source: source, name: name).diagnostics
    }

    /// Compiles `names` and builds the validated pool.
    public func compilePool(_ names: [String]) throws -> DescriptorPool {
        try DescriptorPool(files: compile(names))
    }

    /// The file itself, its imports, and (transitively) what those import publicly.
    private func visibleFiles(of index: Int, units: [Unit]) -> Set<Int> {
        var visible: Set<Int> = [index]
        var pending: [Int] = units[index].dependencies.compactMap { $0 }
        while let next = pending.popLast() {
            guard visible.insert(next).inserted else { continue }
            for (entry, dependency) in zip(units[next].tree.imports, units[next].dependencies)
            where entry.kind == .public {
                if let dependency { pending.append(dependency) }
            }
        }
        return visible
    }
}
