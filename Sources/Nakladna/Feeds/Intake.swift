import Foundation

/// One inbox file to take in.
package struct IntakeJob: Sendable {
    package var supplier: String
    package var name: String
    package var path: String
}

/// What taking in one file gave: its bytes' hash and size, and its documents (with their content hashes and line
/// keys) or the errors that send it to quarantine.
package struct IntakeOutcome: Sendable {
    package var job: IntakeJob
    package var sha256: String
    package var size: Int
    package var documents: [ReceivedDocument]
    package var errors: [FeedError]
}

/// Takes in inbox files: each is copied into the archive by its hash, then read through its supplier's mapping.
/// Files are independent, so they are taken in on every core; the outcomes come back in the jobs' order.
package enum Intake {
    package static func run(
        _ jobs: [IntakeJob], archive: Archive, readers: [String: MappingReader]
    ) throws -> [IntakeOutcome] {
        try Parallel.map(jobs.count) { i in
            try take(jobs[i], archive: archive, reader: readers[jobs[i].supplier])
        }.map { try $0.get() }
    }

    static func take(_ job: IntakeJob, archive: Archive, reader: MappingReader?) throws -> IntakeOutcome {
        // Every received byte is in the archive before anything reads it.
        let (sha, size, archived) = try archive.receive(job.path)
        guard let reader else {
            return IntakeOutcome(job: job, sha256: sha, size: size, documents: [], errors: [])
        }
        let result = reader.read(path: archived, displayName: "\(job.supplier)/\(job.name)")
        // The order of receipt is the pipeline's to give; each document is serialised and hashed once, here.
        let documents = result.documents.enumerated().map { position, d in
            ReceivedDocument(
                supplier: job.supplier, document: d, receivedOrder: position, fileName: job.name,
                lineKeys: d.lines.map { LineKeys.key(of: $0, mapping: reader.mapping) })
        }
        return IntakeOutcome(job: job, sha256: sha, size: size, documents: documents, errors: result.errors)
    }
}
