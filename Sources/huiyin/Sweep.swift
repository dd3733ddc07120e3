import ArgumentParser
import HuiyinStore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one deadline sweep now (for cron; `huiyin serve` also sweeps every minute).")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        _ = database.bootstrapLogging()
        let report = try database.makeStore(poolSize: 1).sweep()
        print("sweep: \(report)")
    }
}
