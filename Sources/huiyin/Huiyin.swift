import ArgumentParser

@main
struct Huiyin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huiyin",
        abstract: "Intake server for the 12338 hotline and petition offices (回音: 事事有回音).",
        discussion: "Every option can also be set by the environment variable named in its help.",
        subcommands: [Serve.self, Migrate.self, Seed.self, UnitCommand.self, SubLineCommand.self, IncidentCommand.self,
                      MediationCommand.self, User.self, CalendarCommand.self, Deadline.self, Sweep.self,
                      FiguresCommand.self, WarningsCommand.self])
}
