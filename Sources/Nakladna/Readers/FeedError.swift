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
