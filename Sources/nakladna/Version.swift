/// The release, as `nakladna --version` prints it. Raised with each release that changes what a station sees: the
/// command line, the files, or the database's schema.
enum NakladnaVersion {
    static let current = "0.5.0"
}
