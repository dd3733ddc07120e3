import Crypto
import Foundation

/// Secrets handed to people (API tokens, query codes) are stored only as SHA-256 digests.
public enum Secrets {
    public static func digest(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    public static func digest(_ bytes: [UInt8]) -> Data {
        Data(SHA256.hash(data: bytes))
    }

    /// A query code's digest, salted per case so equal codes of two cases differ.
    public static func queryCodeDigest(salt: Data, normalizedCode: String) -> Data {
        digest(Array(salt) + Array(normalizedCode.utf8))
    }

    public static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes.prefix(count))
    }

    /// A new API token: `hy_` + 32 random bytes, base64url.
    public static func newToken() -> String {
        let base64 = randomBytes(32).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "hy_" + base64
    }

    /// Equal-time comparison, so the time taken does not reveal how much of a guess was right.
    public static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
