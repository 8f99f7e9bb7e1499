import CLibXML2
import Foundation

/// A field path in an XML mapping, evaluated relative to a record's node.
///
/// Plain child steps (`cac:Price/cbc:PriceAmount`, `@currencyID`, `text()`) are walked directly over the tree,
/// which is the hot path on a million lines; anything else is compiled once as XPath 1.0 and evaluated with the
/// record as its context node. `xsi:nil="true"` reads as empty.
package final class XMLPath: @unchecked Sendable {
    package let source: String
    /// One plain step. A struct rather than an enum with array payloads: the sanitizers cannot see pointers kept
    /// in a multi-payload enum's spare bits, and reported the compiled paths of a loaded mapping as leaked.
    private struct Step {
        enum Kind { case child, attribute, text, this }
        var kind: Kind
        var ns: [CChar] = [0]
        var local: [CChar] = [0]

        static func child(ns: [CChar], local: [CChar]) -> Step { Step(kind: .child, ns: ns, local: local) }
        static func attribute(ns: [CChar], local: [CChar]) -> Step { Step(kind: .attribute, ns: ns, local: local) }
        static let text = Step(kind: .text)
        static let this = Step(kind: .this)
    }
    private let steps: [Step]?
    private let compiled: xmlXPathCompExprPtr?

    /// Compiles `source` against the declared prefixes; nil with a reason when it is not a valid path.
    package init(_ source: String, namespaces: [String: String]) throws(MappingPathError) {
        _ = LibXML.ready
        self.source = source
        if let simple = try XMLPath.simpleSteps(source, namespaces: namespaces) {
            steps = simple
            compiled = nil
        } else {
            steps = nil
            guard let c = xmlXPathCompile(source) else { throw MappingPathError(reason: "not a valid XPath") }
            compiled = c
            // Unknown prefixes only show at evaluation; check them now against the declared ones.
            for prefix in XMLPath.prefixes(in: source) where namespaces[prefix] == nil && prefix != "xml" {
                throw MappingPathError(reason: "prefix '\(prefix)' is not declared under namespaces")
            }
        }
    }

    deinit {
        if let compiled { xmlXPathFreeCompExpr(compiled) }
    }

    private static func prefixes(in source: String) -> Set<String> {
        var result = Set<String>()
        var current = ""
        var inQuote: Character?
        for c in source {
            if let q = inQuote {
                if c == q { inQuote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                inQuote = c
                current = ""
            } else if c == ":" {
                if !current.isEmpty { result.insert(current) }
                current = ""
            } else if c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." {
                current.append(c)
            } else {
                current = ""
            }
        }
        // `::` axes leave their names behind as prefixes.
        return result.subtracting([
            "child", "descendant", "parent", "ancestor", "following-sibling", "preceding-sibling", "following",
            "preceding", "attribute", "namespace", "self", "descendant-or-self", "ancestor-or-self",
        ])
    }

    private static func simpleSteps(_ source: String, namespaces: [String: String]) throws(MappingPathError)
        -> [Step]?
    {
        if source == "." { return [.this] }
        let parts = source.split(separator: "/", omittingEmptySubsequences: false)
        var steps: [Step] = []
        for (i, part) in parts.enumerated() {
            let isLast = i == parts.count - 1
            if part == "text()" && isLast && i > 0 {
                steps.append(.text)
                continue
            }
            var name = Substring(part)
            let attribute = name.first == "@"
            if attribute {
                guard isLast else { return nil }
                name = name.dropFirst()
            }
            guard !name.isEmpty,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == ":" })
            else { return nil }
            let pieces = name.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2, pieces.allSatisfy({ !$0.isEmpty }) else { return nil }
            var ns = ""
            if pieces.count == 2 {
                guard let uri = namespaces[String(pieces[0])] else {
                    throw MappingPathError(reason: "prefix '\(pieces[0])' is not declared under namespaces")
                }
                ns = uri
            }
            let local = Array(String(pieces[pieces.count - 1]).utf8CString)
            if attribute {
                steps.append(.attribute(ns: Array(ns.utf8CString), local: local))
            } else {
                steps.append(.child(ns: Array(ns.utf8CString), local: local))
            }
        }
        return steps
    }

    /// The text of every node the path selects, in document order (a string result counts as one).
    package func strings(in node: xmlNodePtr, context: XPathContext) -> [String] {
        if let steps { return walk(node, steps[...]) }
        guard let compiled, let ctx = context.context(for: node) else { return [] }
        ctx.pointee.node = node
        guard let result = xmlXPathCompiledEval(compiled, ctx) else { return [] }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            guard let set = result.pointee.nodesetval else { return [] }
            var out: [String] = []
            for i in 0..<Int(set.pointee.nodeNr) {
                if let n = set.pointee.nodeTab[i] { out.append(XMLPath.text(of: n)) }
            }
            return out
        case XPATH_STRING:
            return [result.pointee.stringval.map { String(cString: $0) } ?? ""]
        case XPATH_BOOLEAN:
            return [result.pointee.boolval != 0 ? "true" : "false"]
        case XPATH_NUMBER:
            let s = xmlXPathCastNumberToString(result.pointee.floatval)
            defer { free(s) }
            return [s.map { String(cString: $0) } ?? ""]
        default:
            return []
        }
    }

    /// The first non-empty, trimmed text the path selects; nil when none. Plain child paths walk the tree
    /// without building a list.
    package func firstString(in node: xmlNodePtr, context: XPathContext) -> String? {
        guard let steps, steps.count == 1, steps[0].kind == .child else {
            return strings(in: node, context: context).lazy.map(trimmed).first { !$0.isEmpty }
        }
        let (ns, local) = (steps[0].ns, steps[0].local)
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE, XMLPath.same(c.pointee.name, local),
                XMLPath.sameNamespace(c.pointee.ns, ns)
            {
                let text = trimmed(XMLPath.text(of: c))
                if !text.isEmpty { return text }
            }
            child = c.pointee.next
        }
        return nil
    }

    /// The element nodes the path selects, in document order: the records of nested lines.
    package func nodes(in node: xmlNodePtr, context: XPathContext) -> [xmlNodePtr] {
        if let steps { return walkNodes(node, steps[...]) }
        guard let compiled, let ctx = context.context(for: node) else { return [] }
        ctx.pointee.node = node
        guard let result = xmlXPathCompiledEval(compiled, ctx) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { set.pointee.nodeTab[$0] }
    }

    private func walkNodes(_ node: xmlNodePtr, _ steps: ArraySlice<Step>) -> [xmlNodePtr] {
        guard let step = steps.first else { return [node] }
        let (ns, local) = (step.ns, step.local)
        switch step.kind {
        case .this:
            return walkNodes(node, steps.dropFirst())
        case .child:
            var out: [xmlNodePtr] = []
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, XMLPath.same(c.pointee.name, local),
                    XMLPath.sameNamespace(c.pointee.ns, ns)
                {
                    out += walkNodes(c, steps.dropFirst())
                }
                child = c.pointee.next
            }
            return out
        case .text, .attribute:
            return []
        }
    }

    private func walk(_ node: xmlNodePtr, _ steps: ArraySlice<Step>) -> [String] {
        guard let step = steps.first else { return [XMLPath.text(of: node)] }
        let rest = steps.dropFirst()
        let (ns, local) = (step.ns, step.local)
        switch step.kind {
        case .this:
            return walk(node, rest)
        case .text:
            var out = ""
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content {
                    out += String(cString: content)
                }
                child = c.pointee.next
            }
            return [out]
        case .attribute:
            var attr = node.pointee.properties
            while let a = attr {
                if XMLPath.same(a.pointee.name, local), XMLPath.sameNamespace(a.pointee.ns, ns) {
                    return [XMLPath.text(of: UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self))]
                }
                attr = a.pointee.next
            }
            return []
        case .child:
            var out: [String] = []
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE, XMLPath.same(c.pointee.name, local),
                    XMLPath.sameNamespace(c.pointee.ns, ns)
                {
                    out += walk(c, rest)
                }
                child = c.pointee.next
            }
            return out
        }
    }

    @inline(__always) private static func same(_ a: UnsafePointer<xmlChar>?, _ b: [CChar]) -> Bool {
        guard let a else { return false }
        return a.withMemoryRebound(to: CChar.self, capacity: 1) { strcmp($0, b) == 0 }
    }

    @inline(__always) private static func sameNamespace(_ ns: xmlNsPtr?, _ uri: [CChar]) -> Bool {
        guard let ns, let href = ns.pointee.href else { return uri[0] == 0 }
        return href.withMemoryRebound(to: CChar.self, capacity: 1) { strcmp($0, uri) == 0 }
    }

    private static let xsiNamespace = Array("http://www.w3.org/2001/XMLSchema-instance".utf8CString)
    private static let nilName = Array("nil".utf8CString)

    /// A node's text; an element marked `xsi:nil="true"` is empty.
    package static func text(of node: xmlNodePtr) -> String {
        if node.pointee.type == XML_ELEMENT_NODE {
            var attr = node.pointee.properties
            while let a = attr {
                if same(a.pointee.name, nilName), sameNamespace(a.pointee.ns, xsiNamespace) { return "" }
                attr = a.pointee.next
            }
            // The common case, one text child, without an allocation through libxml2.
            if let only = node.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE,
                let content = only.pointee.content
            {
                return String(cString: content)
            }
            if node.pointee.children == nil { return "" }
        }
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { free(content) }
        return String(cString: content)
    }
}

/// Why a path in a mapping file is refused.
package struct MappingPathError: Error, Sendable {
    package var reason: String
}

/// One XPath context per document being read, with the mapping's namespaces registered.
package final class XPathContext {
    private var ctx: xmlXPathContextPtr?
    private var doc: xmlDocPtr?
    private let namespaces: [String: String]

    package init(namespaces: [String: String]) {
        self.namespaces = namespaces
    }

    deinit {
        if let ctx { xmlXPathFreeContext(ctx) }
    }

    func context(for node: xmlNodePtr) -> xmlXPathContextPtr? {
        let nodeDoc = node.pointee.doc
        if ctx == nil || nodeDoc != doc {
            if let ctx { xmlXPathFreeContext(ctx) }
            doc = nodeDoc
            ctx = xmlXPathNewContext(nodeDoc)
            if let ctx {
                for (prefix, uri) in namespaces { xmlXPathRegisterNs(ctx, prefix, uri) }
            }
        }
        return ctx
    }
}
