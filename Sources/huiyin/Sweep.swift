import ArgumentParser
import HuiyinStore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one deadline sweep now (for cron; `huiyin serve` also sweeps every minute).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Sweep this many times in a row (the later ones show what a no-op sweep costs).")
    var times: Int = 1

    func run() throws {
        _ = database.bootstrapLogging()
        let store = try database.makeStore(poolSize: 1, asApplication: true)
        for _ in 0..<max(1, times) { print("sweep: \(try store.sweep())") }
    }
}
