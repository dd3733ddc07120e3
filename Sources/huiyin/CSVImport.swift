import ArgumentParser
import Foundation
import HuiyinStore

/// The CLI's CSV imports (units, sub-lines): read the file as UTF-8, parse it whole, import it in one
/// transaction; every problem becomes a ValidationError naming the file, and nothing is imported.
enum CSVImport {
    static func run<Row, Failure: Error>(_ file: String, parse: (String) -> Result<[Row], Failure>,
                                         import write: ([Row]) throws -> String) throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(file) as UTF-8")
        }
        let rows: [Row]
        switch parse(text) {
        case .success(let parsed): rows = parsed
        case .failure(let failure): throw ValidationError("\(file):\n\(failure)")
        }
        do {
            print(try write(rows))
        } catch let error as UnknownReference {
            throw ValidationError("\(file): \(error.field): \(error.message); nothing was imported")
        }
    }
}
