/// A feed's bytes read in pieces, for the XML reader, which keeps only a window of them: a file of a million lines
/// then takes the memory of one record, where the file mapped whole would be resident page by page as it is read
/// (392 MB for the 359 MB Inter Cars file of `make bench`, against 43 MB streamed).
package protocol ByteStream: AnyObject {
    /// Goes back to the first byte: a joined XML file may be read twice.
    func rewind() throws
    /// Fills `buffer` from where the last read ended; the count read, 0 at the end. Throws on a read error.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Where an XML reader takes its bytes: in one piece, or as a stream.
package enum XMLInput {
    case memory(UnsafeRawBufferPointer)
    case stream(ByteStream)
}
