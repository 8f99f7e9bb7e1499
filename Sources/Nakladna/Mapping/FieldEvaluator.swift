import Foundation

/// Reads the fields of a record through their specs, collecting every problem as a `FeedError` that names the
/// file, the place and the field. Shared by the invoice reader and the price-feed reader.
class FieldEvaluator {
    let file: String
    var errors: [FeedError] = []
    /// JSON: the file's top-level members that fields read from outside their record (`$.meta.currency`).
    var fileRoot = JSONValue.object([])

    init(file: String) {
        self.file = file
    }

    final func fail(_ record: Record, _ field: String, _ reason: String, _ spec: FieldSpec? = nil) {
        errors.append(FeedError(file: file, place: record.place(of: spec), field: field, reason: reason))
    }

    final func children(_ path: FieldPath, _ record: Record) -> [Record] {
        switch (path, record) {
        case (.json(let p), .json(let v, let at)):
            return p.located(in: v, at: at).map { .json($0.value, path: $0.path) }
        case (.xml(let p), .xml(let node, let ctx, let at)):
            return p.nodes(in: node, context: ctx).map { .xml($0, xpath: ctx, at: at) }
        default:
            return []
        }
    }

    final func text(_ path: FieldPath, _ record: Record) -> String {
        texts(path, record).first ?? ""
    }

    final func texts(_ path: FieldPath, _ record: Record) -> [String] {
        switch (path, record) {
        case (.json(let p), .json(let v, _)):
            return p.values(in: p.absolute ? fileRoot : v).compactMap { $0.scalarText }
        case (.xml(let p), .xml(let node, let ctx, _)):
            return p.strings(in: node, context: ctx)
        case (.column(let name), .csv(let cells, let columns, _)):
            return columns[name].map { [cells[$0]] } ?? []
        default:
            return []
        }
    }

    /// All texts a field yields, after its regex and map, empty ones dropped.
    final func texts(_ spec: FieldSpec, _ record: Record) -> [String] {
        var values: [String]
        switch spec.source {
        case .constant(let c): values = [c]
        case .path(let p): values = texts(p, record)
        case .first(let alternatives):
            values = []
            for alternative in alternatives {
                let v = texts(alternative, record)
                if !v.isEmpty {
                    values = v
                    break
                }
            }
        case .concat(let parts):
            // A constant part is written as it is, spaces included; the others are trimmed like every text.
            let pieces = parts.compactMap { part in
                if case .constant(let c) = part.source { c } else { firstText(part, record) }
            }
            values = pieces.count == parts.count ? [pieces.joined()] : []
        }
        values = values.map(trimmed)
        if let split = spec.split { values = values.flatMap { Self.pieces($0, split) }.map(trimmed) }
        if let regex = spec.regex { values = values.compactMap { Self.match(regex, $0) } }
        values = values.filter { !$0.isEmpty }
        if values.isEmpty, let d = spec.defaultValue { values = [d] }
        return values
    }

    /// `text` cut at every match of `separator`.
    static func pieces(_ text: String, _ separator: NSRegularExpression) -> [String] {
        let whole = NSRange(text.startIndex..., in: text)
        var out: [String] = []
        var start = text.startIndex
        for match in separator.matches(in: text, range: whole) {
            guard let range = Range(match.range, in: text) else { continue }
            out.append(String(text[start..<range.lowerBound]))
            start = range.upperBound
        }
        out.append(String(text[start...]))
        return out
    }

