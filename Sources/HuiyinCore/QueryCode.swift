/// The secret a petitioner uses with her tracking number to see her case: shown once at intake,
/// stored only as a hash. Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L),
/// about 40 bits; lookups are throttled, so guessing is hopeless.
public enum QueryCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 8

    /// A fresh code, shown as `ABCD-EFGH`.
    public static func generate<R: RandomNumberGenerator>(using generator: inout R) -> String {
        let chars = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars.prefix(4)) + "-" + String(chars.suffix(4))
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// The form that is hashed: upper-case, separators and spaces removed. nil if it cannot be a code.
    public static func normalize(_ text: String) -> String? {
        let cleaned = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard cleaned.count == length, cleaned.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return cleaned
    }
}
