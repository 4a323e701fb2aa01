/// Every full name defined by the files compiled so far, and name lookup by protobuf's scoping
/// rules (protoc's `DescriptorBuilder::LookupSymbol`).
///
/// A relative name is searched from the innermost scope outwards: for `foo.Bar` used in scope
/// `a.b.C`, the candidates are `a.b.C.foo`, `a.b.foo`, `a.foo` and `foo`. The first scope where
/// the *first* component (`foo`) exists wins; if the rest is not inside it, the lookup fails
/// rather than continuing outwards. A leading dot makes a name absolute. Only symbols of the file
/// itself, its imports and their public imports are visible.
struct SchemaSymbolTable {
    enum Kind: Equatable {
        case package, message, enumeration, service, field, oneof, enumValue, method, `extension`

        var isType: Bool { self == .message || self == .enumeration }
        /// Kinds that have children a compound name can continue into.
        var isAggregate: Bool { self == .package || self == .message || self == .enumeration || self == .service }

        var noun: String {
            switch self {
            case .package: "package"
            case .message: "message"
            case .enumeration: "enum"
            case .service: "service"
            case .field: "field"
            case .oneof: "oneof"
            case .enumValue: "enum value"
            case .method: "method"
            case .extension: "extension"
            }
        }
    }

    struct Symbol {
        var kind: Kind
        var file: Int
    }

    enum Lookup {
        case found(String, Symbol)
        /// Defined in a file the current file does not import.
        case notImported(String, file: Int)
        case notFound
    }

    private(set) var symbols: [String: Symbol] = [:]
    /// Each file's package and the package's enclosing packages.
    private(set) var packagesByFile: [Int: Set<String>] = [:]
    /// Full names of the messages and enums of each file, for "did you mean" suggestions.
    private(set) var typeNamesByFile: [Int: [String]] = [:]

    /// Records file number `file` and its package, before its symbols are defined.
    mutating func addFile(_ file: Int, package: String) {
        var packages: Set<String> = []
        var prefix = ""
        for component in package.split(separator: ".") {
            prefix = prefix.isEmpty ? String(component) : prefix + "." + component
            packages.insert(prefix)
        }
        packagesByFile[file] = packages
        typeNamesByFile[file] = []
    }

    /// Defines `fullName`; returns the existing symbol when the name is taken (packages may be
    /// defined by any number of files).
    mutating func define(_ fullName: String, kind: Kind, file: Int) -> Symbol? {
        if let existing = symbols[fullName] {
            if existing.kind == .package && kind == .package { return nil }
            return existing
        }
        symbols[fullName] = Symbol(kind: kind, file: file)
        if kind.isType { typeNamesByFile[file, default: []].append(fullName) }
        return nil
    }

    /// The symbol with exactly this full name, if `visible` may see it.
    func find(_ fullName: String, visible: Set<Int>) -> Lookup {
        guard let symbol = symbols[fullName] else { return .notFound }
        if visible.contains(symbol.file) { return .found(fullName, symbol) }
        if symbol.kind == .package && visible.contains(where: { packagesByFile[$0]?.contains(fullName) == true }) {
            return .found(fullName, symbol)
        }
        return .notImported(fullName, file: symbol.file)
    }

    /// Resolves `name` as written in `scope` (the full name of the enclosing message, service or
    /// package). With `typesOnly`, single-component matches that are not types are skipped.
    func lookup(_ name: String, scope: String, visible: Set<Int>, typesOnly: Bool) -> Lookup {
        if name.hasPrefix(".") { return find(String(name.dropFirst()), visible: visible) }
        let firstPart = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        let isCompound = firstPart.utf8.count < name.utf8.count
        var scopeToTry = scope
        var notImported: Lookup?
        while true {
            let candidate = scopeToTry.isEmpty ? firstPart : scopeToTry + "." + firstPart
            switch find(candidate, visible: visible) {
            case .found(_, let symbol):
                if isCompound {
                    if symbol.kind.isAggregate {
                        let full = scopeToTry.isEmpty ? name : scopeToTry + "." + name
                        return find(full, visible: visible)
                    }
                } else if !typesOnly || symbol.kind.isType {
                    return .found(candidate, symbol)
                }
            case .notImported(let fullName, let file):
                if notImported == nil {
                    let full = scopeToTry.isEmpty ? name : scopeToTry + "." + name
                    notImported = isCompound ? .notImported(full, file: file) : .notImported(fullName, file: file)
                }
            case .notFound:
                break
            }
            if scopeToTry.isEmpty { return notImported ?? .notFound }
            if let dot = scopeToTry.lastIndex(of: ".") {
                scopeToTry = String(scopeToTry[..<dot])
            } else {
                scopeToTry = ""
            }
        }
    }

    /// The visible message or enum whose name is closest to `name` (edit distance at most a
    /// third of its length), written as short as the scope allows.
    func suggestion(for name: String, scope: String, visible: Set<Int>) -> String? {
        let wanted = name.split(separator: ".").last.map(String.init) ?? name
        var best: (distance: Int, name: String)?
        let limit = max(1, wanted.count / 3)
        for file in visible.sorted() {
            for candidate in typeNamesByFile[file] ?? [] {
                let simple = candidate.split(separator: ".").last.map(String.init) ?? candidate
                let distance = Self.editDistance(Array(wanted.utf8), Array(simple.utf8), limit: limit)
                guard distance <= limit, distance > 0 || candidate != name else { continue }
                if best == nil || distance < best!.distance { best = (distance, candidate) }
            }
        }
        guard let best else { return nil }
        let simple = best.name.split(separator: ".").last.map(String.init) ?? best.name
        if case .found(let resolved, _) = lookup(simple, scope: scope, visible: visible, typesOnly: true),
            resolved == best.name
        {
            return simple
        }
        return best.name
    }

    /// The candidate closest to `name` (edit distance at most a third of its length), as a
    /// " (did you mean …?)" suffix for an error message, or "".
    static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String {
        let wanted = Array(name.utf8)
        let limit = max(1, wanted.count / 3)
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(wanted, Array(candidate.utf8), limit: limit)
            if distance <= limit && (best == nil || distance < best!.distance) { best = (distance, candidate) }
        }
        return best.map { " (did you mean \"\($0.name)\"?)" } ?? ""
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            row[0] = i
            var rowMinimum = row[0]
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, row[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &row)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
