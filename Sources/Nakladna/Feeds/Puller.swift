import Foundation

/// What one pull brought: the feed file it makes, and every answer that carried documents, as received.
package struct PullResult: Sendable {
    package var feed: Data
    package var responses: [Data]
}

/// Why a supplier could not be pulled: a message that names the supplier and what to fix, never a secret.
package struct PullError: Error, Sendable, CustomStringConvertible {
    package var supplier: String
    package var message: String
    package var description: String { "\(supplier): \(message)" }
}

/// Fetches one supplier's documents for a range through its mapping's `pull:` section.
package final class Puller {
    let supplier: SupplierConfig
    let spec: PullSpec
    let base: URL
    let client: HTTPClient
    let log: (String) -> Void
    /// Every answer that carried documents, as received, so far: archived even when the pull fails.
    package private(set) var received: [Data] = []
    private var bearer: String?
    private var refreshToken: String?
    private var tokenExpiry: Date?

    package init(supplier: SupplierConfig, spec: PullSpec, backoff: TimeInterval = 0.5, log: @escaping (String) -> Void)
        throws(PullError)
    {
        self.supplier = supplier
        self.spec = spec
        guard let text = supplier.httpBaseURL, let url = URL(string: text.hasSuffix("/") ? text : text + "/") else {
            throw PullError(supplier: supplier.id, message: "http.base_url is not a URL")
        }
        base = url
        client = HTTPClient(timeout: TimeInterval(supplier.httpTimeout ?? 30), backoff: backoff)
        self.log = log
    }

    /// Every answer for `from`…`to`, made into one feed file. Throws at the first request that fails for good:
    /// a pull is complete or it is nothing. Whatever the error says, it says no configured secret: a supplier may
    /// echo the key back in any answer, a 200 one included.
    package func pull(from: CalendarDate, to: CalendarDate) throws(PullError) -> PullResult {
        do {
            return try fetch(from: from, to: to)
        } catch {
            throw PullError(supplier: error.supplier, message: redact(error.message))
        }
    }

    /// `text` with every configured secret of the supplier replaced by `***`, as sent and as a server would echo
    /// it back (URL- or JSON-escaped).
    func redact(_ text: String) -> String {
        var text = text
        for secret in supplier.secrets.values.map({ $0.reveal() }).filter({ !$0.isEmpty }).sorted(by: {
            $0.count > $1.count
        }) {
            var forms = [secret]
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                forms.append(encoded)
            }
            forms.append(secret.replacingOccurrences(of: "/", with: "\\/"))
            for form in forms { text = text.replacingOccurrences(of: form, with: "***") }
        }
        return text
    }

    func fetch(from: CalendarDate, to: CalendarDate) throws(PullError) -> PullResult {
        var responses: [Data] = []
        defer { received = responses }
        switch spec.shape {
        case .single(let request):
            let body = try send(request, from: from, to: to)
            responses.append(body)
            try checkAnswer(body)
            return PullResult(feed: body, responses: [body])
        case .paged(let request, let documentsPath, let totalPath, let key):
            var documents: [JSONValue] = []
            var page = 1
            while true {
                let body = try send(request, from: from, to: to, page: page)
                responses.append(body)
                try checkAnswer(body)
                let json = try parse(body)
                let found = value(documentsPath, in: json)?.elements ?? []
                documents += found
                let total = value(totalPath, in: json)?.scalarText.flatMap { Int($0) } ?? Int.max
                if found.isEmpty || documents.count >= total { break }
                page += 1
                guard page <= 10_000 else { throw PullError(supplier: supplier.id, message: "more than 10 000 pages") }
            }
            return PullResult(feed: feed(.object([(key, .array(documents))])), responses: responses)
        case .listThenDetails(let list, let idsPath, let header, let headerTake, let lines, let linesTake, let into):
            let listBody = try send(list, from: from, to: to)
            try checkAnswer(listBody)
            let listed = value(idsPath, in: try parse(listBody))
            let ids = (listed.map { $0.elements.isEmpty ? [$0] : $0.elements } ?? []).compactMap(\.scalarText)
            var data: [JSONValue] = []
            for id in ids {
                let headerBody = try send(header, from: from, to: to, id: id)
                responses.append(headerBody)
                try checkAnswer(headerBody)
                let linesBody = try send(lines, from: from, to: to, id: id)
                responses.append(linesBody)
                try checkAnswer(linesBody)
                guard case .object(var members)? = value(headerTake, in: try parse(headerBody)) else {
                    throw PullError(supplier: supplier.id, message: "the header of document \(id) is not an object")
                }
                members.removeAll { $0.key == into }
                members.append((into, value(linesTake, in: try parse(linesBody)) ?? .array([])))
                data.append(.object(members))
            }
            return PullResult(
                feed: feed(.object([("Success", .bool(true)), ("Data", .array(data)), ("Errors", .array([]))])),
                responses: responses)
        }
    }

    // MARK: Requests

    func send(_ template: PullSpec.Request, from: CalendarDate, to: CalendarDate, page: Int = 1, id: String = "")
        throws(PullError) -> Data
    {
        let fill = { (text: String) throws(PullError) -> String in
            try self.substitute(text, from: from, to: to, page: page, id: id).text
        }
        // Joined as text: the path is sent exactly as the mapping writes it, a trailing slash included.
        guard var components = URLComponents(string: base.absoluteString + template.path)
        else { throw PullError(supplier: supplier.id, message: "bad path \(template.path)") }
        if !template.query.isEmpty {
            var items: [URLQueryItem] = []
            for (k, v) in template.query { items.append(URLQueryItem(name: k, value: try fill(v))) }
            components.queryItems = items
        }
        guard let url = components.url else {
            throw PullError(supplier: supplier.id, message: "bad URL for \(template.path)")
        }
        var headers: [(String, String)] = [("Accept", spec.format == "xml" ? "application/xml" : "application/json")]
        for (k, v) in template.headers { headers.append((k, try fill(v))) }
        var body: Data?
        if let fields = template.body {
            var object: [String: Any] = [:]
            for (k, v) in fields {
                let value = try substitute(v, from: from, to: to, page: page, id: id)
                object[k] = value.number.map { $0 as Any } ?? value.text
            }
            if case .keyInBody(let field, let credential) = spec.auth { object[field] = try secret(credential) }
            body = try serialize(object)
            headers.append(("Content-Type", "application/json"))
        }
        return try authorised(HTTPRequest(method: template.method, url: url, headers: headers, body: body))
    }

    /// Sends with the scheme's credentials; a JWT that expired is refreshed (or logged in again) once.
    func authorised(_ request: HTTPRequest) throws(PullError) -> Data {
        var request = request
        switch spec.auth {
        case .keyInBody: break
        case .header(let name, let prefix, let credential):
            request.headers.append((name, prefix + (try secret(credential))))
        case .bearerLogin:
            if bearer == nil { try login() }
            request.headers.append(("Authorization", "Bearer \(bearer ?? "")"))
        case .oauth2:
            if bearer == nil || (tokenExpiry.map { $0 < Date() } ?? true) { try oauthToken() }
            request.headers.append(("Authorization", "Bearer \(bearer ?? "")"))
        }
        do {
            return try client.send(request, log: { self.log("\(self.supplier.id): \($0)") }).body
        } catch {
            if case .status(401, let body) = error, case .bearerLogin = spec.auth,
                String(decoding: body, as: UTF8.self).contains("Expired JWT Token")
            {
                log("\(supplier.id): the token expired; refreshing it")
                try refresh()
                request.headers.removeAll { $0.0 == "Authorization" }
                request.headers.append(("Authorization", "Bearer \(bearer ?? "")"))
                do {
                    return try client.send(request).body
                } catch {
                    throw explain(error)
                }
            }
            throw explain(error)
        }
    }

    func login() throws(PullError) {
        guard
            case .bearerLogin(let path, _, let userField, let user, let passwordField, let password, let fingerprint) =
                spec.auth
        else { return }
        let body = try serialize([
            userField: supplier.identifiers[user] ?? "", passwordField: try secret(password),
            "browser_fingerprint": fingerprint,
        ])
        try takeToken(path: path, body: body)
    }

    func refresh() throws(PullError) {
        guard case .bearerLogin(_, let path, _, _, _, _, let fingerprint) = spec.auth else { return }
        do {
            try takeToken(
                path: path,
                body: try serialize(["refresh_token": refreshToken ?? "", "browser_fingerprint": fingerprint]))
        } catch {
            // A refused refresh: log in again, once.
            log("\(supplier.id): the refresh was refused; logging in again")
            bearer = nil
            try login()
        }
    }

    func takeToken(path: String, body: Data) throws(PullError) {
        let request = HTTPRequest(
            method: "POST", url: URL(string: base.absoluteString + path) ?? base,
            headers: [("Content-Type", "application/json")],
            body: body)
        let answer: Data
        do {
            answer = try client.send(request).body
        } catch {
            throw explain(error)
        }
        let json = try parse(answer)
        guard case .string(let token)? = json["token"] else {
            throw PullError(supplier: supplier.id, message: "the login answer has no token")
        }
        bearer = token
        if case .string(let refresh)? = json["refresh_token"] { refreshToken = refresh } else { refreshToken = nil }
    }

    func oauthToken() throws(PullError) {
        guard case .oauth2(let path, let scope, let id, let secretKey) = spec.auth else { return }
        let pair = "\(supplier.identifiers[id] ?? ""):\(try secret(secretKey))"
        var form = "grant_type=client_credentials"
        if !scope.isEmpty { form += "&scope=\(scope)" }
        let request = HTTPRequest(
            method: "POST", url: URL(string: base.absoluteString + path) ?? base,
            headers: [
                ("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ], body: Data(form.utf8))
        let answer: Data
        do {
            answer = try client.send(request).body
        } catch {
            throw explain(error)
        }
        let json = try parse(answer)
        guard case .string(let token)? = json["access_token"] else {
            throw PullError(supplier: supplier.id, message: "the token answer has no access_token")
        }
        bearer = token
        // A lifetime in seconds, not money: a Double is exact enough.
        let seconds = json["expires_in"]?.scalarText.flatMap { Double($0) } ?? 3600
        tokenExpiry = Date().addingTimeInterval(seconds - 30)
    }

    // MARK: Messages

    func explain(_ error: HTTPFailure) -> PullError {
        switch error {
        case .status(let code, let body) where [401, 403, 412].contains(code):
            var message = "the server refused the credentials (\(code))"
            if let key = credentialToFix(code) {
                message =
                    "the \(Puller.displayName(supplier.id)) \(key) was refused (\(code)): check `suppliers.\(supplier.id).credentials.\(key)`"
            }
            if let said = serverMessage(body) { message += "; the server said: \(said)" }
            return PullError(supplier: supplier.id, message: message)
        case .status(let code, let body):
            return PullError(
                supplier: supplier.id, message: "HTTP \(code)" + (serverMessage(body).map { ": \($0)" } ?? ""))
        case .transport(let text):
            return PullError(supplier: supplier.id, message: text)
        }
    }

    func credentialToFix(_ code: Int) -> String? {
        switch spec.auth {
        case .keyInBody(_, let c): return c
        case .header(_, _, let c): return c
        case .bearerLogin(_, _, _, _, _, let password, _): return password
        case .oauth2(_, _, _, let secret): return secret
        }
    }

    /// A short text from an error body, with every configured secret taken out.
    func serverMessage(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        var text = String(decoding: body.prefix(300), as: UTF8.self)
        if let json = try? JSONValue.parse(body) {
            if case .string(let m)? = json["message"] { text = m }
            if case .array(let errors)? = json["Errors"] {
                text = errors.compactMap { error -> String? in
                    if case .string(let d)? = error["Description"] { return d }
                    return nil
                }.joined(separator: "; ")
            }
        }
        text = redact(text)
        text = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.isEmpty ? nil : text
    }

    static func displayName(_ id: String) -> String {
        [
            "omega": "Omega", "busmarket": "BusMarket", "uniquetrade": "Unique Trade", "vesna": "Vesna",
            "intercars": "Inter Cars", "elit": "Elit",
        ][id] ?? id
    }

    /// An answer with status 200 that is an error all the same (Omega's `"Success": false`).
    func checkAnswer(_ body: Data) throws(PullError) {
        guard let (path, values, messagePath) = spec.errorWhen, spec.format == "json",
            let json = try? JSONValue.parse(body)
        else { return }
        let flag = value(path, in: json)?.scalarText ?? ""
        guard values.contains(flag) else { return }
        var message = "the server answered with an error"
        if let messagePath, let said = value(messagePath, in: json) {
            message +=
                ": "
                + (said.elements.isEmpty
                    ? said.scalarText ?? "" : said.elements.map { $0.scalarText ?? "" }.joined(separator: "; "))
        }
        if let key = credentialToFix(401),
            message.lowercased().contains("key") || message.contains("ключ") || message.contains("Ключ")
        {
            message =
                "the \(Puller.displayName(supplier.id)) \(key) was refused: check `suppliers.\(supplier.id).credentials.\(key)`; "
                + message
        }
        throw PullError(supplier: supplier.id, message: message)
    }

    // MARK: Values

    func secret(_ key: String) throws(PullError) -> String {
        if let s = supplier.secrets[key] { return s.reveal() }
        if let i = supplier.identifiers[key] { return i }
        throw PullError(
            supplier: supplier.id, message: "no credential '\(key)': set `suppliers.\(supplier.id).credentials.\(key)`")
    }

    /// Fills a template; a whole-value `{…:number}` placeholder also yields a number for JSON bodies.
    func substitute(_ template: String, from: CalendarDate, to: CalendarDate, page: Int, id: String)
        throws(PullError) -> (text: String, number: NSNumber?)
    {
        var out = ""
        var number: NSNumber?
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            var parts = rest[rest.index(after: open)..<close].split(separator: ":", maxSplits: 2).map(String.init)
            let asNumber = parts.last == "number"
            if asNumber { parts.removeLast() }
            let value: String
            switch parts.first ?? "" {
            case "page": value = String(page)
            case "id": value = id
            case "credential": value = try secret(parts.count > 1 ? parts[1] : "")
            case let name where name.hasPrefix("from") || name.hasPrefix("to"):
                var date = name.hasPrefix("from") ? from : to
                if name.hasSuffix("-1") { date = DatePattern.civil(fromDays: DatePattern.days(from: date) - 1) }
                value = Puller.format(date, parts.count > 1 ? parts[1] : "yyyy-MM-dd")
            default:
                throw PullError(supplier: supplier.id, message: "unknown placeholder {\(parts.joined(separator: ":"))}")
            }
            if asNumber && out.isEmpty && rest[rest.index(after: close)...].isEmpty, let n = Int(value) {
                number = NSNumber(value: n)
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return (out + rest, number)
    }

    static func format(_ d: CalendarDate, _ pattern: String) -> String {
        func pad(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return pattern.replacingOccurrences(of: "yyyy", with: pad(d.year, 4))
            .replacingOccurrences(of: "MM", with: pad(d.month, 2)).replacingOccurrences(of: "dd", with: pad(d.day, 2))
    }

    func parse(_ data: Data) throws(PullError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw PullError(supplier: supplier.id, message: "the answer is not JSON")
        }
    }

    /// The feed file of a pull made of several answers: written from the values as read, so every amount keeps
    /// the digits the supplier sent.
    func feed(_ value: JSONValue) -> Data {
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        return Data(bytes)
    }

    /// A request's body (credentials, dates and page numbers; never an amount).
    func serialize(_ object: Any) throws(PullError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw PullError(supplier: supplier.id, message: "cannot write the feed file")
        }
    }

    /// The value at an absolute JSON path in an answer, by the one path evaluator the mappings use; a path with
    /// `[*]` collects a list.
    func value(_ path: JSONPath, in json: JSONValue) -> JSONValue? {
        let found = path.values(in: json).filter { $0 != .null }
        return path.steps.contains(.all) ? .array(found) : found.first
    }
}
