import Foundation
import GRDB
import Testing

@testable import Nakladna

/// What the inbox, the disk and the suppliers can do to a run: one test per attack of the hostile trial (issue
/// "Hardening"), each on a fresh copy of the demo station through the built binary unless it needs no run.
@Suite(.serialized) struct HardeningTests {
    static let folder = "out/2026-11-23_2026-11-29"

    /// The mode bits of what `path` names, without following a link.
    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    /// Every file and folder below `root`, with its mode.
    func modes(below root: String) -> [(String, mode_t)] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [(String, mode_t)] = []
        while let entry = walker.nextObject() as? String {
            if let m = mode(FileSystem.join(root, entry)) { out.append((entry, m)) }
        }
        return out
    }

    func archivedFiles(_ s: Station) -> [Data] {
        s.allFiles().filter { $0.0.hasPrefix("archive/") }.map(\.1)
    }

    // MARK: Security

    @Test func symlinksInTheInboxAreNeverFollowedNorArchived() throws {
        let s = try Station()
        defer { s.remove() }
        // A secret of the machine's, readable by this user only, and the process's environment with a canary in it.
        let secret = s.path("shadow")
        try "root:CANARY-SHADOW-71:19000::::::\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        #expect(symlink("/proc/self/environ", s.path("inbox/omega/env.json")) == 0)
        #expect(symlink(secret, s.path("inbox/omega/x.json")) == 0)
        var env = Station.environment
        env["CANARY_KEY"] = "CANARY-ENV-93"
        let run = try s.run(Station.week, environment: env)
        #expect(run.status == 1)
        #expect(run.stderr.contains("omega/env.json: a symbolic link, not a regular file: not read"), "\(run.stderr)")
        #expect(run.stderr.contains("omega/x.json: a symbolic link, not a regular file: not read"))
        // Left where they are, and named in the report.
        #expect(mode(s.path("inbox/omega/env.json")).map { $0 & S_IFMT == S_IFLNK } == true)
        #expect(mode(s.path("inbox/omega/x.json")).map { $0 & S_IFMT == S_IFLNK } == true)
        let report = try s.read("\(Self.folder)/report.html")
        #expect(report.contains("omega/env.json") && report.contains("omega/x.json"))
        // Nothing of either target was archived.
        for data in archivedFiles(s) {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("CANARY-SHADOW-71") && !text.contains("CANARY-ENV-93"))
        }
        // The other files were read: the week's INC documents are all there.
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == golden)
    }

    @Test func archiveQuarantineAndOutAreNotWorldReadable() throws {
        let s = try Station()
        defer { s.remove() }
        try "not json".write(toFile: s.path("inbox/omega/omega-2026-11-26.json"), atomically: true, encoding: .utf8)
        #expect(try s.run(Station.week).status == 1)
        for root in ["archive", "quarantine", "out"] {
            let all = [(".", mode(s.path(root)) ?? 0)] + modes(below: s.path(root))
            #expect(all.count > 1, "\(root) is empty")
            for (entry, m) in all where m & S_IFMT != S_IFLNK {
                #expect(m & 0o027 == 0, "\(root)/\(entry) has mode \(String(m & 0o7777, radix: 8))")
            }
        }
    }

    @Test func yamlAliasBombsAreRefusedEverywhereYAMLIsRead() throws {
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...10 {
            bomb +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        #expect {
            try MappingLoader.compose(bomb, file: "bomb.yaml")
        } throws: { error in
            "\(error)".contains("bomb.yaml:") && "\(error)".contains("once its aliases (*name) are expanded")
        }
        // In a mapping's order body, where it used to be walked to be sent: refused at load, naming the line.
        let s = try Station()
        defer { s.remove() }
        var omega = try s.read("mappings/omega.yaml")
        omega += "\nbomb:\n" + bomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        try omega.write(toFile: s.path("mappings/omega.yaml"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        #expect(run.stderr.contains("omega.yaml:") && run.stderr.contains("once its aliases (*name) are expanded"))
        // And in the configuration, even under a key it would refuse only later.
        try s.read("nakladna.yaml").replacingOccurrences(of: "mappings/omega.yaml", with: "mappings/omega-2.yaml")
            .appending("bomb:\n" + bomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n")
            .write(toFile: s.config, atomically: true, encoding: .utf8)
        let configRun = try s.run(Station.week)
        #expect(configRun.status == 2)
        #expect(configRun.stderr.contains("once its aliases (*name) are expanded"), "\(configRun.stderr)")
        // A few aliases that expand to little are harmless, and stay allowed.
        #expect(throws: Never.self) { try MappingLoader.compose("a: &a [1, 2]\nb: *a\n", file: "small.yaml") }
    }

    // MARK: Nothing lost

    @Test func aRelativeSymlinkAtOutRangeDoesNotDeleteItsTarget() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        let archived = archivedFiles(s).count
        #expect(archived > 0)
        try FileManager.default.removeItem(atPath: s.path(Self.folder))
        #expect(symlink("../archive", s.path(Self.folder)) == 0)
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(archivedFiles(s).count == archived)
        #expect(FileManager.default.fileExists(atPath: s.path("archive/.station-id")))
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == golden)
    }

    @Test func aFileChangedDuringTheRunStaysWithItsNewBytes() throws {
        let s = try Station()
        defer { s.remove() }
        let invoice = s.path("inbox/omega/omega-2026-11-25.json")
        let prices = s.path("inbox/omega/omega-prices-2026-11-28.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["run", "--config", s.config] + Station.week
        var env = Station.environment
        env["NAKLADNA_TEST_PAUSE_AT"] = "reconciled"
        env["NAKLADNA_TEST_PAUSE_SECONDS"] = "5"
        process.environment = env
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        // Between intake and commit: the invoice is replaced by a new version in place, and the price file grows.
        usleep(2_500_000)
        let newer = try s.read("inbox/omega/omega-2026-11-25.json").replacingOccurrences(
            of: "ВН-0012360", with: "ВН-0099999")
        let handle = try #require(FileHandle(forWritingAtPath: invoice))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(newer.utf8))
        try handle.close()
        let appender = try #require(FileHandle(forWritingAtPath: prices))
        try appender.seekToEnd()
        try appender.write(contentsOf: Data("\n".utf8))
        try appender.close()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(
            stderr.contains("omega/omega-2026-11-25.json: it changed during the run: left in the inbox"), "\(stderr)")
        #expect(stderr.contains("omega/omega-prices-2026-11-28.json: it changed during the run"))
        // The new bytes are still in the inbox, and the next run reads them.
        #expect(try s.read("inbox/omega/omega-2026-11-25.json") == newer)
        let next = try s.run(Station.week)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: invoice))
        #expect(try s.read("\(Self.folder)/inc_documents.csv").contains("ВН-0099999"))
    }

    @Test func namesThatAreNotUTF8AndFoldersThatCannotBeListedAreNamed() throws {
        let s = try Station()
        defer { s.remove() }
        let bad = Array(s.path("inbox/omega/omega-2026-11-25").utf8) + [0xFF] + Array(".json".utf8) + [0]
        let fd = bad.withUnsafeBufferPointer { p in
            p.baseAddress.map {
                $0.withMemoryRebound(to: CChar.self, capacity: bad.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
            } ?? -1
        }
        #expect(fd >= 0)
        close(fd)
        // A supplier "folder" that is a file cannot be listed.
        try FileManager.default.removeItem(atPath: s.path("inbox/uniquetrade"))
        try "x".write(toFile: s.path("inbox/uniquetrade"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        #expect(run.stderr.contains("omega/omega-2026-11-25\\xFF.json: the name is not valid UTF-8"), "\(run.stderr)")
        #expect(run.stderr.contains("uniquetrade/: cannot list the folder: not a directory"))
        let report = try s.read("\(Self.folder)/report.html")
        #expect(report.contains("omega-2026-11-25\\xFF.json") && report.contains("cannot list the folder"))
        // The file is still there: the next run names it again.
        #expect(try s.run(Station.week).stderr.contains("omega-2026-11-25\\xFF.json"))
    }

    @Test func aFIFOOrALinkToDevZeroDoesNotAbortTheRun() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(mkfifo(s.path("inbox/omega/pipe.json"), 0o644) == 0)
        #expect(symlink("/dev/zero", s.path("inbox/omega/zero.json")) == 0)
        try FileManager.default.createDirectory(
            atPath: s.path("inbox/omega/folder.json"), withIntermediateDirectories: false)
        // A hidden file is named too; a temporary of the tool's own, left by a killed pull, is not.
        try "{}".write(toFile: s.path("inbox/omega/.hidden.json"), atomically: false, encoding: .utf8)
        try "{".write(toFile: s.path("inbox/omega/.nakladna-tmp-Ab12Cd"), atomically: false, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        #expect(run.stderr.contains("omega/pipe.json: a FIFO, not a regular file: not read"), "\(run.stderr)")
        #expect(run.stderr.contains("omega/zero.json: a symbolic link, not a regular file: not read"))
        #expect(run.stderr.contains("omega/folder.json: a folder, not a regular file: not read"))
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == golden)
        #expect(run.stderr.contains("omega/.hidden.json: a hidden file: not read"))
        #expect(!run.stderr.contains("nakladna-tmp"))
        #expect(
            Set(s.files("inbox/omega")) == [
                ".hidden.json", ".nakladna-tmp-Ab12Cd", "folder.json", "pipe.json", "zero.json",
            ])
    }

    @Test func twoWritersOfOnePathNeverShareATemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-tmp-\(UUID().uuidString)")
            .path
        try FileSystem.makeDirectory(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = FileSystem.join(folder, "same")
        let data = Data(repeating: 0x41, count: 1 << 20)
        let lock = NSLock()
        nonisolated(unsafe) var failures = 0
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<100 {
                do { try FileSystem.writeAtomically(data, to: target, durable: false) } catch {
                    lock.withLock { failures += 1 }
                }
            }
        }
        #expect(failures == 0)
        #expect(FileManager.default.contents(atPath: target) == data)
        #expect(FileSystem.files(in: folder) == ["same"])
    }

    @Test func twoCopiesOfOneLargeFileAreBothRead() throws {
        let s = try Station()
        defer { s.remove() }
        let big =
            Data(repeating: 0x20, count: 30 << 20) + Data("{\"Success\": true, \"Data\": [], \"Errors\": []}".utf8)
        try big.write(to: URL(fileURLWithPath: s.path("inbox/omega/copy-1.json")))
        try big.write(to: URL(fileURLWithPath: s.path("inbox/omega/copy-2.json")))
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("прочитано файлів: 22"))
        #expect(s.files("inbox/omega").isEmpty)
    }

    @Test func quarantineAcrossFileSystemsAndOfLongNames() throws {
        let s = try Station()
        defer { s.remove() }
        // /dev/shm is another file system (tmpfs) than the station's.
        let elsewhere = "/dev/shm/nakladna-quarantine-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let config = try s.read("nakladna.yaml").replacingOccurrences(
            of: "quarantine: quarantine", with: "quarantine: \(elsewhere)")
        try config.write(toFile: s.config, atomically: true, encoding: .utf8)
        let long = String(repeating: "д", count: 115) + "-2026-11-26.json"  // 230 + 16 bytes: fits, its reason not
        #expect(long.utf8.count + ".error.txt".utf8.count > 255)
        try "not json".write(toFile: s.path("inbox/omega/\(long)"), atomically: false, encoding: .utf8)
        try "not json".write(toFile: s.path("inbox/omega/short.json"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1, "\(run.stderr)")
        let quarantined = Set((try? FileManager.default.contentsOfDirectory(atPath: "\(elsewhere)/omega")) ?? [])
        #expect(quarantined.contains(long) && quarantined.contains("short.json"))
        #expect(quarantined.contains("short.json.error.txt"))
        let reasonFile = try #require(quarantined.first { $0.hasSuffix(".error.txt") && $0 != "short.json.error.txt" })
        #expect(reasonFile == Quarantine.reasonFileName(long))
        #expect(reasonFile.utf8.count <= 255 && reasonFile.hasPrefix(String(repeating: "д", count: 100)))
        #expect(s.files("inbox/omega").isEmpty)
        // The shortened name keeps a hash of the whole name: two long names that share a start do not clash.
        #expect(Quarantine.reasonFileName(long) != Quarantine.reasonFileName(long + "x"))
    }

    @Test func aPoisonDateIsQuarantinedAndAStoredOneNamesItsRow() throws {
        let s = try Station()
        defer { s.remove() }
        let poisoned = try s.read("inbox/busmarket/bm-2026-11-25.json").replacingOccurrences(
            of: "2026-11-24T22:40:05Z", with: "9999-12-31T23:00:00Z")
        try poisoned.write(toFile: s.path("inbox/busmarket/bm-2026-11-25.json"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        let reason = try s.read("quarantine/busmarket/bm-2026-11-25.json.error.txt")
        #expect(
            reason.contains("\"9999-12-31T23:00:00Z\" is 10000-01-01, outside 1900-01-01 … 2199-12-31"), "\(reason)")
        #expect(try s.run(Station.week).status == 0)
        // A value stored by an earlier release that cannot be read back: named by table and row (exit 4), and the
        // report, which does not need it, still works.
        let queue = try DatabaseQueue(path: s.path("out/nakladna.sqlite"))
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE documents SET body = replace(body, '"invoiceDate":"2026-11-25"', '"invoiceDate":"10000-01-01"')
                    WHERE supplier = 'omega' AND supplier_invoice = 'ВН-0012360'
                    AND instr(body, '"invoiceDate":"2026-11-25"') > 0
                    """)
            #expect(db.changesCount == 1)
        }
        let broken = try s.run(Station.week)
        #expect(broken.status == 4)
        #expect(
            broken.stderr.contains(
                "out/nakladna.sqlite: table documents, row supplier 'omega', supplier_invoice 'ВН-0012360'"),
            "\(broken.stderr)")
        #expect(broken.stderr.split(separator: "\n").count == 1)
        let report = try runBinary(["report", "--config", s.config] + Station.week, environment: Station.environment)
        #expect(report.status == 0, "\(report.stderr)")
    }

    @Test func aDeletedDatabaseBesideAnArchiveIsRefused() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        try FileManager.default.removeItem(atPath: s.path("out/nakladna.sqlite"))
        try RunSafetyTests.lateFile.write(
            toFile: s.path("inbox/omega/omega-2026-11-29.json"), atomically: true, encoding: .utf8)
        let before = try s.read("\(Self.folder)/inc_documents.csv")
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        #expect(run.stderr.contains("out/nakladna.sqlite is new or empty, but"), "\(run.stderr)")
        #expect(run.stderr.contains("Restore the database from a backup, or move the archive aside to start afresh"))
        // Nothing changed: no database made, the late file still in the inbox, the folder as it was.
        #expect(!FileManager.default.fileExists(atPath: s.path("out/nakladna.sqlite")))
        #expect(s.files("inbox/omega") == ["omega-2026-11-29.json"])
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == before)
        // An empty database in its place is refused too; with the archive moved aside, the run starts afresh.
        _ = try SQLiteStore(path: s.path("out/nakladna.sqlite"))
        #expect(try s.run(Station.week).status == 2)
        try FileManager.default.moveItem(atPath: s.path("archive"), toPath: s.path("archive.old"))
        #expect(try s.run(Station.week).status == 0)
    }

    @Test func theSameBytesUnderAnInvoiceAndAPriceFileNameAreTwoFiles() throws {
        let s = try Station()
        defer { s.remove() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: s.path("inbox/omega/omega-2026-11-25.json")))
        // The same bytes under a price-file name: not a price file, so quarantined; the invoice itself is read.
        try bytes.write(to: URL(fileURLWithPath: s.path("inbox/omega/omega-prices-2026-11-29.json")))
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        let queue = try DatabaseQueue(path: s.path("out/nakladna.sqlite"))
        let rows = try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, status FROM feed_files WHERE sha256 = ? ORDER BY name",
                arguments: [SHA256Hex.of(bytes)]
            ).map { "\($0["name"] as String) \($0["status"] as String)" }
        }
        #expect(rows == ["omega-2026-11-25.json read", "omega-prices-2026-11-29.json quarantined"])
        let report = try s.read("\(Self.folder)/report.html")
        let quarantine = try #require(report.range(of: "<section id=\"quarantine\">")).upperBound
        #expect(!report[quarantine...].prefix(2000).contains("omega/omega-2026-11-25.json"))
    }

    // MARK: Exit codes and messages

    @Test(arguments: [
        ["--date", "2026-02-29"], ["--from", "2026-11-29", "--to", "2026-11-23"], ["--bogus"], ["--lang", "xx"],
        ["--csv", "tsv"],
    ])
    func usageErrorsExit2(_ arguments: [String]) throws {
        let s = try Station()
        defer { s.remove() }
        let run = try s.run(arguments)
        #expect(run.status == 2, "\(arguments): \(run.stderr)")
        #expect(!run.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: s.path("out/nakladna.sqlite")))
    }

    @Test func aFailedRunExits4NamingTheFileAndTheCause() throws {
        let s = try Station()
        defer { s.remove() }
        try FileManager.default.createDirectory(atPath: s.path("out"), withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: s.path("out/nakladna.sqlite")))
        let corrupt = try s.run(Station.week)
        #expect(corrupt.status == 4)
        #expect(corrupt.stderr.contains("/out/nakladna.sqlite: file is not a database"), "\(corrupt.stderr)")
        #expect(corrupt.stderr.split(separator: "\n").count == 1)
        #expect(s.files("inbox/omega").count == 6)
        let help = try runBinary(["run", "--help"])
        #expect(help.stdout.contains("4 the run failed and committed nothing"))
    }

    @Test func diskFullSaysNoSpaceLeftOnDeviceAndThePath() throws {
        // A 1 MiB file system for out/: the run's folder cannot be written there.
        let s = try Station()
        defer { s.remove() }
        let small = s.path("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        let mounted = Process()
        mounted.executableURL = URL(fileURLWithPath: "/bin/mount")
        mounted.arguments = ["-t", "tmpfs", "-o", "size=16k", "tmpfs", small]
        try mounted.run()
        mounted.waitUntilExit()
        try #require(mounted.terminationStatus == 0, "this test needs to mount a tmpfs (root)")
        defer {
            let u = Process()
            u.executableURL = URL(fileURLWithPath: "/bin/umount")
            u.arguments = [small]
            try? u.run()
            u.waitUntilExit()
        }
        let config = try s.read("nakladna.yaml").replacingOccurrences(of: "out: out", with: "out: small/out")
            .replacingOccurrences(of: "database: out/nakladna.sqlite", with: "database: db/nakladna.sqlite")
        try config.write(toFile: s.config, atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 4)
        #expect(run.stderr.contains(": no space left on device"), "\(run.stderr)")
        #expect(run.stderr.contains("/small/out"), "\(run.stderr)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"))
        #expect(s.files("inbox/omega").count == 6)
    }

    @Test func aSecretFileThatIsALinkIsJudgedByItsTarget() throws {
        let s = try Station()
        defer { s.remove() }
        try "vesna-secret\n".write(toFile: s.path("token"), atomically: true, encoding: .utf8)
        chmod(s.path("token"), 0o600)
        #expect(symlink(s.path("token"), s.path("token-link")) == 0)
        let text = try s.read("nakladna.yaml").replacingOccurrences(
            of: "credentials: { customer_id: 4411 }",
            with: "credentials: { customer_id: 4411, token: \"${file:token-link}\" }")
        try text.write(toFile: s.config, atomically: true, encoding: .utf8)
        let config = try Config.load(path: s.config, environment: Station.environment)
        #expect(config.supplier("vesna")?.secrets["token"]?.reveal() == "vesna-secret")
        chmod(s.path("token"), 0o644)
        #expect(throws: ConfigError.self) { try Config.load(path: s.config, environment: Station.environment) }
    }

    // MARK: Bounded

    @Test func aFloodOfErrorsInOneFileIsBounded() throws {
        let s = try Station()
        defer { s.remove() }
        let records = Array(repeating: "{}", count: 200_000).joined(separator: ",")
        try "{\"Success\": true, \"Data\": [\(records)], \"Errors\": []}".write(
            toFile: s.path("inbox/omega/flood.json"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        let reason = try s.read("quarantine/omega/flood.json.error.txt")
        #expect(reason.split(separator: "\n").count == 101)
        #expect(reason.contains("… and "), "\(reason.suffix(200))")
        #expect(reason.utf8.count < 50_000)
        #expect(try s.read("\(Self.folder)/report.html").utf8.count < 500_000)
    }

    @Test func aFileOverMaxFileMbIsLeftInTheInboxUnarchived() throws {
        let s = try Station()
        defer { s.remove() }
        let config = try s.read("nakladna.yaml") + "max_file_mb: 1\n"
        try config.write(toFile: s.config, atomically: true, encoding: .utf8)
        let big = Data(repeating: 0x20, count: 2 << 20) + Data("{\"Success\": true, \"Data\": [], \"Errors\": []}".utf8)
        try big.write(to: URL(fileURLWithPath: s.path("inbox/omega/big.json")))
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        #expect(
            run.stderr.contains("omega/big.json: 2.0 MB, more than max_file_mb (1): left in the inbox"), "\(run.stderr)"
        )
        #expect(s.files("inbox/omega") == ["big.json"])
        #expect(!FileManager.default.fileExists(atPath: Archive(root: s.path("archive")).path(of: SHA256Hex.of(big))))
    }

    @Test func aSealedFolderLeftByAKillIsRemoved() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        let runs = s.path("out/.runs")
        let shown = try FileManager.default.destinationOfSymbolicLink(atPath: s.path(Self.folder))
        // What a run killed between sealing and commit leaves: a sealed folder no link points at.
        for leftover in ["2026-11-23_2026-11-29.1-1", "2026-11-20.2-2", "2026-11-23_2026-11-29.3-3.partial"] {
            try FileManager.default.createDirectory(atPath: "\(runs)/\(leftover)", withIntermediateDirectories: true)
            try "x".write(toFile: "\(runs)/\(leftover)/inc_documents.csv", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: "\(runs)/kept.replaced", withIntermediateDirectories: true)
        #expect(try s.run(["--date", "2026-11-25"]).status == 0)
        let left = Set(s.files("out/.runs"))
        #expect(left.contains((shown as NSString).lastPathComponent))
        #expect(left.contains("kept.replaced"))
        #expect(!left.contains("2026-11-23_2026-11-29.1-1") && !left.contains("2026-11-20.2-2"))
        #expect(!left.contains("2026-11-23_2026-11-29.3-3.partial"))
        #expect(try s.read("\(Self.folder)/inc_documents.csv").contains("inc_number"))
    }

    @Test(arguments: [
        "=1+1", "\u{FEFF}=1+1", "\u{200B}+7", "\u{180E}-1", "\u{202E}@SUM(A1)", "\u{01}=1", "\u{07}\u{200B}=x",
        "＝1+1", "﹦1", "＋1", "－1", "＠A1", "\u{2212}1", "\u{FEFF}\u{2212}5", "\t1", "\r1",
    ])
    func formulasBehindInvisibleCharactersAreGuarded(_ cell: String) {
        var out: [UInt8] = []
        CSVWriter.append(cell, guarded: true, to: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(
            text.hasPrefix("'") || text.hasPrefix("\"'"), "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    /// A cell written as bytes (a note) is guarded and quoted as a text cell is.
    @Test func aCellWrittenAsBytesIsGuardedAsText() {
        let rows = [Note.text("=HYPERLINK(\"x\")"), .text("plain, with a comma"), .text("-1")]
        let bytes = CSVWriter(dialect: .rfc).render(header: ["note"], rows: rows) { note, cells in
            cells.utf8 { note.write(.en, to: &$0) }
        }
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "note\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n\"plain, with a comma\"\r\n'-1\r\n")
    }

    @Test(arguments: ["0986452041", "Фільтр", "\u{FEFF}Фільтр", " =1", "a=1", "", "BOSCH-1"])
    func plainTextIsNotGuarded(_ cell: String) {
        var out: [UInt8] = []
        CSVWriter.append(cell, guarded: true, to: &out)
        #expect(!String(decoding: out, as: UTF8.self).hasPrefix("'"))
    }

    @Test func aFileReasonKeepsTheFirstHundredErrors() {
        let errors = (1...250).map { FeedError(file: "f.json", place: "$.Data[\($0)]", reason: "bad") }
        let lines = FeedError.reason(errors).split(separator: "\n")
        #expect(lines.count == 101)
        #expect(lines[99] == "f.json:$.Data[100]: bad")
        #expect(lines[100] == "… and 150 more errors in this file")
        #expect(FeedError.reason(Array(errors.prefix(100))).split(separator: "\n").count == 100)
    }
}
