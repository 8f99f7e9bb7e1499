import Foundation

/// Whether the database is the history its archive belongs to. A database deleted (or replaced by an empty one)
/// beside an archive of earlier runs cannot be rebuilt from that archive: it keeps bytes by hash, without names,
/// order of receipt or accepted corrections. A run over it would publish a partial history as complete, so it is
/// refused. The check reads one small file, never the archive's contents.
enum StationCheck {
    static func verify(archive: String?, state: StoredState, config: Config) throws(RunError) {
        guard let archive else { return }
        if let database = state.stationId {
            guard database == archive else { throw .configuration(message(config, other: true)) }
        } else if state.feedFiles.isEmpty {
            // A database of an earlier release, restored from a backup, has history but no id yet: it is adopted.
            throw .configuration(message(config))
        }
    }

    static func message(_ config: Config, other: Bool = false) -> String {
        let what = other ? "belongs to another archive" : "is new or empty"
        return "\(config.database) \(what), but \(config.archive) holds the files of earlier runs "
            + "(\(Archive(root: config.archive).markerPath)): the history cannot be rebuilt from the archive alone. "
            + "Restore the database from a backup, or move the archive aside to start afresh."
    }
}
