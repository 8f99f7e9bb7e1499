import ArgumentParser
import Foundation
import Nakladna

/// `nakladna demo`: the bundled demo station, end to end, in a fresh folder.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the bundled demo station end to end into a fresh folder and say where the report is.",
        discussion: """
            Copies fixtures/demo (a configuration, orders, EUR rates and a week of feeds from every supplier) into \
            a new folder and runs `nakladna run` over its week there. Nothing outside that folder is touched.
            """
    )

    @Option(help: "Where to put the fresh station (default: demo-out/<time> in the current folder).")
    var into: String?

    @Option(help: "The folder of the demo station (default: fixtures/demo, found from here or beside the binary).")
    var station: String?

    @Option(help: "The report's language: uk or en.")
    var lang: String = "uk"

    static let week = (from: "2026-11-23", to: "2026-11-29")

    func run() throws {
        guard let source = station ?? DemoCommand.findStation() else {
            printError("cannot find fixtures/demo: run from the project folder or give --station")
            throw ExitCode(2)
        }
        let stamp = Int(Date().timeIntervalSince1970)
        let target = into ?? "demo-out/\(stamp)"
        let manager = FileManager.default
        if manager.fileExists(atPath: target) {
            printError("\(target) exists already: the demo runs into a fresh folder")
            throw ExitCode(2)
        }
        do {
            let parent = (target as NSString).deletingLastPathComponent
            if !parent.isEmpty { try FileSystem.makeDirectory(parent) }
            try manager.copyItem(atPath: source, toPath: target)
        } catch {
            printError("cannot make the demo station at \(target): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        // The golden files are for the tests, not part of the station.
        try? manager.removeItem(atPath: (target as NSString).appendingPathComponent("expected"))
        // The station uses the project's own mapping files, copied beside it.
        let mappings = (target as NSString).appendingPathComponent("mappings")
        if !manager.fileExists(atPath: mappings) {
            let project = ((source as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            try manager.copyItem(atPath: (project as NSString).appendingPathComponent("mappings"), toPath: mappings)
        }
        let language = Language(rawValue: lang) ?? .uk
        let config: Config
        do {
            config = try Config.load(
                path: (target as NSString).appendingPathComponent("nakladna.yaml"),
                environment: ["DEMO_OMEGA_KEY": "demo-omega-key", "DEMO_BM_KEY": "demo-bm-key"])
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        guard let from = CalendarDate(iso: DemoCommand.week.from), let to = CalendarDate(iso: DemoCommand.week.to)
        else { throw ExitCode(2) }
        do {
            let summary = try Pipeline.run(
                config: config,
                options: RunOptions(
                    from: from, to: to, language: language, command: "demo",
                    now: Date()))
            print(language == .uk ? "демо-станція: \(target)" : "demo station: \(target)")
            print(SummaryText.render(summary, language: language))
            let config = (target as NSString).appendingPathComponent("nakladna.yaml")
            print(
                (language == .uk ? "пропозиції постачальників: " : "suppliers' offers: ")
                    + "nakladna offers --config \(config) BOSCH \"0 986 452 041\" --today 2026-11-29")
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }

    /// `fixtures/demo` from the current folder upwards, or from the binary's own folder upwards: the binary as the
    /// system runs it (`/proc/self/exe`, links resolved), not as it was typed, which may be a bare name on PATH.
    static func findStation() -> String? {
        var starts = [FileManager.default.currentDirectoryPath]
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        starts.append((executable as NSString).deletingLastPathComponent)
        for start in starts {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("fixtures/demo")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("nakladna.yaml").path) {
                    return candidate.path
                }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }
}
