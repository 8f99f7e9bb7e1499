/// Why a feed file, or one document in it, cannot be read: the file, the place and the reason.
///
/// The place is `line:column` in XML, a JSON path in JSON; `field` names the mapped field where one is at fault.
package struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var place: String
    package var field: String?
    package var reason: String

    package init(file: String, place: String, field: String? = nil, reason: String) {
        self.file = file
        self.place = place
        self.field = field
        self.reason = reason
    }

    package var description: String {
        let at = place.isEmpty ? file : "\(file):\(place)"
        if let field { return "\(at): field '\(field)': \(reason)" }
        return "\(at): \(reason)"
    }
}

extension FeedError {
    /// How many errors of one file are kept: a file of 200,000 bad records must not make every report that lists it
    /// as large as the file.
    package static let keptPerFile = 100

    /// A file's errors as one text, one per line: the first `keptPerFile`, then how many more there were.
    package static func reason(_ errors: [FeedError]) -> String {
        var lines = errors.prefix(keptPerFile).map(\.description)
        if errors.count > keptPerFile { lines.append("… and \(errors.count - keptPerFile) more errors in this file") }
        return lines.joined(separator: "\n")
    }
}
