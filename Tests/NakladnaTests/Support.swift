import Foundation
import Testing

@testable import Nakladna

/// The package's root folder, found from this file's path.
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A path below the package root.
func repoPath(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

/// The built `nakladna` executable: next to the test bundle, which `swift build --build-tests` puts there.
let binaryPath: String = {
    if let env = ProcessInfo.processInfo.environment["NAKLADNA_BIN"] { return env }
    var dir = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("nakladna").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repoPath(".build/debug/nakladna")
}()

/// What a run of the binary did.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built binary with `arguments` from the package root, or from `directory`; or, with `executable`, that
/// program, with `arguments` as its whole command line (the first is its own name).
func runBinary(
    _ arguments: [String], environment: [String: String]? = nil, executable: String? = nil, in directory: String? = nil
) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable ?? binaryPath)
    process.arguments = executable == nil ? arguments : Array(arguments.dropFirst())
    process.currentDirectoryURL = directory.map { URL(fileURLWithPath: $0) } ?? packageRoot
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// Reads a feed file through a project mapping, in Kyiv time.
func readFeed(mapping name: String, file: String) throws -> MappingReader.Result {
    let mapping = try MappingFiles.load(path: repoPath("mappings/\(name).yaml"))
    let reader = try #require(MappingReader(mapping: mapping, zone: kyiv))
    return reader.read(path: repoPath(file), displayName: file)
}

let kyiv: TimeZone = {
    guard let zone = TimeZone(identifier: "Europe/Kyiv") else { fatalError("no Europe/Kyiv in the time-zone database") }
    return zone
}()

/// A decimal from its text, for expectations.
func d(_ text: String) -> Fixed {
    do { return try Fixed(parsing: text) } catch { fatalError("bad test decimal \(text)") }
}

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ name: String, _ bytes: Data) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try bytes.write(to: url)
    return url.path
}
