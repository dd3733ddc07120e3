/// Masking of personal numbers for lists and exports.
public enum PersonalDataMask {
    /// A stored phone number as a list shows it: 138****8000.
    public static func phone(_ digits: String?) -> String? {
        guard let digits, !digits.isEmpty else { return nil }
        return PhoneNumber(digits)?.masked ?? String(repeating: "*", count: max(0, digits.count - 2)) + digits.suffix(2)
    }

    /// An ID number as a list shows it: the first four and last four characters (4201**********123X).
    public static func idNumber(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count > 8 else { return String(repeating: "*", count: value.count) }
        return value.prefix(4) + String(repeating: "*", count: value.count - 8) + value.suffix(4)
    }

    /// A name on a masked row: its first character, the rest starred (王**).
    public static func name(_ value: String?) -> String? {
        guard let value, let first = value.first else { return nil }
        return String(first) + String(repeating: "*", count: max(1, value.count - 1))
    }

    /// An address on a list: the area (its first six characters), the house starred (海安市城东镇****).
    public static func address(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count > 6 else { return String(value.prefix(1)) + "****" }
        return value.prefix(6) + "****"
    }
}