    /// The first non-empty text of a plain path, without building the list of all of them: the hot path.
    final func firstText(_ spec: FieldSpec, _ record: Record) -> String? {
        var found: String?
        switch spec.source {
        case .constant, .concat:
            return texts(spec, record).first
        case .first(let alternatives):
            guard spec.regex == nil else { return texts(spec, record).first }
            for alternative in alternatives {
                found = firstText(alternative, record)
                if found != nil { break }
            }
        case .path(let path):
            if let regex = spec.regex {
                found = texts(path, record).lazy.compactMap { Self.match(regex, trimmed($0)) }.first { !$0.isEmpty }
                break
            }
            switch (path, record) {
            case (.json(let p), .json(let record, _)):
                let v = p.absolute ? fileRoot : record
                if let only = p.only(in: v) {
                    found = only?.scalarText.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
                } else {
                    found = p.values(in: v).lazy.compactMap { $0.scalarText.map(trimmed) }.first { !$0.isEmpty }
                }
            case (.xml(let p), .xml(let node, let ctx, _)):
                found = p.firstString(in: node, context: ctx)
            case (.column(let name), .csv(let cells, let columns, _)):
                found = columns[name].map { trimmed(cells[$0]) }.flatMap { $0.isEmpty ? nil : $0 }
            default:
                found = nil
            }
        }
        return found ?? spec.defaultValue
    }

    /// Capture group 1 of the first match (or the whole match), trimmed; nil when there is none.
    static func match(_ regex: NSRegularExpression, _ text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let m = regex.firstMatch(in: text, range: range) else { return nil }
        let r = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return Range(r, in: text).map { trimmed(String(text[$0])) }
    }

    /// The field's one text, mapped through its table; nil (and an error for an unmapped value) when absent.
    final func scalar(_ name: String, _ spec: FieldSpec, _ record: Record) -> String? {
        guard let text = firstText(spec, record) else { return nil }
        if let map = spec.map {
            guard let mapped = map[text] else {
                fail(record, name, "\"\(text)\" is not one of: \(map.keys.sorted().joined(separator: ", "))", spec)
                return nil
            }
            return mapped
        }
        return text
    }

    final func required(_ name: String, _ spec: FieldSpec?, _ record: Record) -> String? {
        guard let spec else { return nil }
        let errorCount = errors.count
        guard let v = scalar(name, spec, record) else {
            if errors.count == errorCount { fail(record, name, "missing", spec) }
            return nil
        }
        return v
    }

    final func optionalText(_ name: String, _ spec: FieldSpec?, _ record: Record) -> String {
        guard let spec else { return "" }
        return scalar(name, spec, record) ?? ""
    }

    final func parse(_ name: String, _ text: String, _ record: Record, _ spec: FieldSpec? = nil) -> Fixed? {
        do {
            if let form = spec?.number { return try form.parse(text) }
            return try Fixed(parsing: text)
        } catch {
            fail(record, name, error.description, spec)
            return nil
        }
    }

    final func number(_ name: String, _ spec: FieldSpec?, _ record: Record) -> Fixed? {
        guard let spec else { return nil }
        let errorCount = errors.count
        guard let text = scalar(name, spec, record) else {
            if errors.count == errorCount { fail(record, name, "missing", spec) }
            return nil
        }
        return parse(name, text, record, spec)
    }

    /// Whether the record meets the condition: the first text at its path is one of its values.
    final func meets(_ condition: Condition, _ record: Record) -> Bool {
        condition.values.contains(texts(condition.path, record).first ?? "")
    }

    /// A price's or amount's basis: the one the mapping states, or the one the record gives (`price_type`).
    final func basis(_ name: String, _ spec: FieldSpec, _ record: Record) -> PriceBasis? {
        guard let field = spec.basisField else { return spec.basis ?? .gross }
        let errorCount = errors.count
        guard let text = scalar("\(name) basis", field, record) else {
            if errors.count == errorCount { fail(record, "\(name) basis", "missing", field) }
            return nil
        }
        guard let basis = PriceBasis(rawValue: text) else {
            fail(record, "\(name) basis", "\"\(text)\" is neither net nor gross", field)
            return nil
        }
        return basis
    }

    final func optionalNumber(_ name: String, _ spec: FieldSpec?, _ record: Record) -> Fixed? {
        guard let spec, let text = scalar(name, spec, record) else { return nil }
        return parse(name, text, record, spec)
    }
}
