extension RouteMatcher {
    /// Matches a request. `target` is the request target's bytes (`:path`), query included;
    /// `method` the HTTP method's bytes. Allocation-free.
    public func lookup(method: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer) -> RouteLookup {
        guard let first = target.first, first == UInt8(ascii: "/") else { return .notFound }
        // One pass: the slash before each segment, up to the query.
        var segments = PathSegments()
        var pathEnd = target.count
        var query: Range<Int>?
        var lastSlash = 0
        var previousSlash = 0
        var index = 0
        while index < target.count {
            let byte = target[index]
            if byte == UInt8(ascii: "/") {
                if segments.count < 33 { segments.slashes[segments.count] = Int32(index) }
                segments.count += 1
                previousSlash = lastSlash
                lastSlash = index
            } else if byte == UInt8(ascii: "?") {
                pathEnd = index
                query = index + 1..<target.count
                break
            }
            index += 1
        }
        if trailingSlash == .ignore && pathEnd > 1 && lastSlash == pathEnd - 1 {
            // Drop the trailing "/" and the empty segment after it.
            pathEnd -= 1
            segments.count -= 1
            lastSlash = previousSlash
        }
        if pathEnd == 1 { segments.count = 0 }
        segments.end = pathEnd

        var search = Search(path: target, segments: segments, verb: 0..<0, methodID: methodID(method), allowed: 0)
        // First with the last segment's `:suffix` as the verb, then without a verb.
        if segments.count > 0 {
            var colon = pathEnd - 1
            while colon > lastSlash && target[colon] != UInt8(ascii: ":") { colon -= 1 }
            if colon > lastSlash && colon + 1 < pathEnd {
                search.segments.end = colon
                search.verb = colon + 1..<pathEnd
                let route = self.search(node: 0, depth: 0, &search)
                if route >= 0 {
                    return .matched(RouteMatch(routeIndex: Int(route), segments: search.segments, query: query))
                }
                search.segments.end = pathEnd
                search.verb = 0..<0
            }
        }
        let route = self.search(node: 0, depth: 0, &search)
        if route >= 0 { return .matched(RouteMatch(routeIndex: Int(route), segments: search.segments, query: query)) }
        if search.allowed != 0 { return .methodNotAllowed(AllowedMethods(mask: search.allowed, names: methodNames)) }
        return .notFound
    }

    /// Matches a request given as strings (tests and tools; the server passes bytes).
    public func lookup(method: String, target: String) -> RouteLookup {
        var method = method
        var target = target
        return method.withUTF8 { methodBytes in
            target.withUTF8 { lookup(method: UnsafeRawBufferPointer(methodBytes), target: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Per-request search state; lives on the stack.
    struct Search {
        let path: UnsafeRawBufferPointer
        var segments: PathSegments
        var verb: Range<Int>
        let methodID: Int
        /// The methods of every terminal the path reached, for a 405.
        var allowed: UInt64
    }

    func methodID(_ method: UnsafeRawBufferPointer) -> Int {
        for id in methodBytes.indices where methodBytes[id].count == method.count {
            var equal = true
            for (offset, byte) in methodBytes[id].enumerated() where byte != method[offset] {
                equal = false
                break
            }
            if equal { return id }
        }
        return -1
    }

    /// Depth-first search in precedence order; returns a route index or -1.
    func search(node index: Int, depth: Int, _ search: inout Search) -> Int32 {
        let node = nodes[index]
        if depth == search.segments.count {
            let route = check(node.terminalStart, node.terminalCount, &search)
            if route >= 0 { return route }
        } else if depth < PathTemplate.maximumSegmentCount && (node.edgeCount > 0 || node.wildcard >= 0) {
            let range = search.segments.range(of: depth)
            let segment = UnsafeRawBufferPointer(rebasing: search.path[range])
            if node.edgeCount > 0, let child = edge(from: node, matching: segment) {
                let route = self.search(node: child, depth: depth + 1, &search)
                if route >= 0 { return route }
            }
            if node.wildcard >= 0 && !segment.isEmpty {
                let route = self.search(node: Int(node.wildcard), depth: depth + 1, &search)
                if route >= 0 { return route }
            }
        }
        if node.multiCount > 0 {
            return check(node.multiStart, node.multiCount, &search)
        }
        return -1
    }

    /// The first terminal in the run with the request's verb and method; records every method
    /// seen with that verb.
    func check(_ start: Int32, _ count: Int32, _ search: inout Search) -> Int32 {
        var found: Int32 = -1
        for index in Int(start)..<Int(start + count) {
            let terminal = terminals[index]
            guard Int(terminal.verbCount) == search.verb.count else { continue }
            if terminal.verbCount > 0 {
                let path = UnsafeRawBufferPointer(rebasing: search.path[search.verb])
                let equal = labels.withUnsafeBytes { labelBytes in
                    let verb = labelBytes[Int(terminal.verbStart)..<Int(terminal.verbStart + terminal.verbCount)]
                    return Self.compare(UnsafeRawBufferPointer(rebasing: verb), path) == 0
                }
                guard equal else { continue }
            }
            search.allowed |= 1 << UInt64(terminal.methodID)
            if found < 0 && Int(terminal.methodID) == search.methodID { found = terminal.routeIndex }
        }
        return found
    }

    /// The literal edge equal to `segment`: binary search on the raw bytes, then, for a segment
    /// with escapes, a scan that decodes escaped unreserved characters.
    func edge(from node: Node, matching segment: UnsafeRawBufferPointer) -> Int? {
        var low = Int(node.edgeStart)
        var high = low + Int(node.edgeCount)
        labels.withUnsafeBytes { labelBytes in
            while low < high {
                let middle = (low + high) / 2
                let edge = edges[middle]
                let label = UnsafeRawBufferPointer(
                    rebasing: labelBytes[Int(edge.labelStart)..<Int(edge.labelStart + edge.labelCount)])
                let order = Self.compare(label, segment)
                if order == 0 {
                    low = middle
                    high = -1
                } else if order < 0 {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
        }
        if high == -1 { return Int(edges[low].target) }
        guard segment.contains(UInt8(ascii: "%")) else { return nil }
        return labels.withUnsafeBytes { labelBytes in
            for edge in edges[Int(node.edgeStart)..<Int(node.edgeStart + node.edgeCount)] {
                let label = UnsafeRawBufferPointer(
                    rebasing: labelBytes[Int(edge.labelStart)..<Int(edge.labelStart + edge.labelCount)])
                if PercentDecoding.segment(segment, equalsLiteral: label) { return Int(edge.target) }
            }
            return nil
        }
    }
}
