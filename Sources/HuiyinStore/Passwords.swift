import Crypto
import CryptoExtras
import Foundation

/// Staff passwords, hashed with scrypt (memory-hard) from swift-crypto. The stored form names its
/// parameters — `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64) — so the cost can be raised later
/// and old hashes still verify.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N. 15 with r = 8 takes 32 MiB and about a tenth of a second per login.
    public var logRounds: Int
    public var blockSize = 8
    public var parallelism = 1

    public init(logRounds: Int = 15) { self.logRounds = logRounds }

    public static let minimumLength = 10

    public func hash(_ password: String) throws -> String {
        let salt = Secrets.randomBytes(16)
        let key = try Self.derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return ["scrypt", String(logRounds), String(blockSize), String(parallelism), salt.base64EncodedString(),
                key.base64EncodedString()].joined(separator: "$")
    }

    /// True if `password` matches `stored`. A malformed or missing hash never matches.
    public static func verify(_ password: String, against stored: String?) -> Bool {
        let parts = (stored ?? dummy).split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logRounds = Int(parts[1]), (10...20).contains(logRounds),
              let blockSize = Int(parts[2]), (1...16).contains(blockSize), let parallelism = Int(parts[3]), (1...4).contains(parallelism),
              let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]),
              let key = try? derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        return Secrets.constantTimeEqual(key, expected) && stored != nil
    }

    /// Verified against when the user does not exist, so an unknown name costs as much as a wrong password.
    private static let dummy = (try? PasswordHasher().hash(Secrets.newToken())) ?? ""

    private static func derive(_ password: String, salt: Data, logRounds: Int, blockSize: Int, parallelism: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(from: Data(password.utf8), salt: salt, outputByteCount: 32,
                                           rounds: 1 << logRounds, blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Data($0) }
    }
}
