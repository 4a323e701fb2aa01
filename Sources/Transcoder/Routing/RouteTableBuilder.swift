import ProtoWire

/// Reads every method's `google.api.http` rule, validates it against the descriptors, and
/// collects routes and problems. Single-threaded; ``RouteTable`` freezes the result.
struct RouteTableBuilder {
    let pool: DescriptorPool
    private(set) var routes: [Route] = []
    private(set) var problems: [RouteTableError.Problem] = []
    private(set) var matcher = RouteMatcherBuilder()
    /// `METHOD shape` of every route so far, with the RPC that owns it.
    private var owners: [String: String] = [:]

    init(pool: DescriptorPool) {
        self.pool = pool
    }

    mutating func report(_ code: RouteTableError.Code, _ method: MethodDescriptor, _ message: String) {
        problems.append(RouteTableError.Problem(code: code, method: method.fullName, message: message))
    }

    mutating func addAnnotatedRoutes() {
        for service in pool.services {
            for method in service.methods {
                addRoutes(of: method)
            }
        }
    }

    /// `POST /package.Service/Method`, body `*`, for every method whose path no annotation took.
    mutating func addAutoMappedRoutes() {
        for service in pool.services {
            for method in service.methods {
                guard let template = try? PathTemplate(parsing: method.grpcPath) else { continue }
                let key = "POST " + template.shape
                guard owners[key] == nil else { continue }
                owners[key] = method.fullName
                add(
                    Route(
                        httpMethod: "POST", template: template, method: method, body: .wholeMessage,
                        responseBody: nil, pathBindings: [], origin: .autoMapped))
            }
        }
    }

    mutating func addRoutes(of method: MethodDescriptor) {
        let rule: HttpRule?
        do {
            rule = try HttpRule(methodOptions: method.options)
        } catch {
            report(.malformedOption, method, "google.api.http option does not decode: \(error)")
            return
        }
        guard let rule else { return }
        let bindings = [rule] + rule.additionalBindings
        for (index, binding) in bindings.enumerated() {
            let name = index == 0 ? "google.api.http" : "additional_bindings[\(index - 1)]"
            if index > 0 && !binding.additionalBindings.isEmpty {
                report(.nestedAdditionalBindings, method, "\(name) must not have additional_bindings of its own")
            }
            if let route = makeRoute(binding, index: index, name: name, method: method) {
                let key = route.httpMethod + " " + route.template.shape
                if let owner = owners[key] {
                    report(
                        .duplicateRoute, method,
                        "\(name) \(route.httpMethod) \(route.template) collides with \(owner) on \(key)")
                    continue
                }
                owners[key] = method.fullName
                add(route)
            }
        }
    }

    mutating func add(_ route: Route) {
        guard let id = matcher.methodID(route.httpMethod) else {
            report(.tooManyMethods, route.method, "more than 64 distinct HTTP methods in one table")
            return
        }
        matcher.insert(route.template, methodID: id, routeIndex: routes.count)
        routes.append(route)
    }

    /// Validates one binding; reports its problems and returns nil when it has any.
    mutating func makeRoute(_ rule: HttpRule, index: Int, name: String, method: MethodDescriptor) -> Route? {
        guard let pattern = rule.pattern else {
            report(.missingPattern, method, "\(name) sets none of get, put, post, delete, patch, custom")
            return nil
        }
        let problemCount = problems.count
        if pattern.method.isEmpty || !pattern.method.utf8.allSatisfy(Self.isTokenByte) {
            report(.invalidCustomKind, method, "\(name) custom kind \"\(pattern.method)\" is not an HTTP method token")
        }
        let template: PathTemplate
        do {
            template = try PathTemplate(parsing: pattern.path)
        } catch {
            report(.invalidTemplate, method, "\(name) \(error)")
            return nil
        }
        let bindings = template.variables.compactMap { pathBinding($0, template: template, name: name, method: method) }
        let body = bodyRule(rule.body, name: name, method: method)
        let responseBody = responseBodyField(rule.responseBody, name: name, method: method)
        if case .field(let bodyField) = body {
            for binding in bindings where binding.fieldPath.numbers == bodyField.numbers {
                report(
                    .bodyCollision, method,
                    "\(name) path variable '\(binding.fieldPath)' binds the field the body fills ('\(bodyField)')")
            }
        }
        guard problems.count == problemCount else { return nil }
        return Route(
            httpMethod: pattern.method, template: template, method: method, body: body,
            responseBody: responseBody, pathBindings: bindings, origin: .annotation(bindingIndex: index))
    }

    mutating func pathBinding(
        _ variable: PathTemplate.Variable, template: PathTemplate, name: String, method: MethodDescriptor
    ) -> Route.PathBinding? {
        let location = "\(name) \"\(template)\" variable '\(variable.dottedPath)'"
        switch FieldPath.resolve(
            variable.fieldPath.map { Substring($0) }, from: method.inputIndex, pool: pool, acceptJSONNames: false)
        {
        case .failure(.unknownField(let field, let message)):
            report(.unknownField, method, "\(location): no field '\(field)' in \(message)")
            return nil
        case .failure(.notAMessage(let field)):
            report(.invalidVariableField, method, "\(location): '\(field)' is not a singular message field")
            return nil
        case .success(let path):
            let leaf = path.leaf
            if leaf.isRepeated || !path.leafTakesText(pool: pool) {
                let kind = leaf.isMap ? "a map" : leaf.isRepeated ? "repeated" : "a message"
                report(.invalidVariableField, method, "\(location): field '\(path)' is \(kind), not a scalar")
                return nil
            }
            return Route.PathBinding(
                fieldPath: path, segments: variable.segments,
                extendsToEnd: variable.segments.upperBound == template.segments.count && template.endsInMultiWildcard,
                isMultiSegment: variable.isMultiSegment)
        }
    }

    /// The body rule; `.none` after reporting a problem.
    mutating func bodyRule(_ body: String, name: String, method: MethodDescriptor) -> Route.Body {
        switch body {
        case "": return .none
        case "*": return .wholeMessage
        default:
            guard let field = pool.messages[method.inputIndex].field(named: body) else {
                report(
                    .invalidBody, method,
                    "\(name) body '\(body)' is not a top-level field of \(method.inputTypeName)")
                return .none
            }
            return .field(FieldPath([field]))
        }
    }

    /// The response field, or nil for the whole response (or after reporting a problem).
    mutating func responseBodyField(_ field: String, name: String, method: MethodDescriptor) -> FieldPath? {
        if field.isEmpty { return nil }
        guard let descriptor = pool.messages[method.outputIndex].field(named: field) else {
            report(
                .invalidResponseBody, method,
                "\(name) response_body '\(field)' is not a top-level field of \(method.outputTypeName)")
            return nil
        }
        return FieldPath([descriptor])
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if RoutingBytes.isLetter(byte) || RoutingBytes.isDigit(byte) { return true }
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}
