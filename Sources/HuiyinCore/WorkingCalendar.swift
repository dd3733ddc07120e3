/// Which days are working days: weekdays, minus the official holidays, plus the make-up
/// working days (调休) of each year whose holiday notice has been imported. A year without a
/// notice counts weekends only, and says so (`covers`), so nobody relies on it silently.
public struct WorkingCalendar: Sendable, Equatable {
    public private(set) var restDays: Set<LocalDate> = []
    public private(set) var makeUpWorkingDays: Set<LocalDate> = []
    /// Years whose official notice is loaded.
    public private(set) var coveredYears: Set<Int> = []

    public init() {}

    /// Adds a year's notice, or (with `coversYear: false`) a province's local days on top of it:
    /// local days alone do not make a year count as covered.
    public mutating func apply(_ notice: HolidayNotice, coversYear: Bool = true) {
        if coversYear { coveredYears.insert(notice.year) }
        for day in notice.restDays {
            restDays.insert(day)
            makeUpWorkingDays.remove(day)
        }
        for day in notice.workingDays {
            makeUpWorkingDays.insert(day)
            restDays.remove(day)
        }
    }

    public func covers(_ year: Int) -> Bool { coveredYears.contains(year) }

    public func isWorkingDay(_ day: LocalDate) -> Bool {
        if makeUpWorkingDays.contains(day) { return true }
        if restDays.contains(day) { return false }
        return !day.isWeekend
    }

    /// The day itself if it is a working day, else the next one.
    public func workingDay(onOrAfter day: LocalDate) -> LocalDate {
        var candidate = day
        while !isWorkingDay(candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }

    /// Working days after `start` up to and including `end` (0 if `end` is not after `start`).
    public func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard end > start else { return 0 }
        return (start.dayNumber + 1...end.dayNumber).reduce(0) { $0 + (isWorkingDay(LocalDate(dayNumber: $1)) ? 1 : 0) }
    }
}

extension LocalDate {
    /// Monday = 1 … Sunday = 7 (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let offset = (dayNumber + 3) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }
}
