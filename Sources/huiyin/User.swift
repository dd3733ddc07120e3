import ArgumentParser
import HuiyinStore

struct User: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff users.", subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff user and print her API token (shown once).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name (ASCII).") var username: String
        @Option(help: "Name shown to colleagues, e.g. 王丽.") var name: String
        @Option(help: "Code of the user's unit, e.g. hb-yc.") var unit: String
        @Option(help: "Role: operator, reception, handler, supervisor, leader, admin.") var role: String = "operator"

        func validate() throws {
            guard StaffRole(rawValue: role) != nil else {
                throw ValidationError("role must be one of " + StaffRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard !username.isEmpty, username.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ValidationError("username must be ASCII without spaces")
            }
        }

        func run() throws {
            _ = database.bootstrapLogging()
            let store = try database.makeStore(poolSize: 1)
            do {
                let (user, token) = try store.addUser(username: username, displayName: name, unitCode: unit,
                                                      role: StaffRole(rawValue: role)!)
                print("user \(user.username) (id \(user.id)) created")
                print("API token (shown once): \(token)")
            } catch let error as UnknownReference {
                throw ValidationError("\(error.message)")
            }
        }
    }
}
