import Foundation

/// A PostgreSQL database as `database:` names it: `postgres://USER:PASSWORD@HOST:PORT/DB`, or with
/// `?host=/socket/dir`. Its parts are kept apart and handed to libpq one by one, so a password with `@`, `/` or `:` in
/// it needs no escaping, and the password is never part of a text that could be printed: `masked` is the URL as
/// messages show it.
package struct PostgresURL: Sendable, Equatable {
    /// libpq's connection keywords and their values (`host`, `port`, `dbname`, `user`, `password`, and the query's).
    package var parameters: [(key: String, value: String)]
    /// The URL with its password as `***`: what every message names.
    package var masked: String

    package static func == (a: PostgresURL, b: PostgresURL) -> Bool {
        a.masked == b.masked && a.parameters.elementsEqual(b.parameters) { $0 == $1 }
    }

    /// The password, for masking a server's message that might echo it; nil without one.
    package var password: String? { parameters.first { $0.key == "password" }?.value }

    /// Whether `text` is a PostgreSQL URL rather than a path.
    package static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `raw` as written in the configuration. `expand` resolves a `${…}` found in a part (the password's
    /// `${PG_PASSWORD}` or `${file:…}`, say); it is called on each part before percent-decoding, so a secret's value
    /// is taken as it is.
    package init(_ raw: String, expand: (String) throws(ConfigError) -> String) throws(ConfigError) {
        guard let scheme = raw.range(of: "://"), PostgresURL.isURL(raw) else {
            throw ConfigError("'\(raw)' is not a postgres:// URL")
        }
        var rest = raw[scheme.upperBound...]
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The user's part ends at the last `@`: a `${…}` in the password holds no `@` of the URL's own.
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var parameters: [(key: String, value: String)] = []
        var shown = String(raw[..<scheme.upperBound])
        func part(_ text: Substring, _ what: String) throws(ConfigError) -> String {
            let expanded = try expand(String(text))
            // A `${…}` is a value as it is; a literal part may be percent-encoded, as in any URL.
            if text.contains("${") { return expanded }
            guard let decoded = expanded.removingPercentEncoding else {
                throw ConfigError("the \(what) of '\(PostgresURL.mask(raw))' is not a valid URL part")
            }
            return decoded
        }
        if let userInfo {
            var user = userInfo
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                parameters.append(("password", try part(userInfo[userInfo.index(after: colon)...], "password")))
                shown += user + ":***@"
            } else {
                shown += user + "@"
            }
            if !user.isEmpty { parameters.insert(("user", try part(user, "user")), at: 0) }
        }
        shown += rest
        // The host and port: `[::1]:5432`, `db.example:5432`, `db.example`, or nothing (the query's host).
        var host = rest
        var port = Substring("")
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        }
        if !host.isEmpty { parameters.append(("host", try part(host, "host"))) }
        if !port.isEmpty {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw ConfigError("the port of '\(PostgresURL.mask(raw))' is not a port number: '\(port)'")
            }
            parameters.append(("port", String(number)))
        }
        if !path.isEmpty {
            parameters.append(("dbname", try part(path, "database name")))
            shown += "/" + path
        }
        if !query.isEmpty {
            var pairs: [String] = []
            for pair in query.split(separator: "&") {
                let (key, value) =
                    pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) }
                    ?? (pair, "")
                let name = try part(key, "query")
                parameters.removeAll { $0.key == name }
                parameters.append((name, try part(value, "query")))
                pairs.append(name == "password" ? "\(key)=***" : String(pair))
            }
            shown += "?" + pairs.joined(separator: "&")
        }
        self.parameters = parameters
        self.masked = shown
    }

    /// `raw` with what looks like a password (the user's part after `:`, a `password=` in the query) as `***`, for
    /// a message about a URL that could not be parsed.
    static func mask(_ raw: String) -> String {
        var text = raw
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if let key = text.range(of: "password=") {
            let end = text[key.upperBound...].firstIndex(of: "&") ?? text.endIndex
            text.replaceSubrange(key.upperBound..<end, with: "***")
        }
        return text
    }

    /// `message` with the password, wherever a server or libpq echoed it, as `***`.
    package func masking(_ message: String) -> String {
        guard let password, !password.isEmpty else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
