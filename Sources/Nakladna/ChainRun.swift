import Foundation

/// `nakladna chain run`: a night of every station of a chain, taken from the queue in the chain's database by this
/// process's workers and by any other process's, on any machine, until none is left (`ChainQueue`).
///
/// Each station runs as `nakladna run` in a process of its own, which dies with its worker: one station's crash or
/// memory is its own, and a worker that is killed leaves no run behind holding the station.
package enum ChainRun {
    /// Queues the night of every station (`range`, or yesterday in each station's zone), works off the queue with
    /// `workers` workers, and gives every station's night as the queue has it at the end. `executable` is the
    /// `nakladna` binary that runs a station.
    package static func run(
        chain: ChainConfig, range: (from: CalendarDate, to: CalendarDate)?, workers: Int, executable: String,
        progress: @escaping @Sendable (String) -> Void
    ) throws(RunError) -> [ChainQueue.Entry] {
        let nights = chain.stations.map { station in
            let yesterday = DatePattern.civil(
                fromDays: DatePattern.days(from: CalendarDate.today(in: station.config.timezone)) - 1)
            let (from, to) = range ?? (yesterday, yesterday)
            return (station: station.id, night: from == to ? from.description : "\(from)_\(to)")
        }
        let files = Dictionary(uniqueKeysWithValues: chain.stations.map { ($0.id, $0.config.file) })
        do {
            let queue = try ChainQueue(url: chain.database)
            try queue.enqueue(nights)
            let failures = Failures()
            let group = DispatchGroup()
            for k in 1...max(1, workers) {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    do {
                        try work(
                            chain: chain, nights: nights, files: files, executable: executable,
                            worker: "\(PostgresLock.host), pid \(getpid()), worker \(k)", progress: progress)
                    } catch {
                        failures.add(error)
                    }
                }
                thread.start()
            }
            group.wait()
            if let error = failures.first { throw error }
            return try queue.entries(nights)
        } catch let error as RunError {
            throw error
        } catch {
            throw StationStore.runError(error)
        }
    }

    /// One worker: takes a station's night, runs it, records its exit code; again, until the queue has none.
    static func work(
        chain: ChainConfig, nights: [(station: String, night: String)], files: [String: String],
        executable: String, worker: String, progress: @Sendable (String) -> Void
    ) throws {
        let queue = try ChainQueue(url: chain.database)
        while let (station, night) = try queue.take(from: nights) {
            progress("\(station) \(night): started by \(worker)")
            let (code, message) = try runStation(
                executable: executable,
                arguments: ["run", "--config", files[station] ?? ""]
                    + (night.contains("_")
                        ? ["--from", String(night.prefix(10)), "--to", String(night.suffix(10))] : ["--date", night])
                    + ["--chain-station", station],
                environment: ["NAKLADNA_CHAIN_DATABASE": chain.databaseText])
            // A run that ended 0 has nothing to say; any other names its cause in its last line.
            try queue.finish(exitCode: code, worker: worker, message: code == 0 ? "" : message)
            progress("\(station) \(night): exit \(code)\(message.isEmpty ? "" : ": \(message)")")
        }
    }

    /// Runs the station's `nakladna run` and waits for it: its exit code, and the last line it wrote on standard
    /// error (its one line of failure, masked by the run itself). Its output goes to files, read once it ends.
    /// `environment` is added to this process's: the chain's database goes there, not on the command line, where
    /// any user's `ps` would show a password written into the URL, and the run would keep it with its command.
    static func runStation(executable: String, arguments: [String], environment: [String: String]) throws -> (
        Int32, String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nakladna-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = folder.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = [executable] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        defer {
            for p in cArguments { free(p) }
        }
        var pid: pid_t = 0
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let cEnvironment = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cEnvironment { free(p) }
        }
        let spawned = posix_spawn(&pid, executable, &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else {
            return (4, "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        // WIFEXITED and WEXITSTATUS are C macros: the low 7 bits hold the signal, the next 8 the exit code.
        let signal = status & 0x7f
        if signal != 0 { return (4, "the station's run was killed by signal \(signal)") }
        return ((status >> 8) & 0xff, last)
    }

    /// The first error any worker met.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [any Error] = []

        func add(_ error: any Error) {
            lock.lock()
            errors.append(error)
            lock.unlock()
        }

        var first: (any Error)? {
            lock.lock()
            defer { lock.unlock() }
            return errors.first
        }
    }

    /// The chain's exit code: 0 when every station's night ended 0, 1 when some ended 1 and none worse, 4 when some
    /// station failed (2, 3 or 4) or is not done.
    package static func exitCode(_ entries: [ChainQueue.Entry]) -> Int32 {
        if entries.contains(where: { $0.exitCode.map { $0 >= 2 } ?? true }) { return 4 }
        return entries.contains { $0.exitCode == 1 } ? 1 : 0
    }
}
