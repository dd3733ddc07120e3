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
            discussion: "level is province, city, county, township or village; parent_code is empty only for a province. "
                + "The whole file is checked first and imported in one transaction; known codes may be renamed, never moved.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file) as UTF-8")
            }
            let rows: [UnitRow]
            switch UnitCSV.parse(text) {
            case .success(let parsed): rows = parsed
            case .failure(let failure): throw ValidationError("\(file):\n\(failure)")
            }
            do {
                let report = try database.makeStore(poolSize: 1).importUnits(rows)
                print("units: \(report.created) created, \(report.renamed) renamed, \(report.unchanged) unchanged")
            } catch let error as UnknownReference {
                throw ValidationError("\(file): \(error.field): \(error.message); nothing was imported")
            }
        }
    }
}
