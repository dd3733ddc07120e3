import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incidents", abstract: "Police domestic-violence incidents (家暴警情).",
                                                    subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the police's export of domestic-violence incidents (CSV, UTF-8).",
            discussion: "Header: " + PoliceIncidentCSV.header.joined(separator: ",") + ". "
                + "Each incident is placed in the unit under --unit whose place names appear in its address (the deepest one); "
                + "it gets a phone follow-up due (rule incident_follow_up_within). Incident numbers already on record are left as "
                + "they are, so a re-import never duplicates. Bad rows and rows that cannot be placed are listed by line and not "
                + "imported; the rest are. Exit status 1 when any row was listed.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The code of the importing federation; incidents are placed in it or below.") var unit: String
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ValidationError("cannot read \(file) as UTF-8") }
            let started = Date()
            let store = try database.makeStore(poolSize: 1)
            guard let root = try store.unitID(code: unit) else { throw ValidationError("no unit with code \(unit)") }
            let parsed = PoliceIncidentCSV.parse(text, timeZone: store.timeZone, now: store.now())
            let parsedAt = Date()
            if let fileProblem = parsed.fileProblem { throw ValidationError("\(file): \(fileProblem); nothing was imported") }
            let report = try store.importIncidents(parsed.rows, parseProblems: parsed.problems, rootUnitID: root, fileName: file, by: nil)
            let lines = Set(report.problems.map(\.line)).count
            for problem in report.problems { print("\(file): \(problem)") }
            print(String(format: "incidents: %d imported, %d already on record, %d rows not imported (listed above); follow-up due %@; "
                         + "%.1f s (read and checked %.1f s, placed and stored %.1f s)",
                         report.imported, report.already, lines, report.dueOn.description, Date().timeIntervalSince(started),
                         parsedAt.timeIntervalSince(started), Date().timeIntervalSince(parsedAt)))
            if lines > 0 { throw ExitCode(1) }
        }
    }
}
