/// An 18-character resident identity number (GB 11643): region, birth date, sequence, and an
/// ISO 7064 MOD 11-2 check character.
public struct ResidentIDNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let birthDate: LocalDate

    public init?(_ text: String) {
        let upper = text.uppercased().filter { $0 != " " }
        let chars = Array(upper.utf8)
        guard chars.count == 18, chars[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(chars[0..<17], weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 }
        let expected = Array("10X98765432".utf8)[sum % 11]
        guard chars[17] == expected,
              let birth = LocalDate(iso: "\(upper.dropFirst(6).prefix(4))-\(upper.dropFirst(10).prefix(2))-\(upper.dropFirst(12).prefix(2))")
        else { return nil }
        value = upper
        birthDate = birth
    }

    public var description: String { value }

    /// Under 18 on `day`.
    public func isMinor(on day: LocalDate) -> Bool {
        var age = day.year - birthDate.year
        if (day.month, day.day) < (birthDate.month, birthDate.day) { age -= 1 }
        return age < 18
    }
}
