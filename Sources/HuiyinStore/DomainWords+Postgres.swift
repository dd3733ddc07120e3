import HuiyinCore
import Postgres

/// The domain's words bind and read as their raw value (text), so SQL never spells them by hand.
extension PostgresEncodable where Self: RawRepresentable, RawValue == String {
    public static var postgresTypeOID: UInt32 { 25 }  // text
    public var postgresValue: PostgresBind.Value { .text(rawValue) }
}

extension PostgresDecodable where Self: RawRepresentable, RawValue == String {
    public init(postgresText text: String) throws {
        guard let value = Self(rawValue: text) else { throw PostgresError(kind: .decoding) }
        self = value
    }
}

extension StaffRole: PostgresEncodable, PostgresDecodable {}
extension CaseEventKind: PostgresEncodable, PostgresDecodable {}
extension GrassrootsDueKind: PostgresEncodable, PostgresDecodable {}
