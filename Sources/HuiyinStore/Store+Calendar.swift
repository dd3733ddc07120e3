import Foundation
import HuiyinCore
import Postgres

extension Store {
    /// The national calendar with `region`'s local days on top.
    public func workingCalendar(region: String = "") throws -> WorkingCalendar {
        try pool.withConnection { db in
            let national = Set(try db.query("SELECT year FROM calendar_years WHERE region = ''").rows.map {
                try $0.decode("year", as: Int.self)
            })
            var notices: [Int: [(isRest: Bool, day: LocalDate, regional: Bool)]] = [:]
            for year in national { notices[year] = [] }
            for row in try db.query("""
                SELECT day, kind, region <> '' AS regional FROM calendar_days
                WHERE region = '' OR region = \(region) ORDER BY region <> '', day
                """).rows {
                let day = try row.decode("day", as: LocalDate.self)
                notices[day.year, default: []].append((try row.decode("kind", as: String.self) == "rest", day,
                                                       try row.decode("regional", as: Bool.self)))
            }
            var calendar = WorkingCalendar()
            for (year, days) in notices.sorted(by: { $0.key < $1.key }) {
                // National days first, then the region's, which override them; only the national
                // notice makes a year count as covered.
                for regional in [false, true] {
                    calendar.apply(HolidayNotice(year: year, entries: days.filter { $0.regional == regional }.map {
                        HolidayNotice.Entry(days: [$0.day], isRest: $0.isRest, name: "")
                    }), coversYear: !regional && national.contains(year))
                }
            }
            return calendar
        }
    }

    /// The calendar in force for this store's region (cached for a minute).
    public func currentCalendar() throws -> WorkingCalendar {
        try calendarCache.calendar(at: now()) { try workingCalendar(region: region) }
    }

    /// Loads a notice, replacing whatever that year had for that region. Returns the number of days.
    @discardableResult
    public func importNotice(_ notice: HolidayNotice, region: String = "") throws -> Int {
        defer { calendarCache.invalidate() }
        return try pool.withConnection { db in
            try db.transaction { tx in
                try tx.execute("DELETE FROM calendar_days WHERE region = \(region) AND day BETWEEN \(LocalDate(year: notice.year, month: 1, day: 1)!) AND \(LocalDate(year: notice.year, month: 12, day: 31)!)")
                for entry in notice.entries {
                    for day in entry.days {
                        try tx.execute("""
                            INSERT INTO calendar_days (day, region, kind, name)
                            VALUES (\(day), \(region), \(entry.isRest ? "rest" : "work"), \(entry.name))
                            """)
                    }
                }
                try tx.execute("""
                    INSERT INTO calendar_years (year, region, imported_at) VALUES (\(notice.year), \(region), \(now()))
                    ON CONFLICT (year, region) DO UPDATE SET imported_at = excluded.imported_at
                    """)
                return notice.entries.reduce(0) { $0 + $1.days.count }
            }
        }
    }

    /// Imports the notices shipped with Huiyin for years not loaded yet (run by `huiyin migrate`).
    @discardableResult
    public func importShippedNotices() throws -> [Int] {
        let loaded = try pool.withConnection { db in
            Set(try db.query("SELECT year FROM calendar_years WHERE region = ''").rows.map { try $0.decode("year", as: Int.self) })
        }
        var imported: [Int] = []
        for notice in OfficialNotices.all where !loaded.contains(notice.year) {
            try importNotice(notice)
            imported.append(notice.year)
        }
        return imported
    }

    /// A year's notice as stored (names kept), for `huiyin calendar show`.
    public func notice(year: Int, region: String = "") throws -> HolidayNotice? {
        try pool.withConnection { db in
            guard try !db.query("SELECT 1 AS one FROM calendar_years WHERE year = \(year) AND region = \(region)").isEmpty else {
                return nil
            }
            var entries: [HolidayNotice.Entry] = []
            for row in try db.query("""
                SELECT day, kind, name FROM calendar_days
                WHERE region = \(region) AND day BETWEEN \(LocalDate(year: year, month: 1, day: 1)!) AND \(LocalDate(year: year, month: 12, day: 31)!)
                ORDER BY day
                """).rows {
                let day: LocalDate = try row.decode("day")
                let isRest = try row.decode("kind", as: String.self) == "rest"
                let name: String = try row.decode("name")
                // Consecutive days of one holiday print as one range, as the notice writes them.
                if let last = entries.last, last.isRest == isRest, last.name == name, last.days.last!.adding(days: 1) == day {
                    entries[entries.count - 1] = HolidayNotice.Entry(days: last.days + [day], isRest: isRest, name: name)
                } else {
                    entries.append(HolidayNotice.Entry(days: [day], isRest: isRest, name: name))
                }
            }
            return HolidayNotice(year: year, entries: entries)
        }
    }
}
