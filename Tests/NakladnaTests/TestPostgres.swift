import Foundation
import Testing

@testable import Nakladna

/// A throwaway PostgreSQL 15 cluster for the tests: `initdb` in a temporary folder, a server on a free port of
/// 127.0.0.1 and on a socket in that folder, stopped and removed when the value goes. It never skips: where the
/// server's programs are missing, starting fails, and so does the test (`make test` installs them).
///
/// Logins over TCP need a password (scram-sha-256): the role `nakladna` has `password`, as a station's would. The
/// socket lets the superuser `postgres` in without one, to make databases and look at them.
final class TestPostgres {
    let folder: String
    private(set) var port: Int
    let password = "pg-secret-\(UUID().uuidString.prefix(8))"
    private var data: String { folder + "/data" }
    private var socketFolder: String { folder + "/socket" }

    /// Where the server's programs are: Debian's `/usr/lib/postgresql/15/bin`, or `pg_config --bindir`.
    static let bin: String = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for v in versions.sorted().reversed()
        where FileManager.default.fileExists(
            atPath: "/usr/lib/postgresql/\(v)/bin/initdb")
        {
            return "/usr/lib/postgresql/\(v)/bin"
        }
        return "/usr/lib/postgresql/15/bin"
    }()

    init() throws {
        folder = try TestPostgres.makeFolder()
        port = try TestPostgres.freePort()
        try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
        try TestPostgres.giveToServer(folder)
        try TestPostgres.giveToServer(socketFolder)
        let pwfile = folder + "/pw"
        try Data("unused\n".utf8).write(to: URL(fileURLWithPath: pwfile))
        try TestPostgres.giveToServer(pwfile)
        try serverCommand([
            "initdb", "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
            "--pwfile=\(pwfile)", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ])
        // The suites start their servers at once: a port another one took in between is tried again with another.
        for attempt in 1...3 {
            do {
                try start()
                break
            } catch  where attempt < 3 {
                port = try TestPostgres.freePort()
            }
        }
        try superuser("CREATE ROLE nakladna LOGIN PASSWORD '\(password)'")
    }

    deinit {
        try? serverCommand(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Starts the server (again), waiting until it accepts connections.
    func start() throws {
        try serverCommand([
            "pg_ctl", "-D", data, "-l", folder + "/server.log", "-w", "-o",
            "-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            "start",
        ])
    }

    /// Stops the server; `mode` is pg_ctl's (`fast` ends the sessions, as an operator's restart does).
    func stop(mode: String = "fast") throws {
        try serverCommand(["pg_ctl", "-D", data, "-m", mode, "-w", "stop"])
    }

    /// A new empty database owned by `nakladna`, and its URL with the password as `${PG_PASSWORD}`.
    func newDatabase(_ name: String = "t\(UUID().uuidString.prefix(8).lowercased())") throws -> String {
        try superuser("CREATE DATABASE \(name) OWNER nakladna")
        return "postgres://nakladna:${PG_PASSWORD}@127.0.0.1:\(port)/\(name)"
    }

    /// The environment a run against this server needs: `PG_PASSWORD`, and the rest of this process's.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PG_PASSWORD"] = password
        return env
    }

    /// A connection as the superuser, over the socket.
    func superuserConnection(database: String = "postgres") throws -> PostgresConnection {
        try PostgresConnection(
            PostgresURL("postgres://postgres@/\(database)?host=\(socketFolder)&port=\(port)") { $0 })
    }

    /// Runs `sql` as the superuser and gives its rows.
    @discardableResult
    func superuser(_ sql: String, database: String = "postgres") throws -> [[String?]] {
        try superuserConnection(database: database).query(sql)
    }

    /// Waits (up to 10 s) until `database` has at least `count` sessions in an open transaction, idle: a run
    /// paused with its transaction open. Whether it came to that.
    func waitForTransactions(_ database: String, count: Int) throws -> Bool {
        for _ in 0..<200 {
            let open =
                try superuser(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND state = 'idle in transaction'"
                ).first?[0].flatMap { Int($0) } ?? 0
            if open >= count { return true }
            usleep(50_000)
        }
        return false
    }

    /// Runs one of the server's programs, as the `postgres` user where the tests run as root (`initdb` refuses
    /// root), its output going to `command.log` in the server's folder; a failure throws with that output.
    /// Spawned and waited for by hand: Foundation's `Process` was seen to miss the exit of `runuser`, whose
    /// `pg_ctl start` leaves a server running behind it, and to wait forever.
    private func serverCommand(_ arguments: [String]) throws {
        let program = TestPostgres.bin + "/" + arguments[0]
        let argv =
            getuid() == 0
            ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments.dropFirst()
            : [program] + arguments.dropFirst()
        let log = folder + "/command.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer {
            for p in cArguments { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        var status: Int32 = 0
        let waited = spawned == 0 ? waitpid(pid, &status, 0) : -1
        guard waited == pid, status == 0 else {
            struct Failed: Error, CustomStringConvertible { var description: String }
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failed(description: "\(arguments.joined(separator: " ")) failed (\(spawned), \(status)): \(text)")
        }
    }

    private static func makeFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/nakladna-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        let path = String(cString: made)
        // The server's user must reach its folders through this one.
        chmod(path, 0o755)
        return path
    }

    private static func giveToServer(_ path: String) throws {
        guard getuid() == 0 else { return }
        guard let user = getpwnam("postgres") else {
            struct NoUser: Error, CustomStringConvertible {
                var description: String { "there is no postgres user: install postgresql-15 (make test does)" }
            }
            throw NoUser()
        }
        chown(path, user.pointee.pw_uid, user.pointee.pw_gid)
    }

    /// A port on 127.0.0.1 that nothing listens on now: the kernel's pick for a socket bound to port 0.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
