import Foundation
import PackagePlugin

/// Embeds the repository's top-level `sql/*.sql` in the target it is applied to (HuiyinMigrations).
/// The folder is listed on every build, so a new or changed migration file is in the next binary:
/// what is embedded is the folder, by construction.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "sql")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedMigrations.swift")
        return [.buildCommand(displayName: "Embedding \(files.count) migrations from sql/",
                              executable: try context.tool(named: "MigrationEmbedder").url,
                              arguments: [output.path] + files.map(\.path),
                              inputFiles: files, outputFiles: [output])]
    }
}
