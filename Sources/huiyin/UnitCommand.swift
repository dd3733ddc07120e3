import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Manage the federation's unit tree.",
                                                    subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import units from a CSV file with the header code,name,level,parent_code (UTF-8).",
            discussion: "level is province, city, county, township, village or grid; parent_code is empty only for a province. "
                + "Optional columns after these give a grid's profile: households,residents,children,elderly_alone,womens_groups. "
                + "The whole file is checked first and imported in one transaction; known codes may be renamed, never moved.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            try CSVImport.run(file, parse: UnitCSV.parse) { rows in
                let report = try database.makeStore(poolSize: 1).importUnits(rows)
                return "units: \(report.created) created, \(report.renamed) renamed, \(report.unchanged) unchanged"
            }
        }
    }
}
