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
    /// Her key pair, made on first use and then the same for good. The page asks on every sync, so the
    /// usual call is one read; two first uses at once agree (the second insert yields, both reread).
    public func fieldKey(userID: Int64) throws -> FieldKey {
        let stored = try pool.withConnection { db -> Data in
            let read = { try db.query("SELECT private_key FROM field_keys WHERE user_id = \(userID)").first?.decode("private_key", as: Data.self) }
            if let key = try read() { return key }
            try db.execute("""
                INSERT INTO field_keys (user_id, private_key, created_at)
                VALUES (\(userID), \(P256.KeyAgreement.PrivateKey().rawRepresentation), \(now()))
                ON CONFLICT (user_id) DO NOTHING
                """)
            return try read()!
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
