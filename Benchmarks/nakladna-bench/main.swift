// The measured side of `make bench` (bench/run.py drives it): reads one feed file through a mapping into
// canonical documents, streaming, and prints what it read, so that the baselines can be checked against it.
//
// Usage: nakladna-bench read MAPPING FILE
import Foundation
import Nakladna

let arguments = CommandLine.arguments
guard arguments.count == 4, arguments[1] == "read" else {
    FileHandle.standardError.write(Data("usage: nakladna-bench read MAPPING FILE\n".utf8))
    exit(2)
}
do {
    let mapping = try MappingFiles.load(path: arguments[2])
    guard let zone = TimeZone(identifier: "Europe/Kyiv"), let reader = MappingReader(mapping: mapping, zone: zone)
    else { exit(2) }
    var lines = 0
    var documents = 0
    var gross = Fixed.zero
    let result = reader.read(
        path: arguments[3], displayName: arguments[3], keep: false,
        onRestart: {
            documents = 0
            lines = 0
            gross = .zero
        }
    ) { document in
        documents += 1
        lines += document.lines.count
        gross = gross + document.totals.gross
    }
    if let error = result.errors.first {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
    print("documents \(documents) lines \(lines) gross \(gross.formatted(places: 2))")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
