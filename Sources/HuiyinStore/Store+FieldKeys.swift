import Crypto
import Foundation
import Postgres

/// A grid worker's field-page key pair (P-256, for ECDH), as JSON Web Key coordinates (base64url).
public struct FieldKey: Sendable, Equatable {
    public let x: String
    public let y: String
    /// The private scalar: handed only to her signed-in console session.
    public let d: String
}

extension Store {
    /// Her key pair, made on first use and then the same for good (two first uses at once agree: the
    /// second insert yields to the first and both read the stored row).
    public func fieldKey(userID: Int64) throws -> FieldKey {
        let fresh = P256.KeyAgreement.PrivateKey()
        let stored = try pool.withConnection { db in
            try db.execute("""
                INSERT INTO field_keys (user_id, private_key, created_at) VALUES (\(userID), \(fresh.rawRepresentation), \(now()))
                ON CONFLICT (user_id) DO NOTHING
                """)
            return try db.query("SELECT private_key FROM field_keys WHERE user_id = \(userID)").rows[0].decode("private_key", as: Data.self)
        }
        let key = try P256.KeyAgreement.PrivateKey(rawRepresentation: stored)
        // x963: 0x04 ‖ x ‖ y, 32 bytes each.
        let point = key.publicKey.x963Representation
        return FieldKey(x: Self.base64URL(point.dropFirst().prefix(32)), y: Self.base64URL(point.suffix(32)),
                        d: Self.base64URL(key.rawRepresentation))
    }

    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
