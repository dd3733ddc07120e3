import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working calendar: official holidays and make-up working days.",
        subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a year's holiday notice from a text file.",
            discussion: """
                The file, typed from the State Council's notice (or a province's local days, with --region):
                  year 2027
                  off  2027-02-06..2027-02-13  春节
                  work 2027-02-14              春节调休上班
                `off` is a rest day or an inclusive range, `work` a make-up working day, `#` a comment.
                Importing a year again replaces it.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The notice file.") var file: String

        func run() throws {
            _ = database.bootstrapLogging()
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let notice: HolidayNotice
            switch HolidayNotice.parse(text) {
            case .success(let parsed): notice = parsed
            case .failure(let error): throw ValidationError("\(file):\n\(error)")
            }
            let days = try database.makeStore(poolSize: 1).importNotice(notice, region: database.region)
            print("imported \(notice.year)\(database.region.isEmpty ? "" : " (\(database.region))"): \(days) days "
                  + "(\(notice.restDays.count) rest, \(notice.workingDays.count) make-up working)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a year's notice as loaded.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The year.") var year: Int

        func run() throws {
            _ = database.bootstrapLogging()
            guard let notice = try database.makeStore(poolSize: 1).notice(year: year, region: database.region) else {
                throw ValidationError("no notice imported for \(year): dates in \(year) count weekends only")
            }
            print(notice.text, terminator: "")
        }
    }
}

struct Deadline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "When is it due? Prints the last day (YYYY-MM-DD) of a period, counted like the server does.",
        discussion: "LIMIT is 15d (calendar days), 5wd (working days) or 3m (months). The start day is not counted.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Start date, YYYY-MM-DD (e.g. the day a letter was received).") var from: String
    @Argument(help: "The limit: 15d, 5wd or 3m.") var limit: String

    func validate() throws {
        guard LocalDate(iso: from) != nil else { throw ValidationError("FROM must be a date written YYYY-MM-DD") }
        guard DeadlineLimit(limit) != nil else { throw ValidationError("LIMIT must look like 15d, 5wd or 3m") }
    }

    func run() throws {
        _ = database.bootstrapLogging()
        let calendar = try database.makeStore(poolSize: 1).workingCalendar(region: database.region)
        let due = DeadlineCounter(calendar: calendar).due(from: LocalDate(iso: from)!, limit: DeadlineLimit(limit)!)
        print(due.day)
        if !due.assumedYears.isEmpty {
            let years = due.assumedYears.map(String.init).joined(separator: ", ")
            FileHandle.standardError.write(Data("warning: no holiday notice imported for \(years); weekends only were counted there\n".utf8))
        }
    }
}
