import Foundation
import Yams

/// A credential value that is a secret: it prints as `***` everywhere, so it cannot reach a log or an error by
/// accident; only `reveal()` gives the text, for the one place that sends it.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    package init(_ value: String) {
        self.value = value
    }

    package func reveal() -> String { value }
    package var description: String { "***" }
    package var debugDescription: String { "***" }
}

/// `price_tolerance: { percent, absolute }`.
package struct Tolerance: Sendable, Hashable {
    package var percent: Fixed
    package var absolute: Fixed

    package init(percent: Fixed, absolute: Fixed) {
        self.percent = percent
        self.absolute = absolute
    }
}

/// One supplier's entry in `nakladna.yaml`.
package struct SupplierConfig: Sendable {
    package var id: String
    package var enabled: Bool
    /// Absolute path of the mapping file.
    package var mapping: String
    /// Identifiers (customer_id, email, client_id, login) as text.
    package var identifiers: [String: String]
    /// Secrets (key, password, token, client_secret).
    package var secrets: [String: Secret]
    package var httpBaseURL: String?
    package var httpTimeout: Int?
    package var priceTolerance: Tolerance?
}

/// The configuration (`contract.md`, "Configuration"), with every path made absolute against the file's folder
/// and every `${NAME}` / `${file:PATH}` resolved.
package struct Config: Sendable {
    package var file: String
    package var timezone: TimeZone
    package var baseCurrency: String
    package var inbox: String
    package var archive: String
    package var quarantine: String
    package var out: String
    /// The SQLite file's path; with a PostgreSQL database, its URL as messages show it (`PostgresURL.masked`).
    package var database: String
    /// `database:` as a PostgreSQL URL (`postgres://…`); nil for a SQLite file.
    package var postgres: PostgresURL?
    /// `station:`: the station's id in a PostgreSQL database many stations share.
    package var station = "default"
    /// The id `station:` gave, if it gave one (a chain checks it against its own).
    package var namedStation: String?
    package var orders: String
    package var rates: String
    package var priceTolerance: Tolerance
    package var overdueAfterDays: Int
    /// `max_file_mb`, in bytes: a larger inbox file is left in the inbox, named, and not archived.
    package var maxFileBytes: Int = 256 << 20
    /// `reconcile.rate_max_age_days`: an older rate is still used, and its document is flagged.
    package var rateMaxAgeDays = 7
    /// `lang`: the station's language (report.html, the notes); `--lang` may add another.
    package var language: Language = .uk
    /// `csv`: the CSV dialect when `--csv` does not say.
    package var csv: CSVDialect = .rfc
    /// `xlsx`: write `nakladna.xlsx` beside the CSV files on every run.
    package var xlsx = false
    /// False where `rates` is not in the file and `rates.csv` does not exist: a station that buys in hryvnias only.
    package var hasRates = true
    /// By id, in code-point order.
    package var suppliers: [SupplierConfig]

    package func supplier(_ id: String) -> SupplierConfig? { suppliers.first { $0.id == id } }

    /// A station's id names it in the database and in messages: 1 to 63 letters, digits, `.`, `_` and `-`.
    package static func isStationId(_ text: String) -> Bool {
        (1...63).contains(text.count)
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || "._-".unicodeScalars
                        .contains($0)
            }
    }

    /// Keeps the station in a chain's database under `station`, whatever its own `database:` says.
    package mutating func useChainDatabase(_ url: PostgresURL, station: String) {
        postgres = url
        database = url.masked
        self.station = station
    }

    /// `run --chain-station`, as a chain's worker starts a station's run: the chain's URL as written
    /// (`NAKLADNA_CHAIN_DATABASE`), its `${…}` resolved here from this process's environment.
    package mutating func useChainDatabase(
        text: String, station: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) {
        guard Config.isStationId(station), PostgresURL.isURL(text) else {
            throw ConfigError("--chain-station and NAKLADNA_CHAIN_DATABASE take a station id and a postgres:// URL")
        }
        if let named = namedStation, named != station {
            throw ConfigError("\(file) says station: \(named), not \(station)")
        }
        let url = try PostgresURL(text) { part throws(ConfigError) in
            try Config.expandEach(
                part, place: "NAKLADNA_CHAIN_DATABASE", key: "database", resolve: { $0 }, env: environment)
        }
        useChainDatabase(url, station: station)
    }

    static let secretKeys: [String: Set<String>] = [
        "omega": ["key"], "busmarket": ["key"], "uniquetrade": ["password"], "vesna": ["token"],
        "intercars": ["client_secret"], "elit": ["password"],
    ]
    static let credentialKeys: [String: Set<String>] = [
        "omega": ["key"], "busmarket": ["key"], "uniquetrade": ["email", "password"],
        "vesna": ["token", "customer_id"], "intercars": ["client_id", "client_secret"], "elit": ["login", "password"],
    ]
}

