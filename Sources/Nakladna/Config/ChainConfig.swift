import Foundation
import Yams

/// `chain.yaml`: the PostgreSQL database a chain of stations shares, and each station's own configuration.
///
/// ```yaml
/// database: "postgres://nakladna:${PG_PASSWORD}@db.example:5432/chain"
/// stations:
///   kyiv-1: { config: /srv/stations/kyiv-1/nakladna.yaml }
///   lviv-2: { config: /srv/stations/lviv-2/nakladna.yaml }
/// ```
///
/// Each station's configuration is loaded as it is, then kept in the chain's database under its id: its own
/// `database:` is not used, and a `station:` in it must be its id here.
package struct ChainConfig: Sendable {
    package var file: String
    /// `database:` as written, its `${…}` unresolved: each station's run resolves it again, so no secret goes
    /// from one process to another.
    package var databaseText: String
    package var database: PostgresURL
    /// By id, in code-point order.
    package var stations: [(id: String, config: Config)]

    /// Loads `path` and every station's configuration. A station's configuration that cannot be loaded, two
    /// stations that share an inbox folder, or a station that names another id, is a configuration error.
    package static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> ChainConfig {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let folder = (absolute as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ConfigError("\(absolute): cannot read the chain's configuration")
        }
        let root: Node
        do {
            root = try MappingLoader.compose(String(decoding: data, as: UTF8.self), file: absolute)
        } catch {
            throw ConfigError(error.description)
        }
        let ctx = Context(file: absolute, format: .json, namespaces: [:])
        func wrap<T>(_ body: () throws(MappingError) -> T) throws(ConfigError) -> T {
            do { return try body() } catch { throw ConfigError(error.description) }
        }
        let top = try wrap { () throws(MappingError) in try ctx.mapping(root, allowed: ["database", "stations"]) }
        guard let databaseNode = top["database"] else {
            throw ConfigError("\(absolute): database: the chain's PostgreSQL URL is missing")
        }
        let databaseText = try wrap { () throws(MappingError) in try ctx.string(databaseNode) }
        let place = ctx.place(databaseNode)
        guard PostgresURL.isURL(databaseText) else {
            throw ConfigError("\(place): database: a chain keeps its stations in PostgreSQL: a postgres:// URL")
        }
        let database = try PostgresURL(databaseText) { part throws(ConfigError) in
            try Config.expandEach(part, place: place, key: "database", resolve: { $0 }, env: environment)
        }
        guard let stationsNode = top["stations"] else { throw ConfigError("\(absolute): stations: none listed") }
        let pairs = try wrap { () throws(MappingError) in try ctx.pairs(stationsNode) }
        var stations: [(id: String, config: Config)] = []
        var inboxes: [String: String] = [:]
        for (id, entry) in pairs {
            guard Config.isStationId(id) else {
                throw ConfigError(
                    "\(ctx.place(entry)): station '\(id)': an id takes 1 to 63 letters, digits, '.', '_' or '-'")
            }
            let m = try wrap { () throws(MappingError) in try ctx.mapping(entry, allowed: ["config"]) }
            guard let configNode = m["config"] else {
                throw ConfigError("\(ctx.place(entry)): \(id): config is missing")
            }
            var file = try wrap { () throws(MappingError) in try ctx.string(configNode) }
            if !file.hasPrefix("/") { file = (folder as NSString).appendingPathComponent(file) }
            var config: Config
            do {
                config = try Config.load(path: file, environment: environment)
            } catch {
                throw ConfigError("station \(id): \(error.description)")
            }
            if let named = config.namedStation, named != id {
                throw ConfigError(
                    "station \(id): \(config.file) says station: \(named); \(absolute) lists it as \(id): one of them "
                        + "is wrong")
            }
            config.useChainDatabase(database, station: id)
            if let other = inboxes[config.inbox] {
                throw ConfigError(
                    "stations \(other) and \(id) share the inbox \(config.inbox): each station needs its own")
            }
            inboxes[config.inbox] = id
            stations.append((id, config))
        }
        guard !stations.isEmpty else { throw ConfigError("\(absolute): stations: none listed") }
        return ChainConfig(
            file: absolute, databaseText: databaseText, database: database,
            stations: stations.sorted { codePointLess($0.id, $1.id) })
    }
}
