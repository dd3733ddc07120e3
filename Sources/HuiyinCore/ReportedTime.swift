import Foundation

/// A moment as a person types it (报案时间): `2026-11-29 22:30`, `2026-11-29T22:30`, `2026年11月29日 22:30`,
/// `2026/11/29 22:30`, optionally with seconds, read as local time in the office's zone; or a full ISO 8601
/// time with its own offset (`2026-11-29T22:30:00+08:00`, `…Z`) as given.
public enum ReportedTime {
    /// The form staff are told to use when a time is refused.
    public static let example = "2026-11-29 22:30"

    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        // Full-width digits and colon (a Chinese input method) read as their ASCII forms, any space as one.
        let scalars = text.unicodeScalars.map { s -> Unicode.Scalar in
            if s.properties.isWhitespace { return " " }
            if (0xFF10...0xFF19).contains(s.value) { return Unicode.Scalar(s.value - 0xFF10 + 0x30)! }
            if s == "：" { return ":" }
            return s
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        var rest = Substring(String(view).trimmingCharacters(in: .whitespaces))
        guard let year = number(&rest, digits: 4...4), separator(&rest, ["-", "/", "年"]),
              let month = number(&rest, digits: 1...2), separator(&rest, ["-", "/", "月"]),
              let day = number(&rest, digits: 1...2), let date = LocalDate(year: year, month: month, day: day) else { return nil }
        if rest.first == "日" || rest.first == "号" {
            rest.removeFirst()
        } else {
            guard let first = rest.first, first == "T" || first == " " else { return nil }
            rest.removeFirst()
        }
        while rest.first == " " { rest.removeFirst() }
        guard let hour = number(&rest, digits: 1...2), hour < 24, separator(&rest, [":", "时", "点"]),
              let minute = number(&rest, digits: 2...2), minute < 60 else { return nil }
        var second = 0
        if rest.first == ":" {
            rest.removeFirst()
            guard let s = number(&rest, digits: 2...2), s < 60 else { return nil }
            second = s
            if rest.first == "." { rest.removeFirst(); guard number(&rest, digits: 1...9) != nil else { return nil } }
        } else if rest.first == "分" {
            rest.removeFirst()
        }
        let local = Double(date.dayNumber) * 86_400 + Double(hour * 3600 + minute * 60 + second)
        if rest.isEmpty {
            // Local wall time: the zone's offset at about that moment (China keeps no summer time).
            let guess = Date(timeIntervalSince1970: local)
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: guess))))
            return Date(timeIntervalSince1970: local - Double(offset))
        }
        if rest == "Z" { return Date(timeIntervalSince1970: local) }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        rest.removeFirst()
        guard let offsetHours = number(&rest, digits: 2...2), offsetHours <= 14 else { return nil }
        _ = separator(&rest, [":"])
        guard let offsetMinutes = number(&rest, digits: 2...2), offsetMinutes < 60, rest.isEmpty else { return nil }
        let offset = (offsetHours * 3600 + offsetMinutes * 60) * (sign == "+" ? 1 : -1)
        return Date(timeIntervalSince1970: local - Double(offset))
    }

    /// `2026-11-29T22:30` in `zone`: the value of a datetime-local input.
    public static func localInputValue(_ instant: Date, in zone: TimeZone) -> String {
        let local = Int((instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))).rounded(.down))
        let day = LocalDate(dayNumber: Int((Double(local) / 86_400).rounded(.down)))
        let seconds = local - day.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(seconds / 3600)):\(two(seconds % 3600 / 60))"
    }

    /// ISO 8601 with the zone's offset (`2026-11-29T22:30:00+08:00`): how a parsed time is stored.
    public static func iso(_ instant: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: instant)
        let local = Int((instant.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let day = LocalDate(dayNumber: Int((Double(local) / 86_400).rounded(.down)))
        let seconds = local - day.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = offset < 0 ? "-" : "+"
        return "\(day)T\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }

    private static func number(_ text: inout Substring, digits: ClosedRange<Int>) -> Int? {
        let run = text.prefix { $0.isASCII && $0.isNumber }
        guard digits.contains(run.count), let value = Int(run) else { return nil }
        text.removeFirst(run.count)
        return value
    }

    private static func separator(_ text: inout Substring, _ allowed: Set<Character>) -> Bool {
        guard let first = text.first, allowed.contains(first) else { return false }
        text.removeFirst()
        return true
    }
}
