import Foundation

extension HTTPResult {
    /// The body decoded as `T`, snake_case members matching camelCase properties (`case_id` → `caseId`).
    /// Throws (failing the test) when the body is not JSON of that shape: a missing non-optional member,
    /// a member of another type.
    public func decode<T: Decodable>(_: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(body))
    }
}
