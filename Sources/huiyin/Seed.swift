import ArgumentParser
import HuiyinDemo
import HuiyinStore

struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load demo data: a unit tree down to grids, staff of every role, cases on all four channels, and key households.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "How many cases to create.") var cases: Int = 300
    @Option(help: "Days of history: contacts spread over them, worked day by day and swept every evening, so the dashboard shows a working office; 0 records everything today.")
    var historyDays: Int = 90
    @Flag(help: "Do nothing if the database already has units.") var ifEmpty = false

    func validate() throws {
        guard cases >= 0 else { throw ValidationError("cases must not be negative") }
        guard (0...366).contains(historyDays) else { throw ValidationError("history days must be 0–366") }
    }

    func run() throws {
        let logger = database.bootstrapLogging()
        let store = try database.makeStore(poolSize: 2)
        if ifEmpty, try !DemoSeed.isEmpty(store: store) {
            logger.notice("seed skipped: database already has data")
            return
        }
        let accounts = try DemoSeed.run(store: store, cases: cases, historyDays: historyDays)
        print("Demo staff (console password for all: \(DemoSeed.password); API tokens are shown once):")
        for account in accounts {
            print("  \(account.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(account.username.padding(toLength: 16, withPad: " ", startingAt: 0)) \(account.displayName)  \(account.unitName)")
            print("      token: \(account.token)")
        }
    }
}
