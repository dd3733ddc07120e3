/// The case number a petitioner quotes: `HY` + the registration day + `-` + a serial, e.g.
/// `HY20261123-000042`. The serial comes from a database sequence, so numbers are unique
/// across server instances without a shared counter row.
public enum TrackingNumber {
    public static func prefix(for day: LocalDate) -> String {
        "HY" + day.description.filter { $0 != "-" } + "-"
    }

    public static let minimumSerialDigits = 6

    /// Cheap shape check before any lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 11 + minimumSerialDigits, bytes.count <= 24,
              bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "Y"), bytes[10] == UInt8(ascii: "-")
        else { return false }
        let digits = bytes[2..<10] + bytes[11...]
        return digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
