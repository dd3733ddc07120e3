import HuiyinCore
import Postgres

extension LocalDate: PostgresEncodable, PostgresDecodable {
    public static var postgresTypeOID: UInt32 { 1082 }  // date
    public var postgresValue: PostgresBind.Value { .text(description) }

    public init(postgresText text: String) throws {
        guard let day = LocalDate(iso: text) else { throw PostgresError(kind: .decoding) }
        self = day
    }
}
