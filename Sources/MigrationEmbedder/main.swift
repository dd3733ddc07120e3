// Build tool of the EmbedMigrations plugin: writes a Swift file holding every migration file it is given,
// so the binary carries the top-level `sql/` folder as it was when built.
// Usage: MigrationEmbedder OUTPUT.swift FILE.sql…
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: MigrationEmbedder OUTPUT.swift FILE.sql…\n".utf8))
    exit(2)
}
var text = """
    // Generated at build time from sql/ by MigrationEmbedder; not in git.
    enum GeneratedMigrations {
        /// `(NNN_name, the file's bytes in base64)`, ordered by file name.
        static let files: [(name: String, base64: String)] = [

    """
for path in arguments.dropFirst().sorted(by: { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }) {
    let url = URL(fileURLWithPath: path)
    let name = url.deletingPathExtension().lastPathComponent
    text += "        (\"\(name)\", \"\(try Data(contentsOf: url).base64EncodedString())\"),\n"
}
text += "    ]\n}\n"
try text.write(toFile: output, atomically: true, encoding: .utf8)
