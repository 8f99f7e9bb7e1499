import Foundation
import Yams

/// The `pull:` section of a mapping file: how a supplier's documents for a range are fetched over HTTP. The auth
/// schemes are code (one per scheme); endpoints, parameters, paging and how the answers make one feed file are
/// declared, so a new supplier with a known scheme needs no Swift code.
package struct PullSpec: Sendable {
    /// How requests are authorised; the names are the supplier's credential keys in `nakladna.yaml`.
    package enum Auth: Sendable {
        /// The secret goes into every JSON body under `field` (Omega's `Key`).
        case keyInBody(field: String, credential: String)
        /// A header, `prefix` + the secret (`Authorization: <key>`, `Authorization: Token <token>`).
        case header(name: String, prefix: String, credential: String)
        /// JWT: log in with a user and a password, send `Bearer <token>`, refresh when told the token expired.
        case bearerLogin(
            login: String, refresh: String, userField: String, user: String, passwordField: String, password: String,
            fingerprint: String)
        /// OAuth2 client credentials: a token from `path` with HTTP Basic id:secret, cached until it expires.
        case oauth2(path: String, scope: String, id: String, secret: String)
    }

    /// A request template: `{from:yyyy-MM-dd}`, `{to:yyyyMMdd}`, `{from-1:…}` (the day before), `{page}`,
    /// `{id}`, `{credential:NAME}`; a body value that is one `{…:number}` placeholder is sent as a JSON number.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        package var query: [(String, String)]
        package var headers: [(String, String)]
        package var body: [(String, String)]?
    }

    /// How the answers make one feed file.
    package enum Shape: Sendable {
        /// One request; its body is the feed file as it is.
        case single(Request)
        /// Pages from 1 until the documents seen reach `total` or a page is empty; the feed file is
        /// `{"<key>": [all documents]}`.
        case paged(Request, documents: JSONPath, total: JSONPath, key: String)
        /// A list of ids, then per id a header and its lines, joined into `{"Success": true, "Data": [...]}`.
        case listThenDetails(
            list: Request, ids: JSONPath, header: Request, headerTake: JSONPath, lines: Request, linesTake: JSONPath,
            into: String)
    }

    package var auth: Auth
    package var shape: Shape
    /// An answer that is an error even with status 200 (Omega's `"Success": false`), and its message.
    package var errorWhen: (path: JSONPath, values: Set<String>, message: JSONPath?)?
    /// `json` or `xml`: the feed file's extension.
    package var format: String
}

extension Context {
    func pull(_ node: Node) throws(MappingError) -> PullSpec {
        let m = try mapping(node, allowed: ["auth", "request", "paging", "list", "each", "error_when"])
        guard let authNode = m["auth"] else { throw error(node, "pull needs 'auth'") }
        let a = try mapping(
            authNode,
            allowed: [
                "scheme", "field", "credential", "header", "prefix", "login", "refresh", "user", "password",
                "fingerprint", "token", "scope", "id", "secret",
            ])
        func text(_ key: String, _ fallback: String? = nil) throws(MappingError) -> String {
            guard let n = a[key] else {
                if let fallback { return fallback }
                throw error(authNode, "auth needs '\(key)'")
            }
            return try string(n)
        }
        let auth: PullSpec.Auth
        switch try text("scheme") {
        case "key_in_body": auth = .keyInBody(field: try text("field"), credential: try text("credential"))
        case "header":
            auth = .header(
                name: try text("header", "Authorization"), prefix: try text("prefix", ""),
                credential: try text("credential"))
        case "bearer_login":
            let user = try strings(a["user"] ?? Node("")).first ?? ""
            let password = try strings(a["password"] ?? Node("")).first ?? ""
            auth = .bearerLogin(
                login: try text("login"), refresh: try text("refresh"), userField: user, user: user,
                passwordField: password, password: password, fingerprint: try text("fingerprint", "nakladna"))
        case "oauth2_client_credentials":
            auth = .oauth2(
                path: try text("token"), scope: try text("scope", ""), id: try text("id"), secret: try text("secret"))
        case let other:
            throw error(
                authNode,
                "unknown auth scheme '\(other)' (key_in_body, header, bearer_login, oauth2_client_credentials)")
        }
        let shape: PullSpec.Shape
        if let list = m["list"] {
            let l = try mapping(list, allowed: ["method", "path", "query", "headers", "body", "ids"])
            guard let ids = l["ids"], let each = m["each"] else { throw error(list, "a list needs 'ids' and 'each'") }
            let e = try mapping(each, allowed: ["header", "lines"])
            guard let h = e["header"], let ls = e["lines"] else { throw error(each, "each needs 'header' and 'lines'") }
            let hm = try mapping(h, allowed: ["method", "path", "query", "headers", "body", "take"])
            let lm = try mapping(ls, allowed: ["method", "path", "query", "headers", "body", "take", "into"])
            guard let ht = hm["take"], let lt = lm["take"], let into = lm["into"] else {
                throw error(each, "header needs 'take'; lines need 'take' and 'into'")
            }
            shape = .listThenDetails(
                list: try request(list, l), ids: try absoluteJSONPath(ids), header: try request(h, hm),
                headerTake: try absoluteJSONPath(ht), lines: try request(ls, lm), linesTake: try absoluteJSONPath(lt),
                into: try string(into))
        } else if let r = m["request"] {
            let rm = try mapping(r, allowed: ["method", "path", "query", "headers", "body"])
            if let p = m["paging"] {
                let pm = try mapping(p, allowed: ["documents", "total", "key"])
                guard let d = pm["documents"], let t = pm["total"], let k = pm["key"] else {
                    throw error(p, "paging needs 'documents', 'total' and 'key'")
                }
                shape = .paged(
                    try request(r, rm), documents: try absoluteJSONPath(d), total: try absoluteJSONPath(t),
                    key: try string(k))
            } else {
                shape = .single(try request(r, rm))
            }
        } else {
            throw error(node, "pull needs 'request' (with optional 'paging') or 'list' with 'each'")
        }
        var errorWhen: (path: JSONPath, values: Set<String>, message: JSONPath?)?
        if let e = m["error_when"] {
            let em = try mapping(e, allowed: ["path", "equals", "message"])
            guard let p = em["path"], let v = em["equals"] else {
                throw error(e, "error_when needs 'path' and 'equals'")
            }
            errorWhen = (
                try absoluteJSONPath(p), Set(try strings(v)),
                try em["message"].map { n throws(MappingError) in try absoluteJSONPath(n) }
            )
        }
        return PullSpec(auth: auth, shape: shape, errorWhen: errorWhen, format: format.rawValue)
    }

    func request(_ node: Node, _ m: [String: Node]) throws(MappingError) -> PullSpec.Request {
        guard let path = m["path"] else { throw error(node, "a request needs 'path'") }
        func pairs(_ key: String) throws(MappingError) -> [(String, String)] {
            guard let n = m[key] else { return [] }
            var out: [(String, String)] = []
            for (k, v) in try self.pairs(n) { out.append((k, try string(v))) }
            return out
        }
        let method = try m["method"].map { n throws(MappingError) in try string(n) } ?? "GET"
        guard ["GET", "POST"].contains(method) else { throw error(node, "method must be GET or POST") }
        return PullSpec.Request(
            method: method, path: try string(path), query: try pairs("query"), headers: try pairs("headers"),
            body: m["body"] == nil ? nil : try pairs("body"))
    }
}
