import Foundation

/// The migrations built into the binary: the repository's top-level `sql/` folder as it was at build
/// time (the EmbedMigrations plugin lists it on every build), so a deployed `huiyin` migrates wherever
/// it is started.
public enum EmbeddedMigrations {
    /// `(name, SQL)` for every file, ordered by file name: the name is the file's without `.sql`.
    public static var files: [(name: String, sql: String)] {
        GeneratedMigrations.files.map { ($0.name, String(decoding: Data(base64Encoded: $0.base64) ?? Data(), as: UTF8.self)) }
    }
}
