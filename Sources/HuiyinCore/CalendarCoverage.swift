/// Whether the calendar can be trusted for the dates supervisors are looking at now: the current
/// year must have its notice, and from 1 December so must the next (deadlines reach into it).
public enum CalendarCoverage {
    public static func warning(today: LocalDate, calendar: WorkingCalendar) -> String? {
        var missing: [Int] = []
        if !calendar.covers(today.year) { missing.append(today.year) }
        if today.month == 12, !calendar.covers(today.year + 1) { missing.append(today.year + 1) }
        guard !missing.isEmpty else { return nil }
        let years = missing.map(String.init).joined(separator: "、")
        return "\(years)年节假日安排尚未导入：期限仅按周末计算，请导入国务院办公厅节假日安排通知（huiyin calendar import）"
    }
}
