import CLibXML2
import Foundation

/// A qualified element name: namespace URI (empty for none) and local name.
package struct QName: Sendable, Hashable {
    package var namespace: String
    package var local: String

    package init(namespace: String, local: String) {
        self.namespace = namespace
        self.local = local
    }
}

/// Where records stand in a file: absolute element paths, `/Root/child`; one of several alternatives.
package struct RecordPattern: Sendable, Hashable {
    package var steps: [QName]

    package init(steps: [QName]) {
        self.steps = steps
    }
}

/// One process-wide set-up of libxml2, done before the first reader.
enum LibXML {
    static let ready: Bool = {
        xmlInitParser()
        // Errors are collected per reader; nothing is printed behind the caller's back.
        xmlSetStructuredErrorFunc(nil) { _, _ in }
        return true
    }()
}

/// Streams the records of an XML file with `xmlTextReader`, one expanded subtree at a time, so memory stays flat
/// whatever the size of the file.
///
/// No network, no DTD loading, no external entities; a document type declaration or an entity reference is
/// refused outright, which also stops "billion laughs" before any expansion. The encoding is the one the file
/// declares (windows-1251 included, through iconv); bytes that do not fit it are an error with their place.
package final class XMLRecordReader {
    package let fileName: String
    private let reader: xmlTextReaderPtr
    private var firstError: FeedError?
    private let patterns: [[(ns: [CChar], local: [CChar])]]
    /// Per pattern, its elements' local names, for the places of errors.
    private let names: [[String]]
    /// Per pattern, how many of its records the current parent element has held so far.
    private var positions: [Int]
    /// Per pattern, whether the elements above its record were met (the record itself, for a root record): a file
    /// without them holds no documents at all, which is not the same as an empty day (`<VFPDataSet/>`).
    package private(set) var containersFound: [Bool]

    /// Opens `path`; `displayName` is what errors call the file.
    package convenience init(path: String, displayName: String, patterns: [RecordPattern]) throws(FeedError) {
        _ = LibXML.ready
        guard let r = xmlReaderForFile(path, nil, XMLRecordReader.options) else {
            throw FeedError(file: displayName, place: "", reason: "cannot open the file")
        }
        self.init(r, displayName: displayName, patterns: patterns)
    }

    /// Reads `input`: bytes in place (they must stay valid, unchanged, while the reader lives), or a stream from its
    /// start.
    package convenience init(_ input: XMLInput, displayName: String, patterns: [RecordPattern]) throws(FeedError) {
        _ = LibXML.ready
        let made: xmlTextReaderPtr?
        switch input {
        case .memory(let bytes):
            // libxml2 takes the size as an Int32.
            guard bytes.count < Int32.max else {
                throw FeedError(
                    file: displayName, place: "", reason: "larger than 2 GB, more than the XML reader takes")
            }
            let empty: StaticString = ""
            let start = (bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)).assumingMemoryBound(to: CChar.self)
            made = xmlReaderForMemory(start, Int32(bytes.count), nil, nil, XMLRecordReader.options)
        case .stream(let stream):
            do {
                try stream.rewind()
            } catch {
                throw FeedError(file: displayName, place: "", reason: "cannot read the file")
            }
            made = xmlReaderForIO(
                XMLRecordReader.readStream, nil, Unmanaged.passUnretained(stream as AnyObject).toOpaque(), nil, nil,
                XMLRecordReader.options)
        }
        guard let r = made else { throw FeedError(file: displayName, place: "", reason: "cannot read the file") }
        self.init(r, displayName: displayName, patterns: patterns)
        if case .stream(let stream) = input { self.stream = stream }
    }

    /// The stream being read, kept alive while libxml2 calls `readStream` with it.
    private var stream: ByteStream?

    /// libxml2's read callback: the next bytes of the stream, 0 at its end, -1 for a read error.
    private static let readStream: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let object = Unmanaged<AnyObject>.fromOpaque(context).takeUnretainedValue()
        guard let stream = object as? ByteStream else { return -1 }
        let target = UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))
        return (try? stream.read(into: target)).map { Int32($0) } ?? -1
    }

    /// No network; CDATA as text; the tree kept compact.
    private static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)

    private init(_ r: xmlTextReaderPtr, displayName: String, patterns: [RecordPattern]) {
        fileName = displayName
        self.patterns = patterns.map { p in
            p.steps.map { (Array($0.namespace.utf8CString), Array($0.local.utf8CString)) }
        }
        containersFound = Array(repeating: false, count: patterns.count)
        names = patterns.map { $0.steps.map(\.local) }
        positions = Array(repeating: 0, count: patterns.count)
        reader = r
        let context = Unmanaged.passUnretained(self).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(r, XMLRecordReader.onError, context)
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    private static let onError: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let me = Unmanaged<XMLRecordReader>.fromOpaque(context).takeUnretainedValue()
        guard me.firstError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
        message = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        while message.last?.isWhitespace == true { message.removeLast() }
        me.firstError = FeedError(
            file: me.fileName, place: "\(error.pointee.line):\(error.pointee.int2)", reason: message)
    }

    /// The reader's position, `line:column`.
    private var place: String {
        "\(xmlTextReaderGetParserLineNumber(reader)):\(xmlTextReaderGetParserColumnNumber(reader))"
    }

    private func failure(_ fallback: String) -> FeedError {
        firstError ?? FeedError(file: fileName, place: place, reason: fallback)
    }

    /// Calls `body` with every record, in file order; `index` is the pattern that matched, `place` where the
    /// record stands. The node is valid only during the call. Throws at the first malformed byte.
    package func forEachRecord(
        _ body: (_ index: Int, _ node: xmlNodePtr, _ place: XMLPlace) throws -> Void
    ) throws {
        var stack: [UnsafePointer<xmlChar>?] = []
        var nsStack: [UnsafePointer<xmlChar>?] = []
        var status = xmlTextReaderRead(reader)
        while status == 1 {
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                throw FeedError(
                    file: fileName, place: place,
                    reason: "a document type declaration is not accepted (no DTDs, no entities)")
            }
            if type == Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue) {
                throw FeedError(file: fileName, place: place, reason: "an entity reference is not accepted")
            }
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) else {
                status = xmlTextReaderRead(reader)
                continue
            }
            let depth = Int(xmlTextReaderDepth(reader))
            if stack.count > depth {
                stack.removeSubrange(depth...)
                nsStack.removeSubrange(depth...)
            }
            stack.append(xmlTextReaderConstLocalName(reader))
            nsStack.append(xmlTextReaderConstNamespaceUri(reader))
            // A new element above a pattern's records is a new parent for them: they count from 1 again.
            for i in patterns.indices where patterns[i].count > stack.count { positions[i] = 0 }
            for i in patterns.indices where !containersFound[i] && patterns[i].count == stack.count + 1 {
                if matches(patterns[i].dropLast(), stack, nsStack) { containersFound[i] = true }
            }
            if let index = match(stack, nsStack) {
                containersFound[index] = true
                guard let node = xmlTextReaderExpand(reader) else { throw failure("the element is not complete") }
                if let error = firstError { throw error }
                positions[index] += 1
                try body(index, node, XMLPlace(record: node, names: names[index], position: positions[index]))
                stack.removeLast()
                nsStack.removeLast()
                status = xmlTextReaderNext(reader)
                continue
            }
            if xmlTextReaderIsEmptyElement(reader) == 1 {
                stack.removeLast()
                nsStack.removeLast()
            }
            status = xmlTextReaderRead(reader)
        }
        if status < 0 || firstError != nil { throw failure("malformed XML") }
    }

    private func match(_ names: [UnsafePointer<xmlChar>?], _ nss: [UnsafePointer<xmlChar>?]) -> Int? {
        for (i, pattern) in patterns.enumerated() where pattern.count == names.count {
            if matches(pattern[...], names, nss) { return i }
        }
        return nil
    }

    /// Whether the open elements are exactly `pattern`'s steps, by local name and namespace.
    private func matches(
        _ pattern: ArraySlice<(ns: [CChar], local: [CChar])>, _ names: [UnsafePointer<xmlChar>?],
        _ nss: [UnsafePointer<xmlChar>?]
    ) -> Bool {
        guard pattern.count == names.count else { return false }
        for (step, (name, ns)) in zip(pattern, zip(names, nss)) {
            guard let name else { return false }
            let same = name.withMemoryRebound(to: CChar.self, capacity: 1) { strcmp($0, step.local) == 0 }
            guard same else { return false }
            if let ns {
                let sameNs = ns.withMemoryRebound(to: CChar.self, capacity: 1) { strcmp($0, step.ns) == 0 }
                guard sameNs else { return false }
            } else if step.ns[0] != 0 {
                return false
            }
        }
        return true
    }

    /// The document the expanded records belong to, for XPath contexts.
    package var currentDocument: xmlDocPtr? { xmlTextReaderCurrentDoc(reader) }
}

/// Where an XML record stands, for errors: `/Export/Doc[2]`, and below it `/Export/Doc[2]/Row[3]`. Built into
/// text only when an error names it. Elements are named by their local names; every element below the root has its
/// position among its siblings of the same name.
package struct XMLPlace {
    /// The record's element.
    let record: xmlNodePtr
    /// The local names from the root down to the record.
    let names: [String]
    /// The record's position among the records of its parent.
    let position: Int

    /// The XPath of the record, or of `node` inside it.
    func path(of node: xmlNodePtr? = nil) -> String {
        var out = "/" + names.joined(separator: "/")
        if names.count > 1 { out += "[\(position)]" }
        var below: [String] = []
        var current = node
        while let n = current, n != record {
            guard n.pointee.type == XML_ELEMENT_NODE else {
                current = n.pointee.parent
                continue
            }
            var index = 1
            var sibling = n.pointee.prev
            while let s = sibling {
                if s.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(s.pointee.name, n.pointee.name) == 1 { index += 1 }
                sibling = s.pointee.prev
            }
            below.append("\(String(cString: n.pointee.name))[\(index)]")
            current = n.pointee.parent
        }
        for step in below.reversed() { out += "/" + step }
        return out
    }
}
