/// The migrations, embedded in the binary from the repository's top-level `sql/` folder (linked here
/// as `sql`), so a deployed `huiyin` migrates wherever it is started. SwiftPM names each embedded file
/// after its file name (first character replaced: `001_intake.sql` → `_01_intake_sql`), and its
/// statics cannot be listed, so each file has its line here; a test fails until a new one has.
public enum EmbeddedMigrations {
    /// `(name, SQL bytes)` for every file, in order: the name is the file's without `.sql`.
    public static let files: [(name: String, sql: [UInt8])] = [
        ("001_intake", PackageResources._01_intake_sql),
        ("002_calendar", PackageResources._02_calendar_sql),
        ("003_clocks", PackageResources._03_clocks_sql),
        ("004_leadership", PackageResources._04_leadership_sql),
        ("005_case_work", PackageResources._05_case_work_sql),
        ("006_reception", PackageResources._06_reception_sql),
        ("007_victims", PackageResources._07_victims_sql),
        ("008_exports_and_review_opinions", PackageResources._08_exports_and_review_opinions_sql),
        ("009_console_lines", PackageResources._09_console_lines_sql),
        ("010_monitoring", PackageResources._10_monitoring_sql),
    ]
}