/// Why a configuration is refused: exit 2, nothing changed.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

extension Config {
    /// Loads `path`. `environment` supplies `${NAME}` values. Refuses unknown keys, missing files, undefined
    /// variables in enabled suppliers, and secret files others can read, naming the file, line and key.
    /// `secrets: false` leaves secrets unread, for the commands that never send anything (offers, code, orders).
    package static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, secrets: Bool = true
    ) throws(ConfigError) -> Config {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let text = try? String(contentsOfFile: absolute, encoding: .utf8) else {
            let why = FileManager.default.fileExists(atPath: absolute) ? "it cannot be read" : "no such file"
            throw ConfigError(
                "cannot read the configuration file \(absolute): \(why) (name another with --config FILE)")
        }
        let folder = (absolute as NSString).deletingLastPathComponent
        let root: Node
        do {
            root = try MappingLoader.compose(text, file: path)
        } catch {
            throw ConfigError(error.description)
        }
        let ctx = Context(file: path, format: .json, namespaces: [:])
        func wrap<T>(_ body: () throws(MappingError) -> T) throws(ConfigError) -> T {
            do { return try body() } catch { throw ConfigError(error.description) }
        }
        let top = try wrap { () throws(MappingError) in
            try ctx.mapping(
                root,
                allowed: [
                    "timezone", "base_currency", "inbox", "archive", "quarantine", "out", "database", "orders",
                    "rates", "reconcile", "suppliers", "max_file_mb", "lang", "csv", "xlsx", "station",
                ])
        }
        func string(_ key: String, _ fallback: String) throws(ConfigError) -> String {
            guard let node = top[key] else { return fallback }
            return try wrap { () throws(MappingError) in try ctx.string(node) }
        }
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: folder).appendingPathComponent(p).standardizedFileURL.path
        }
        /// A configured path: `~/` is the home folder and `${NAME}` an environment variable, then relative to the
        /// configuration file's folder.
        func configuredPath(_ key: String, _ fallback: String) throws(ConfigError) -> String {
            var text = try string(key, fallback)
            let place = top[key].map { ctx.place($0) } ?? absolute
            // Expanded once, left to right: a value that holds `${…}` itself is taken as it is.
            var expanded = ""
            var rest = text[...]
            while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                let name = String(rest[open.upperBound..<close])
                guard let value = environment[name] else {
                    throw ConfigError("\(place): \(key): the environment variable \(name) is not defined")
                }
                expanded += rest[..<open.lowerBound] + value
                rest = rest[rest.index(after: close)...]
            }
            text = expanded + rest
            if text == "~" || text.hasPrefix("~/") {
                guard let home = environment["HOME"] else {
                    throw ConfigError("\(place): \(key): ~ is the home folder, but HOME is not set")
                }
                text = home + text.dropFirst()
            }
            return resolve(text)
        }
        let zoneName = try string("timezone", "Europe/Kyiv")
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ConfigError("\(path): unknown time zone '\(zoneName)'")
        }
        var tolerance = Tolerance(percent: Fixed(units: 5, scale: 1), absolute: Fixed(units: 5, scale: 2))
        var overdue = 7
        var rateMaxAge = 7
        if let node = top["reconcile"] {
            let m = try wrap { () throws(MappingError) in
                try ctx.mapping(node, allowed: ["price_tolerance", "overdue_after_days", "rate_max_age_days"])
            }
            if let t = m["price_tolerance"] { tolerance = try loadTolerance(t, ctx: ctx) }
            /// A count of days: a whole number, 0 or more.
            func days(_ key: String) throws(ConfigError) -> Int? {
                guard let d = m[key] else { return nil }
                let s = try wrap { () throws(MappingError) in try ctx.string(d) }
                guard let n = Int(s), n >= 0 else {
                    throw ConfigError("\(ctx.place(d)): \(key) must be a whole number of days")
                }
                return n
            }
            rateMaxAge = try days("rate_max_age_days") ?? rateMaxAge
            overdue = try days("overdue_after_days") ?? overdue
        }
        var suppliers: [SupplierConfig] = []
        if let node = top["suppliers"] {
            let pairs = try wrap { () throws(MappingError) in try ctx.pairs(node) }
            for (id, entry) in pairs {
                suppliers.append(
                    try loadSupplier(
                        id: id, entry, ctx: ctx, resolve: resolve, environment: environment, secrets: secrets))
            }
        }
        var maxFileBytes = 256 << 20
        if let node = top["max_file_mb"] {
            let text = try wrap { () throws(MappingError) in try ctx.string(node) }
            guard let n = Int(text), n > 0, n <= 1 << 20 else {
                throw ConfigError("\(ctx.place(node)): max_file_mb must be a whole number of megabytes, at least 1")
            }
            maxFileBytes = n << 20
        }
        // A PostgreSQL URL is not a path: its `${…}` (the password, say) are resolved part by part, and it is shown
        // masked wherever it is named.
        var postgres: PostgresURL?
        if let node = top["database"], case let text = try string("database", ""), PostgresURL.isURL(text) {
            let place = ctx.place(node)
            postgres = try PostgresURL(text) { part throws(ConfigError) in
                try Config.expandEach(part, place: place, key: "database", resolve: resolve, env: environment)
            }
        }
        var database = postgres?.masked ?? ""
        if postgres == nil { database = try configuredPath("database", "out/nakladna.sqlite") }
        var config = Config(
            file: absolute, timezone: zone, baseCurrency: try string("base_currency", "UAH"),
            inbox: try configuredPath("inbox", "inbox"), archive: try configuredPath("archive", "archive"),
            quarantine: try configuredPath("quarantine", "quarantine"), out: try configuredPath("out", "out"),
            database: database,
            orders: try configuredPath("orders", "orders.csv"), rates: try configuredPath("rates", "rates.csv"),
            priceTolerance: tolerance, overdueAfterDays: overdue,
            suppliers: suppliers.sorted { $0.id.unicodeScalars.lexicographicallyPrecedes($1.id.unicodeScalars) })
        config.postgres = postgres
        config.maxFileBytes = maxFileBytes
        if let node = top["station"] {
            let text = try wrap { () throws(MappingError) in try ctx.string(node) }
            guard Config.isStationId(text) else {
                throw ConfigError(
                    "\(ctx.place(node)): station takes 1 to 63 letters, digits, '.', '_' or '-', not '\(text)'")
            }
            config.station = text
            config.namedStation = text
        }
        config.rateMaxAgeDays = rateMaxAge
        config.hasRates = top["rates"] != nil || FileManager.default.fileExists(atPath: config.rates)
        if let node = top["lang"] {
            let text = try wrap { () throws(MappingError) in try ctx.string(node) }
            guard let language = Language(rawValue: text) else {
                throw ConfigError("\(ctx.place(node)): lang takes uk or en, not '\(text)'")
            }
            config.language = language
        }
        if let node = top["xlsx"] {
            config.xlsx = try wrap { () throws(MappingError) in try ctx.bool(node) }
        }
        if let node = top["csv"] {
            let text = try wrap { () throws(MappingError) in try ctx.string(node) }
            guard let dialect = CSVDialect(rawValue: text) else {
                throw ConfigError("\(ctx.place(node)): csv takes rfc or excel-uk, not '\(text)'")
            }
            config.csv = dialect
        }
        return config
    }

    static func loadTolerance(_ node: Node, ctx: Context) throws(ConfigError) -> Tolerance {
        do {
            let m = try ctx.mapping(node, allowed: ["percent", "absolute"])
            var t = Tolerance(percent: .zero, absolute: .zero)
            if let p = m["percent"] { t.percent = try Fixed(parsing: try ctx.string(p)) }
            if let a = m["absolute"] { t.absolute = try Fixed(parsing: try ctx.string(a)) }
            return t
        } catch let error as MappingError {
            throw ConfigError(error.description)
        } catch {
            throw ConfigError("\(ctx.place(node)): price_tolerance: \(error)")
        }
    }

    static func loadSupplier(
        id: String, _ node: Node, ctx: Context, resolve: (String) -> String, environment: [String: String],
        secrets readSecrets: Bool = true
    ) throws(ConfigError) -> SupplierConfig {
        func wrap<T>(_ body: () throws(MappingError) -> T) throws(ConfigError) -> T {
            do { return try body() } catch { throw ConfigError(error.description) }
        }
        let m = try wrap { () throws(MappingError) in
            try ctx.mapping(node, allowed: ["enabled", "mapping", "credentials", "http", "price_tolerance"])
        }
        let enabled =
            try m["enabled"].map { n throws(ConfigError) in try wrap { () throws(MappingError) in try ctx.bool(n) } }
            ?? true
        guard let mappingNode = m["mapping"] else {
            throw ConfigError("\(ctx.place(node)): supplier '\(id)' needs 'mapping'")
        }
        let mapping = resolve(try wrap { () throws(MappingError) in try ctx.string(mappingNode) })
        if enabled && !FileManager.default.fileExists(atPath: mapping) {
            throw ConfigError("\(ctx.place(mappingNode)): the mapping file '\(mapping)' does not exist")
        }
        var identifiers: [String: String] = [:]
        var secrets: [String: Secret] = [:]
        if let c = m["credentials"] {
            let allowed = Config.credentialKeys[id]
            for (key, valueNode) in try wrap({ () throws(MappingError) in try ctx.pairs(c) }) {
                if let allowed, !allowed.contains(key) {
                    throw ConfigError(
                        "\(ctx.place(valueNode)): '\(key)' is not a credential of \(id) "
                            + "(expected: \(allowed.sorted().joined(separator: ", ")))")
                }
                let raw = try wrap { () throws(MappingError) in try ctx.string(valueNode) }
                // A disabled supplier is skipped entirely: its undefined variables do not matter.
                guard enabled else { continue }
                let isSecret = Config.secretKeys[id]?.contains(key) == true
                if isSecret && !readSecrets { continue }
                let value = try expand(raw, place: ctx.place(valueNode), key: key, resolve: resolve, env: environment)
                if isSecret {
                    secrets[key] = Secret(value)
                } else {
                    identifiers[key] = value
                }
            }
        }
        var baseURL: String?
        var timeout: Int?
        if let h = m["http"] {
            let hm = try wrap { () throws(MappingError) in try ctx.mapping(h, allowed: ["base_url", "timeout_s"]) }
            if let b = hm["base_url"] { baseURL = try wrap { () throws(MappingError) in try ctx.string(b) } }
            if let t = hm["timeout_s"] {
                let s = try wrap { () throws(MappingError) in try ctx.string(t) }
                guard let n = Int(s), n > 0 else { throw ConfigError("\(ctx.place(t)): timeout_s must be seconds") }
                timeout = n
            }
        }
        let tolerance = try m["price_tolerance"].map { n throws(ConfigError) in try loadTolerance(n, ctx: ctx) }
        return SupplierConfig(
            id: id, enabled: enabled, mapping: mapping, identifiers: identifiers, secrets: secrets,
            httpBaseURL: baseURL, httpTimeout: timeout, priceTolerance: tolerance)
    }

    /// `text` with each `${NAME}` and `${file:PATH}` in it resolved as `expand` resolves a whole value: the parts of a
    /// PostgreSQL URL, whose password is one of them.
    static func expandEach(
        _ text: String, place: String, key: String, resolve: (String) -> String, env: [String: String]
    ) throws(ConfigError) -> String {
        var expanded = ""
        var rest = text[...]
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            expanded += rest[..<open.lowerBound]
            expanded += try expand(
                String(rest[open.lowerBound...close]), place: place, key: key, resolve: resolve, env: env)
            rest = rest[rest.index(after: close)...]
        }
        return expanded + rest
    }

    /// Resolves `${NAME}` from the environment and `${file:PATH}` from a file only its owner may read.
    /// The error names the key and the variable, never a value.
    static func expand(
        _ raw: String, place: String, key: String, resolve: (String) -> String, env: [String: String]
    ) throws(ConfigError) -> String {
        guard raw.hasPrefix("${"), raw.hasSuffix("}") else { return raw }
        let name = String(raw.dropFirst(2).dropLast())
        if name.hasPrefix("file:") {
            let file = resolve(String(name.dropFirst(5)))
            // Opened once, and judged on what was opened: a link is judged by its target's mode, not its own.
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ConfigError("\(place): \(key): cannot read the secret file '\(file)'")
            }
            defer { try? handle.close() }
            var info = stat()
            guard fstat(handle.fileDescriptor, &info) == 0, let data = try? handle.readToEnd() ?? Data() else {
                throw ConfigError("\(place): \(key): cannot read the secret file '\(file)'")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw ConfigError(
                    "\(place): \(key): the secret file '\(file)' can be read by others (chmod 600 it)")
            }
            var scalars = String(decoding: data, as: UTF8.self).unicodeScalars
            if scalars.last == "\n" { scalars.removeLast() }
            if scalars.last == "\r" { scalars.removeLast() }
            return String(scalars)
        }
        guard let value = env[name] else {
            throw ConfigError("\(place): \(key): the environment variable \(name) is not defined")
        }
        return value
    }
}
