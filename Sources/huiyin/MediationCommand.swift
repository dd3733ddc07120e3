import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

struct MediationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mediation", abstract: "Manage the registry of mediation bodies (家事调解地图).",
                                                    subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import mediation bodies from a CSV file (UTF-8) with the header "
                + MediationBodyCSV.header.joined(separator: ","),
            discussion: "kind is " + MediationBodyKind.allCases.map(\.rawValue).joined(separator: ", ")
                + "; unit_code names a unit of the tree; latitude and longitude are WGS-84 decimal degrees; phone, hours, "
                + "mediator_count and mediators (names separated by 、 or ;) may be empty. Every bad row is reported by its line "
                + "and field and nothing is imported; a known code is updated in place, so a re-import never duplicates.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            let started = Date()
            try CSVImport.run(file, parse: MediationBodyCSV.parse) { rows in
                do {
                    let report = try database.makeStore(poolSize: 1).importMediationBodies(rows)
                    return "mediation bodies: \(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged "
                        + "(\(rows.count) rows in \(String(format: "%.1f", Date().timeIntervalSince(started))) s)"
                } catch let failure as MediationImportFailure {
                    throw ValidationError("\(file):\n\(failure)\nnothing was imported")
                }
            }
        }
    }
}
