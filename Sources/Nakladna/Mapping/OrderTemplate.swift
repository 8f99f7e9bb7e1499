import Foundation
import Yams

/// The shape of an order placed with a supplier, written in its mapping file as the
/// body itself: keys and literal values as they are sent, `{field}` where a value goes, and `each_line:` where
/// the order's lines repeat. JSON bodies keep the template's key order; XML bodies are elements, the first key
/// being the root.
package struct OrderTemplate: @unchecked Sendable {
    package enum Format: String, Sendable {
        case json
        case xml
    }

    enum Node {
        case object([(String, Node)])
        case array([Node])
        /// The node repeated for every order line: array items in JSON, sibling elements in XML.
        indirect case eachLine(Node)
        case null
        case literal(String, quoted: Bool)
        /// Text with `{field}` pieces.
        case text([Piece])
        /// A whole value from one field, as a JSON number when `number` is set.
        case field(String, number: Bool)
    }

    enum Piece {
        case literal(String)
        case field(String)
    }

    package var format: Format
    /// XML: the root element's default namespace.
    package var namespace: String?
    var body: Node

    /// Fields of the whole order, and of each line; `credential.<key>` names one of the supplier's identifiers
    /// (never a secret: the configuration keeps those apart).
    static let orderFields: Set<String> = ["order_number", "order_date", "supplier_order_id"]
    static let lineFields: Set<String> = ["code", "quantity", "branch", "branch_id", "brand", "article", "name"]
}

/// A value for the template: text, or nothing (null in JSON, an empty element in XML).
package typealias OrderValues = [String: String?]

/// Why an order could not be rendered.
package struct OrderRenderError: Error, Sendable, CustomStringConvertible {
    package var description: String
}

extension OrderTemplate {
    /// The body for `order` and its `lines`, ready to send.
    package func render(order: OrderValues, lines: [OrderValues]) throws(OrderRenderError) -> String {
        var out = ""
        switch format {
        case .json:
            try json(body, order, nil, lines, &out)
        case .xml:
            guard case .object(let entries) = body, entries.count == 1 else {
                throw OrderRenderError(description: "an XML order has one root element")
            }
            out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            let (name, node) = entries[0]
            let ns = namespace.map { " xmlns=\"\(Report.escape($0))\"" } ?? ""
            out += "<\(name)\(ns)>"
            try xml(node, order, nil, lines, &out)
            out += "</\(name)>"
        }
        return out + "\n"
    }

    private func value(_ name: String, _ order: OrderValues, _ line: OrderValues?) -> String? {
        if let line, let v = line[name] { return v }
        return order[name] ?? nil
    }

    private func json(
        _ node: Node, _ order: OrderValues, _ line: OrderValues?, _ lines: [OrderValues], _ out: inout String
    ) throws(OrderRenderError) {
        switch node {
        case .object(let entries):
            out += "{"
            for (i, (key, child)) in entries.enumerated() {
                if i > 0 { out += "," }
                CanonicalJSON.append(key, to: &out)
                out += ":"
                try json(child, order, line, lines, &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, child) in items.enumerated() {
                if i > 0 { out += "," }
                try json(child, order, line, lines, &out)
            }
            out += "]"
        case .eachLine(let child):
            out += "["
            for (i, l) in lines.enumerated() {
                if i > 0 { out += "," }
                try json(child, order, l, lines, &out)
            }
            out += "]"
        case .null:
            out += "null"
        case .literal(let text, let quoted):
            if quoted { CanonicalJSON.append(text, to: &out) } else { out += text }
        case .text(let pieces):
            CanonicalJSON.append(try self.text(pieces, order, line), to: &out)
        case .field(let name, let number):
            guard let v = value(name, order, line) else {
                try Self.requireCredential(name)
                out += "null"
                return
            }
            if number {
                guard let n = try? Fixed(parsing: v) else {
                    throw OrderRenderError(description: "\(name) '\(v)' is not a number, and the order sends one")
                }
                out += n.description
            } else {
                CanonicalJSON.append(v, to: &out)
            }
        }
    }

    /// A credential the shape names must be in the configuration: an order is never sent without it.
    static func requireCredential(_ name: String) throws(OrderRenderError) {
        guard name.hasPrefix("credential.") else { return }
        throw OrderRenderError(
            description: "the order carries \(name.dropFirst(11)): add it to the supplier's credentials in the "
                + "configuration")
    }

    private func text(_ pieces: [Piece], _ order: OrderValues, _ line: OrderValues?) throws(OrderRenderError)
        -> String
    {
        var s = ""
        for piece in pieces {
            switch piece {
            case .literal(let t): s += t
            case .field(let name):
                guard let v = value(name, order, line) else {
                    try Self.requireCredential(name)
                    continue
                }
                s += v
            }
        }
        return s
    }

    private func xml(
        _ node: Node, _ order: OrderValues, _ line: OrderValues?, _ lines: [OrderValues], _ out: inout String
    ) throws(OrderRenderError) {
        switch node {
        case .object(let entries):
            for (name, child) in entries {
                out += "<\(name)>"
                try xml(child, order, line, lines, &out)
                out += "</\(name)>"
            }
        case .eachLine(let child):
            for l in lines { try xml(child, order, l, lines, &out) }
        case .array(let items):
            for child in items { try xml(child, order, line, lines, &out) }
        case .null:
            break
        case .literal(let text, _):
            out += Report.escape(text)
        case .text(let pieces):
            out += Report.escape(try text(pieces, order, line))
        case .field(let name, _):
            guard let v = value(name, order, line) else { return try Self.requireCredential(name) }
            out += Report.escape(v)
        }
    }
}

extension Context {
    /// `order: { format, namespace, body }`.
    func orderTemplate(_ node: Node) throws(MappingError) -> OrderTemplate {
        let m = try mapping(node, allowed: ["format", "namespace", "body"])
        guard let f = m["format"], let format = OrderTemplate.Format(rawValue: try string(f)) else {
            throw error(m["format"] ?? node, "an order needs 'format: json' or 'format: xml'")
        }
        guard let b = m["body"] else { throw error(node, "an order needs 'body', its shape") }
        let namespace = try m["namespace"].map { n throws(MappingError) in
            guard format == .xml else { throw error(n, "'namespace' is for XML orders") }
            return try string(n)
        }
        let body = try orderNode(b, inLine: false)
        if format == .xml {
            guard case .object(let entries) = body, entries.count == 1, case .object = entries[0].1 else {
                throw error(b, "an XML order's body is one root element with children")
            }
        }
        return OrderTemplate(format: format, namespace: namespace, body: body)
    }

