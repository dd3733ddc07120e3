import Foundation

/// A time limit as the rules write it: `N 日` (calendar days), `N 个工作日` (working days) or
/// `N 个月` (months). Written `15d`, `5wd`, `3m` in configuration and on the command line.
public enum DeadlineLimit: Hashable, Sendable, CustomStringConvertible {
    case days(Int)
    case workingDays(Int)
    case months(Int)

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix(while: \.isNumber)
        guard let count = Int(digits), (1...3660).contains(count) else { return nil }
        switch trimmed.dropFirst(digits.count) {
        case "d": self = .days(count)
        case "wd": self = .workingDays(count)
        case "m": self = .months(count)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .days(let n): return "\(n)d"
        case .workingDays(let n): return "\(n)wd"
        case .months(let n): return "\(n)m"
        }
    }

    /// In Chinese, as the regulation writes it.
    public var label: String {
        switch self {
        case .days(let n): return "\(n)日"
        case .workingDays(let n): return "\(n)个工作日"
        case .months(let n): return "\(n)个月"
        }
    }

    /// The same kind of limit, one unit longer.
    public var oneMore: DeadlineLimit {
        switch self {
        case .days(let n): return .days(n + 1)
        case .workingDays(let n): return .workingDays(n + 1)
        case .months(let n): return .months(n + 1)
        }
    }
}

/// When a period ends, counted as the Civil Code has it (Art. 201–203): the start day is not
/// counted; `N 日` ends N days later, `N 个月` on the same day N months later (the month's last day
/// if it has none), and either rolls forward to the next working day if it ends on a rest day;
/// `N 个工作日` ends on the N-th working day after the start. The period ends at 24:00 of that day.
public struct DeadlineCounter: Sendable {
    public let calendar: WorkingCalendar

    public init(calendar: WorkingCalendar) {
        self.calendar = calendar
    }

    public struct Due: Sendable, Equatable {
        /// The last day of the period.
        public let day: LocalDate
        /// Years crossed by the count for which no holiday notice is loaded: weekends only were
        /// assumed there, and whoever relies on this date must be told.
        public let assumedYears: [Int]
    }

    public func due(from start: LocalDate, limit: DeadlineLimit) -> Due {
        let last: LocalDate
        switch limit {
        case .days(let n):
            last = calendar.workingDay(onOrAfter: start.adding(days: n))
        case .months(let n):
            last = calendar.workingDay(onOrAfter: start.adding(months: n))
        case .workingDays(let n):
            var day = start
            var counted = 0
            while counted < n {
                day = day.adding(days: 1)
                if calendar.isWorkingDay(day) { counted += 1 }
            }
            last = day
        }
        let assumed = (start.year...last.year).filter { !calendar.covers($0) }
        return Due(day: last, assumedYears: assumed)
    }

    /// 24:00 of `day` in `timeZone`: the instant the period runs out.
    public static func endOfDay(_ day: LocalDate, in timeZone: TimeZone) -> Date {
        let nextMidnightUTC = Double(day.adding(days: 1).dayNumber) * 86_400
        // The zone's offset at that moment (no DST in China, but the zone is configurable).
        let guess = Date(timeIntervalSince1970: nextMidnightUTC)
        return Date(timeIntervalSince1970: nextMidnightUTC - Double(timeZone.secondsFromGMT(for: guess)))
    }
}

extension LocalDate {
    /// The same day `months` months later; the last day of that month if it is shorter.
    public func adding(months: Int) -> LocalDate {
        let total = (year * 12 + (month - 1)) + months
        let y = total / 12, m = total % 12 + 1
        return LocalDate(year: y, month: m, day: min(day, LocalDate.daysIn(month: m, year: y)))!
    }
}
