import ArgumentParser
import HuiyinCore
import HuiyinStore

struct User: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff users.", subcommands: [Add.self, Password.self])

    /// A password from standard input (one line), never from a flag or the environment.
    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), line.count >= PasswordHasher.minimumLength else {
            throw ValidationError("give a password of at least \(PasswordHasher.minimumLength) characters on standard input")
        }
        return line
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's console password, read from standard input; her open sessions end.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Login name.") var username: String

        func run() throws {
            _ = database.bootstrapLogging()
            let password = try User.readPassword()
            do {
                try database.makeStore(poolSize: 1).setPassword(username: username, password: password)
                print("password of \(username) set")
            } catch let error as UnknownReference { throw ValidationError(error.message) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff user and print her API token (shown once).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name (ASCII).") var username: String
        @Option(help: "Name shown to colleagues, e.g. 王丽.") var name: String
        @Option(help: "Code of the user's unit, e.g. hb-yc.") var unit: String
        @Option(help: "Role: operator, reception, handler, supervisor, leader, admin, grid_worker, information_officer.")
        var role: String = "operator"
        @Option(name: .customLong("grid"), help: "A further grid (code) of a grid worker or information officer; repeatable. Her unit is her first grid.")
        var grids: [String] = []
        @Flag(help: "Also set a console password, read from standard input.") var passwordStdin = false

        func validate() throws {
            guard StaffRole(rawValue: role) != nil else {
                throw ValidationError("role must be one of " + StaffRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !grids.isEmpty, StaffRole(rawValue: role)?.worksInGrids != true {
                throw ValidationError("--grid is for a grid_worker or an information_officer")
            }
            guard !username.isEmpty, username.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ValidationError("username must be ASCII without spaces")
            }
        }

        func run() throws {
            _ = database.bootstrapLogging()
            let password = passwordStdin ? try User.readPassword() : nil
            let store = try database.makeStore(poolSize: 1)
            do {
                let (user, token) = try store.addUser(username: username, displayName: name, unitCode: unit,
                                                      role: StaffRole(rawValue: role)!, furtherGridCodes: grids)
                if let password { try store.setPassword(username: user.username, password: password) }
                print("user \(user.username) (id \(user.id)) created")
                print("API token (shown once): \(token)")
            } catch let error as UnknownReference {
                throw ValidationError("\(error.message)")
            }
        }
    }
}
