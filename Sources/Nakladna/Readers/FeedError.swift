import Foundation

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

    /// A file's errors as `mapping check` lists them: the first `keptPerFile`, then one that says how many more.
    package static func kept(_ errors: [FeedError]) -> [FeedError] {
        guard errors.count > keptPerFile, let first = errors.first else { return errors }
        let more = FeedError(
            file: first.file, place: "", reason: "… and \(errors.count - keptPerFile) more errors in this file")
        return Array(errors.prefix(keptPerFile)) + [more]
    }

    /// Errors as `mapping check --format json` prints them: `[{"file", "place", "field", "message"}]`, with a null
    /// field where the error names none; keys sorted, so that the same errors print the same. (Text only, no
    /// amounts: Foundation's encoder writes it.)
    package static func json(_ errors: [FeedError]) -> String {
        struct Entry: Encodable {
            var error: FeedError
            enum Keys: String, CodingKey { case file, place, field, message }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(error.file, forKey: .file)
                try c.encode(error.place, forKey: .place)
                try c.encode(error.field, forKey: .field)
                try c.encode(error.reason, forKey: .message)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(errors.map(Entry.init)) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A file's errors as one text, one per line: the first `keptPerFile`, then how many more there were.
    package static func reason(_ errors: [FeedError]) -> String {
        var lines = errors.prefix(keptPerFile).map(\.description)
        if errors.count > keptPerFile { lines.append("… and \(errors.count - keptPerFile) more errors in this file") }
        return lines.joined(separator: "\n")
    }
}
