import Foundation

/// One inbox file to take in.
package struct IntakeJob: Sendable {
    package var supplier: String
    package var name: String
    package var path: String

    /// How the report and the messages name it: `<supplier>/<name>`.
    package var display: String { "\(supplier)/\(name)" }
}

/// What taking in one file gave: its bytes' hash, size and inbox identity, and its documents (with their content
/// hashes and line keys) or the errors that send it to quarantine; or, for a file that was not read at all, why.
package struct IntakeOutcome: Sendable {
    package var job: IntakeJob
    package var received: Result<ReceivedFile, Inbox.Refusal>
    package var documents: [ReceivedDocument] = []
    package var errors: [FeedError] = []
}

/// Takes in inbox files: each is copied into the archive by its hash, then read through its supplier's mapping.
/// Files are independent, so they are taken in on every core; the outcomes come back in the jobs' order.
package enum Intake {
    package static func run(
        _ jobs: [IntakeJob], archive: Archive, readers: [String: MappingReader], limit: Int
    ) throws -> [IntakeOutcome] {
        try Parallel.map(jobs.count) { i in
            try take(jobs[i], archive: archive, reader: readers[jobs[i].supplier], limit: limit)
        }.map { try $0.get() }
    }

    static func take(_ job: IntakeJob, archive: Archive, reader: MappingReader?, limit: Int) throws -> IntakeOutcome {
        // Every received byte is in the archive before anything reads it.
        let received = try archive.receive(job.path, limit: limit)
        guard case .success(let file) = received, let reader else { return IntakeOutcome(job: job, received: received) }
        let result = reader.read(path: file.archived, displayName: job.display)
        // The order of receipt is the pipeline's to give; each document is serialised and hashed once, here.
        let documents = result.documents.enumerated().map { position, d in
            ReceivedDocument(
                supplier: job.supplier, document: d, receivedOrder: position, fileName: job.name,
                lineKeys: d.lines.map { LineKeys.key(of: $0, mapping: reader.mapping) })
        }
        return IntakeOutcome(job: job, received: received, documents: documents, errors: result.errors)
    }
}

/// An inbox file a run took in: read (no reason) or to be quarantined (with the reason). It leaves the inbox once
/// the run is committed.
package struct TakenFile: Sendable {
    package var job: IntakeJob
    package var file: ReceivedFile
    package var reason: String?
}
