/// A caller's phone number reduced to its digits, so that "+86 138-0013-8000" and
/// "13800138000" find the same petitioner.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    /// Accepts mainland mobiles (11 digits from 13–19), landlines with area code (0 + 9–11 digits)
    /// and local landlines without one (7–8 digits). Spaces, dashes, dots, brackets and a +86/0086
    /// country prefix are dropped.
    public init?(_ text: String) {
        var digits = String(text.filter { !" -.()（）\u{3000}".contains($0) })
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        else if digits.hasPrefix("0086") { digits.removeFirst(4) }
        else if digits.hasPrefix("86"), digits.count == 13 { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let first = digits.utf8.first!
        let isMobile = digits.count == 11 && first == UInt8(ascii: "1")
            && (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(digits.utf8.dropFirst().first!)
        let isLandline = first == UInt8(ascii: "0") && (10...12).contains(digits.count)
        let isLocal = first != UInt8(ascii: "0") && first != UInt8(ascii: "1") && (7...8).contains(digits.count)
        guard isMobile || isLandline || isLocal else { return nil }
        self.digits = digits
    }

    public var description: String { digits }

    /// For lists and exports: the first three and last four digits, the middle starred (138****8000).
    public var masked: String {
        let count = digits.count
        guard count > 7 else { return String(repeating: "*", count: count - 2) + digits.suffix(2) }
        return digits.prefix(3) + String(repeating: "*", count: count - 7) + digits.suffix(4)
    }
}
