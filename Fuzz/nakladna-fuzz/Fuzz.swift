// libFuzzer target: feeds bytes through the streaming readers and the mapping evaluation, the way a feed file
// goes through `nakladna run`. Built by `make fuzz` with `-sanitize=fuzzer,address`; not part of `swift build`.
//
// The first byte picks the mapping: below 128, an invoice mapping (Inter Cars XML, UBL XML, COMDOC XML, Omega JSON,
// BusMarket JSON, UTR JSON, Vesna JSON, Kharkiv-Avto JSON, Zaporizh-Parts XML, Poltava-Detal JSON); from 128 on, a price or stock feed (Omega, BusMarket, UTR and Vesna JSON,
// Inter Cars' two CSV files, Elit XML). The rest is the file. Any crash, hang or sanitizer report is a finding;
// errors are expected.
//
// With NAKLADNA_FUZZ_TARGET=mapping the whole input is a mapping file, loaded and compiled as `run` loads one; with
// NAKLADNA_FUZZ_TARGET=config it is a `nakladna.yaml`. Both are YAML in: an alias bomb there must be refused, not
// expanded (libFuzzer's -rss_limit_mb makes memory past the limit a finding).
import Foundation
import Nakladna

nonisolated(unsafe) var readers: [MappingReader] = []
nonisolated(unsafe) var priceReaders: [PriceReader] = []
nonisolated(unsafe) var scratch = ""

/// libFuzzer's entry for a program with a main of its own (SwiftPM names an executable's main after the target).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("nakladna_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    setUp()
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}

/// libFuzzer's callback, also exported under the name its runtime expects.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    return testOneInput(data, size)
}

func setUp() {
    let root = ProcessInfo.processInfo.environment["NAKLADNA_MAPPINGS"] ?? "mappings"
    let zone = TimeZone(identifier: "Europe/Kyiv") ?? .current
    for name in [
        "intercars", "ubl-2.1", "comdoc-006", "omega", "busmarket", "uniquetrade", "vesna", "kharkivauto",
        "zaporizhparts", "poltavadetal",
    ] {
        guard let mapping = try? MappingFiles.load(path: "\(root)/\(name).yaml"),
            let reader = MappingReader(mapping: mapping, zone: zone)
        else {
            fatalError("cannot load \(root)/\(name).yaml: run from the project folder or set NAKLADNA_MAPPINGS")
        }
        readers.append(reader)
    }
    for name in ["omega", "busmarket", "uniquetrade", "vesna", "intercars", "elit"] {
        guard let mapping = try? MappingFiles.load(path: "\(root)/\(name).yaml") else {
            fatalError("cannot load \(root)/\(name).yaml")
        }
        priceReaders += mapping.prices.map { PriceReader(feed: $0) }
    }
    scratch = NSTemporaryDirectory() + "nakladna-fuzz-\(getpid())"
}

/// Which loader the inputs go through: the readers (default), the mapping loader or the configuration loader.
let target = ProcessInfo.processInfo.environment["NAKLADNA_FUZZ_TARGET"] ?? "readers"

func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    switch target {
    case "mapping":
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        if let mapping = try? MappingLoader.compile(
            text: text, file: "fuzz.yaml", brands: Brands(),
            crossReference: { ("mappings/" + $0, try? String(contentsOfFile: "mappings/" + $0, encoding: .utf8)) })
        {
            _ = MappingReader(mapping: mapping, zone: TimeZone(identifier: "Europe/Kyiv") ?? .current)
        }
        return 0
    case "config":
        guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes: data, count: size)) else {
            return 0
        }
        _ = try? Config.load(path: scratch, environment: ["OMEGA_KEY": "k"])
        return 0
    default:
        return readOne(data, size)
    }
}

func readOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    if data[0] >= 128 {
        // Price files are read from a file, as the price reader takes them.
        let bytes = Data(bytes: data + 1, count: size - 1)
        guard FileManager.default.createFile(atPath: scratch, contents: bytes) else { return 0 }
        // A price file: items are handed on as read; a file with errors must hand on no item after its first error.
        var items = 0
        let errors = priceReaders[Int(data[0]) % priceReaders.count].read(path: scratch, displayName: "fuzz") { item in
            if item.price?.isNegative == true { fatalError("a negative price was handed on") }
            items += 1
        }
        _ = (errors, items)
        return 0
    }
    // Invoices are read from memory, as the mapping layer takes them.
    let reader = readers[Int(data[0]) % readers.count]
    let result = reader.read(bytes: UnsafeRawBufferPointer(start: data + 1, count: size - 1), displayName: "fuzz")
    // What is read must be whole: every document of a file without errors, none of one with errors.
    if !result.errors.isEmpty && !result.documents.isEmpty { fatalError("documents returned with errors") }
    for d in result.documents {
        _ = d.canonicalJSON()
        _ = d.totals
    }
    return 0
}