    private func orderNode(_ node: Node, inLine: Bool) throws(MappingError) -> OrderTemplate.Node {
        switch node {
        case .mapping(let m):
            if m.count == 1, let only = m.first, only.key.string == "each_line" {
                guard !inLine else { throw error(only.key, "each_line inside each_line") }
                return .eachLine(try orderNode(only.value, inLine: true))
            }
            var entries: [(String, OrderTemplate.Node)] = []
            for (k, v) in m {
                guard let key = k.string else { throw error(k, "a key must be text") }
                guard key != "each_line" else { throw error(k, "each_line stands alone under its key") }
                entries.append((key, try orderNode(v, inLine: inLine)))
            }
            return .object(entries)
        case .sequence(let items):
            var nodes: [OrderTemplate.Node] = []
            for item in items { nodes.append(try orderNode(item, inLine: inLine)) }
            return .array(nodes)
        case .scalar(let s):
            if s.style == .plain {
                if node.null != nil { return .null }
                if node.bool != nil || node.int != nil || node.float != nil { return .literal(s.string, quoted: false) }
            }
            return try orderText(node, s.string, inLine: inLine)
        case .alias:
            throw error(node, "aliases are not used in order shapes")
        }
    }

    private func orderText(_ node: Node, _ text: String, inLine: Bool) throws(MappingError) -> OrderTemplate.Node {
        var pieces: [OrderTemplate.Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw error(node, "a '{' without its '}'") }
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            pieces.append(.field(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        var checked: [OrderTemplate.Piece] = []
        var single: (String, Bool)?
        for piece in pieces {
            guard case .field(let raw) = piece else {
                checked.append(piece)
                continue
            }
            var name = raw
            var number = false
            if raw.hasSuffix(":number") {
                name = String(raw.dropLast(7))
                number = true
            }
            let known =
                OrderTemplate.orderFields.contains(name) || (inLine && OrderTemplate.lineFields.contains(name))
                || (name.hasPrefix("credential.") && name.count > 11)
            guard known else {
                let fields = OrderTemplate.orderFields.union(inLine ? OrderTemplate.lineFields : []).sorted()
                throw error(
                    node,
                    "unknown field '{\(name)}' here (expected one of: \(fields.joined(separator: ", ")), "
                        + "credential.<key>\(inLine ? "" : "; line fields only inside each_line"))")
            }
            if pieces.count == 1 { single = (name, number) }
            if number && pieces.count != 1 { throw error(node, "':number' takes the whole value") }
            checked.append(.field(name))
        }
        if let (name, number) = single { return .field(name, number: number) }
        if checked.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            return .literal(text, quoted: true)
        }
        return .text(checked)
    }
}
