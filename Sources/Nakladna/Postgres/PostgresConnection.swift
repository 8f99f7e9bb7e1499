import CLibPQ
import Foundation

/// What went wrong talking to PostgreSQL. The message names the URL with its password masked, and never holds the
/// password, even where the server echoed it.
package struct PostgresError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// No server answered at the URL's address (exit 4: try again when it is up).
        case unreachable
        /// A server answered and refused us: a wrong password, a missing database or role (exit 2: the
        /// configuration is wrong).
        case refused
        /// A statement failed; its SQLSTATE (`40001`, `57P01`, …), or empty where the connection was lost.
        case statement(String)
    }

    package var kind: Kind
    package var message: String

    package var description: String { message }

    /// Whether the connection itself was lost (a server restarted or stopped mid-run), rather than one statement
    /// refused.
    package var connectionLost: Bool {
        if case .statement(let state) = kind { return state.isEmpty || state.hasPrefix("08") || state == "57P01" }
        return kind == .unreachable
    }
}

/// One connection to a PostgreSQL server, through libpq. Synchronous, as the store uses it from one thread at a
/// time; values go to the server as text, and come back as text, so money is never a floating-point number on
/// the way.
package final class PostgresConnection {
    package let url: PostgresURL
    private let connection: OpaquePointer

    /// Connects, or says why not: `.unreachable` where no server answers, `.refused` where one answered and said no.
    package init(_ url: PostgresURL) throws(PostgresError) {
        self.url = url
        // Whatever the URL says, a connection attempt gives up after a while, rather than hang a night's run.
        var parameters = url.parameters
        if !parameters.contains(where: { $0.key == "connect_timeout" }) { parameters.append(("connect_timeout", "10")) }
        parameters.append(("application_name", "nakladna"))
        let (connection, answered) = PostgresConnection.withParameters(parameters) { keys, values in
            (PQconnectdbParams(keys, values, 0), PQpingParams(keys, values, 0))
        }
        guard let connection else {
            throw PostgresError(kind: .unreachable, message: "\(url.masked): out of memory for a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = url.masking(PostgresConnection.oneLine(PQerrorMessage(connection)))
            PQfinish(connection)
            // A server that pings fine refused this login or database: the configuration is wrong, not the night.
            let refused = answered == PQPING_OK
            throw PostgresError(
                kind: refused ? .refused : .unreachable,
                message: refused
                    ? "\(url.masked): the server refused the connection: \(reason). Check the user, the password "
                        + "and the database name in `database:`"
                    : "\(url.masked): no PostgreSQL server answered: \(reason). Start it, or check the host and "
                        + "port in `database:`")
        }
        self.connection = connection
        // Notices (`NOTICE: relation exists, skipping`) are not the operator's business.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit {
        PQfinish(connection)
    }

    /// Runs `sql`, with `$1`, `$2`, … bound to `arguments` (nil is NULL), and gives the rows, each value as text
    /// (nil for NULL).
    @discardableResult
    package func query(_ sql: String, _ arguments: [String?] = []) throws(PostgresError) -> [[String?]] {
        try rows(sql, arguments).map(\.values)
    }

    /// `query`'s rows, whose values can also be read by column name (`StoredRow`).
    package func rows(_ sql: String, _ arguments: [String?] = []) throws(PostgresError) -> [PostgresRow] {
        let result = PostgresConnection.withTexts(arguments) { values in
            PQexecParams(connection, sql, Int32(arguments.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql)
        let (count, columns) = (PQntuples(result), PQnfields(result))
        var names: [String: Int] = [:]
        for c in 0..<columns { names[String(cString: PQfname(result, c))] = Int(c) }
        let columnsByName = PostgresRow.Columns(names)
        var rows: [PostgresRow] = []
        rows.reserveCapacity(Int(count))
        for r in 0..<count {
            rows.append(
                PostgresRow(
                    columns: columnsByName,
                    values: (0..<columns).map { c in
                        PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
                    }))
        }
        return rows
    }

    /// Runs `sql` with `texts` as `$1`… and `bytes` as the last parameter, sent as they are (binary), not as text.
    package func execute(_ sql: String, texts: [String], bytes: Data) throws(PostgresError) {
        let values = texts.map { strdup($0) }
        defer {
            for p in values { free(p) }
        }
        let count = Int32(texts.count + 1)
        let lengths = texts.map { Int32($0.utf8.count) } + [Int32(bytes.count)]
        let formats = texts.map { _ in Int32(0) } + [1]
        let result = bytes.withUnsafeBytes { raw in
            let pointers = values.map { UnsafePointer($0) } + [raw.bindMemory(to: CChar.self).baseAddress]
            return PQexecParams(connection, sql, count, nil, pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// The first column of the first row of `sql`, as bytes (binary); nil without a row or for NULL.
    package func bytes(_ sql: String, _ arguments: [String]) throws(PostgresError) -> Data? {
        let result = PostgresConnection.withTexts(arguments) { values in
            PQexecParams(connection, sql, Int32(arguments.count), nil, values, nil, nil, 1)
        }
        defer { PQclear(result) }
        try check(result, sql)
        guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0, let value = PQgetvalue(result, 0, 0) else {
            return nil
        }
        return Data(bytes: value, count: Int(PQgetlength(result, 0, 0)))
    }

    /// Runs one or more statements without arguments (a migration, `BEGIN`, `COMMIT`).
    package func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// `COPY table FROM STDIN` of `rows`, in text format. Nothing of them is kept where any is refused.
    package func copy(into table: String, _ rows: CopySink) throws(PostgresError) {
        guard !rows.bytes.isEmpty else { return }
        try copy(into: table) { $0.bytes = rows.bytes }
    }

    /// `COPY table FROM STDIN` of the rows `fill` writes, in text format, sent in pieces of about a megabyte as they
    /// are made: a year's 120,000 document versions are never held whole. Nothing of them is kept where any is
    /// refused.
    package func copy(into table: String, _ fill: (inout CopySink) -> Void) throws(PostgresError) {
        let sql = "COPY \(table) FROM STDIN"
        let start = PQexec(connection, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            try check(start, sql)
            throw PostgresError(kind: .statement(""), message: "\(url.masked): \(sql): the server did not take rows")
        }
        PQclear(start)
        // A piece libpq could not send ends the COPY: the server's error says why, below.
        var sending = true
        let connection = self.connection
        var rows = CopySink(sending: { bytes in
            guard sending, !bytes.isEmpty else { return }
            sending = bytes.withUnsafeBufferPointer { piece in
                piece.withMemoryRebound(to: CChar.self) {
                    PQputCopyData(connection, $0.baseAddress, Int32($0.count)) == 1
                }
            }
            bytes.removeAll(keepingCapacity: true)
        })
        fill(&rows)
        rows.flush()
        _ = PQputCopyEnd(connection, nil)
        var failure: PostgresError?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if failure == nil {
                do { try check(result, sql) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// A text array literal (`{"a","b"}`) for `= ANY($n::text[])`: each element quoted, its `"` and `\` escaped.
    static func array(_ values: some Collection<String>) -> String {
        var text = "{"
        for (i, v) in values.enumerated() {
            if i > 0 { text += "," }
            text += "\""
            for c in v.unicodeScalars {
                if c == "\"" || c == "\\" { text += "\\" }
                text.unicodeScalars.append(c)
            }
            text += "\""
        }
        return text + "}"
    }

    /// A LIKE pattern that matches the texts beginning with `prefix`.
    static func likePrefix(_ prefix: String) -> String {
        var pattern = ""
        for c in prefix {
            if c == "%" || c == "_" || c == "\\" { pattern += "\\" }
            pattern.append(c)
        }
        return pattern + "%"
    }

    /// Whether the connection is still up, as libpq last saw it.
    package var isOpen: Bool { PQstatus(connection) == CONNECTION_OK }

    private func check(_ result: OpaquePointer?, _ sql: String) throws(PostgresError) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY: return
        default:
            let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
            let message = result.map { PostgresConnection.oneLine(PQresultErrorMessage($0)) } ?? ""
            let text = message.isEmpty ? PostgresConnection.oneLine(PQerrorMessage(connection)) : message
            let statement = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
            throw PostgresError(
                kind: .statement(isOpen ? (state ?? "") : ""),
                message: "\(url.masked): \(url.masking(text)) (in: \(statement.prefix(80)))")
        }
    }

    private static func oneLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// C strings for libpq's keyword and value arrays, each ending in NULL, alive while `body` runs.
    private static func withParameters<T>(
        _ parameters: [(key: String, value: String)],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) -> T
    ) -> T {
        let keys = parameters.map { strdup($0.key) }
        let values = parameters.map { strdup($0.value) }
        defer {
            for p in keys + values { free(p) }
        }
        let k = keys.map { UnsafePointer($0) } + [nil]
        let v = values.map { UnsafePointer($0) } + [nil]
        return k.withUnsafeBufferPointer { kp in
            v.withUnsafeBufferPointer { vp in body(kp.baseAddress, vp.baseAddress) }
        }
    }

    private static func withTexts<T>(_ texts: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
        let copies = texts.map { $0.map { strdup($0) } ?? nil }
        defer {
            for p in copies { free(p) }
        }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

/// A row of a PostgreSQL result: its values as text, by place or by column name.
package struct PostgresRow: StoredRow {
    /// The result's column names, shared by its rows.
    final class Columns {
        let index: [String: Int]
        init(_ index: [String: Int]) { self.index = index }
    }

    let columns: Columns
    package let values: [String?]

    package subscript(_ place: Int) -> String? { values[place] }

    package func text(_ column: String) -> String? {
        columns.index[column].flatMap { values[$0] }
    }
}

/// Rows of `COPY … FROM STDIN` in text format, written cell by cell (`CellSink`, as the CSV files and SQLite rows
/// are): fields apart by tabs, `\N` for NULL, and a backslash, tab, newline or carriage return in a value escaped, as
/// PostgreSQL's COPY text format asks.
package struct CopySink: CellSink {
    package var bytes: [UInt8] = []
    private var cells = 0
    /// Where the rows go once they fill a piece (`PostgresConnection.copy`); nil: they stay in `bytes`.
    private let send: ((inout [UInt8]) -> Void)?

    package init() { send = nil }

    init(sending send: @escaping (inout [UInt8]) -> Void) {
        self.send = send
    }

    /// Sends the rows made so far, where they go anywhere.
    mutating func flush() { send?(&bytes) }

    package mutating func text(_ s: String) {
        separate()
        escape(s.utf8)
    }

    package mutating func empty() {
        separate()
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "N")]
    }

    /// ASCII digits, signs and points: nothing in them to escape.
    package mutating func ascii(number: Bool, _ write: (inout [UInt8]) -> Void) {
        separate()
        write(&bytes)
    }

    package mutating func utf8(_ write: (inout [UInt8]) -> Void) {
        separate()
        var text: [UInt8] = []
        write(&text)
        escape(text)
    }

    /// Ends the row whose cells were given.
    package mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        cells = 0
        if bytes.count >= 1 << 20 { flush() }
    }

    /// A row of texts and NULLs.
    package mutating func row(_ fields: [String?]) {
        texts(fields)
        endRow()
    }

    private mutating func separate() {
        if cells > 0 { bytes.append(UInt8(ascii: "\t")) }
        cells += 1
    }

    private mutating func escape(_ text: some Sequence<UInt8>) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
    }
}
