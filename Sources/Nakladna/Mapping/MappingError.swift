/// Why a mapping file (or `brands.yaml`, or a cross-reference CSV) is refused: the file, its line:column, the
/// reason. A broken mapping stops the run before anything changes (exit 2); it is never quarantined.
package struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var reason: String

    package init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    package var description: String { "\(file):\(line):\(column): \(reason)" }
}
