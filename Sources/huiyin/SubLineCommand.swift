import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

struct SubLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sub-line", abstract: "Manage the 12338 hotline's sub-lines.",
                                                    subcommands: [Import.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import sub-lines from a CSV file with the header code,name,kind,unit_code,referral (UTF-8).",
            discussion: "kind is main, professional or regional; a regional line names its county unit's code (the new "
                + "case's default unit), a professional line the referral it suggests (lawyer, psychologist, mediator or police). "
                + "The whole file is checked first and imported in one transaction; known codes are updated, none removed.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            try CSVImport.run(file, parse: SubLineCSV.parse) { rows in
                let report = try database.makeStore(poolSize: 1).importSubLines(rows)
                return "sub-lines: \(report.created) created, \(report.changed) changed, \(report.unchanged) unchanged"
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configured sub-lines as CSV (the import format).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            _ = database.bootstrapLogging()
            let lines = try database.makeStore(poolSize: 1).subLines()
            print(SubLineCSV.header.joined(separator: ","))
            for line in lines {
                print([line.code, line.name, line.kind.rawValue, line.unitCode ?? "", line.referral ?? ""].joined(separator: ","))
            }
        }
    }
}
