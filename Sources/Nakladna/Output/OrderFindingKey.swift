/// An order finding's place in the contract's order (`contract.md`, "Row order": by supplier, order number,
/// article), taken out of the finding once so that sorting reads the keys, not the findings.
///
/// Every night lists every open order line of the station's history, so its order findings grow with the years. A
/// comparison that read two findings would reach into tens of megabytes of them; a key holds the first 16 bytes of
/// each text as numbers, which tell almost every two texts apart without reading them (README, "Nights", session 17).
struct OrderFindingKey: Sendable {
    let supplier: TextHead
    let orderNumber: TextHead
    let article: TextHead
    /// The finding's index: ties keep the order the findings came in.
    let index: Int

    /// The indices of the order findings among `findings`, in the contract's order, sorted on every core.
    static func sortedOrderFindings(of findings: [Finding]) -> [Int] {
        let keys = findings.indices.compactMap { i in
            findings[i].status.isOrderFinding ? OrderFindingKey(findings[i], index: i) : nil
        }
        return Parallel.sorted(keys, minimum: 20_000) { a, b in a.precedes(b, in: findings) }.map(\.index)
    }

    init(_ finding: Finding, index: Int) {
        supplier = TextHead(finding.supplier)
        orderNumber = TextHead(finding.orderNumber)
        article = TextHead(finding.article)
        self.index = index
    }

    /// Whether this key's finding comes first; texts compare by their UTF-8 bytes (code point order), read whole from
    /// `findings` only where their first 16 bytes are equal and both are longer.
    func precedes(_ other: OrderFindingKey, in findings: [Finding]) -> Bool {
        var order =
            supplier.order(other.supplier) ?? utf8Order(findings[index].supplier, findings[other.index].supplier)
        if order != 0 { return order < 0 }
        order =
            orderNumber.order(other.orderNumber)
            ?? utf8Order(findings[index].orderNumber, findings[other.index].orderNumber)
        if order != 0 { return order < 0 }
        order = article.order(other.article) ?? utf8Order(findings[index].article, findings[other.index].article)
        if order != 0 { return order < 0 }
        return index < other.index
    }
}

/// A text's first 16 UTF-8 bytes as two big-endian numbers, padded with zeros, and its length in bytes: two heads
/// compare as the texts' bytes do, as far as the heads reach.
struct TextHead: Sendable {
    let high: UInt64
    let low: UInt64
    let count: Int

    init(_ text: String) {
        var (high, low): (UInt64, UInt64) = (0, 0)
        for (k, byte) in text.utf8.prefix(16).enumerated() {
            if k < 8 { high |= UInt64(byte) << (56 - 8 * k) } else { low |= UInt64(byte) << (56 - 8 * (k - 8)) }
        }
        (self.high, self.low, count) = (high, low, text.utf8.count)
    }

    /// Below, at or above zero as this text comes before, with or after `other` (as `utf8Order`); nil where the
    /// heads cannot tell: equal, and both texts longer than 16 bytes. Where one is no longer, equal heads mean it is
    /// the start of the other (padding zeros stand for the longer one's zero bytes), so the shorter comes first.
    func order(_ other: TextHead) -> Int? {
        if high != other.high { return high < other.high ? -1 : 1 }
        if low != other.low { return low < other.low ? -1 : 1 }
        if count <= 16 || other.count <= 16 { return count - other.count }
        return nil
    }
}
