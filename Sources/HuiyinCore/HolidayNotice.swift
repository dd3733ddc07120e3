/// One year's official holiday arrangement (国务院办公厅 节假日安排通知), or a province's local days,
/// in a plain text form a clerk can type from the notice:
///
///     # 国务院办公厅关于2026年部分节假日安排的通知
///     year 2026
///     off  2026-01-01..2026-01-03  元旦
///     work 2026-01-04              元旦调休上班
///
/// `off` lines are rest days (a single day or an inclusive `..` range), `work` lines are make-up
/// working days; anything after the dates is a free-text name; `#` starts a comment.
public struct HolidayNotice: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let days: [LocalDate]
        public let isRest: Bool
        public let name: String

        public init(days: [LocalDate], isRest: Bool, name: String) {
            self.days = days
            self.isRest = isRest
            self.name = name
        }
    }

    public let year: Int
    public let entries: [Entry]

    public init(year: Int, entries: [Entry]) {
        self.year = year
        self.entries = entries
    }

    public var restDays: [LocalDate] { entries.filter(\.isRest).flatMap(\.days) }
    public var workingDays: [LocalDate] { entries.filter { !$0.isRest }.flatMap(\.days) }

    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    /// Every wrong line of a notice, not just the first.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// Parses the text; every line that is wrong is reported (with its number), not just the first.
    public static func parse(_ text: String) -> Result<HolidayNotice, ParseError> {
        var year: Int?
        var entries: [Entry] = []
        var errors: [Problem] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{3000}" })
            guard let keyword = words.first else { continue }
            switch keyword {
            case "year":
                guard words.count == 2, let value = Int(words[1]), (1949...9999).contains(value) else {
                    errors.append(Problem(line: lineNumber, message: "write `year YYYY`")); continue
                }
                if year != nil { errors.append(Problem(line: lineNumber, message: "a second `year` line")) }
                year = value
            case "off", "work":
                guard words.count >= 2, let days = Self.days(String(words[1])) else {
                    errors.append(Problem(line: lineNumber, message: "write `\(keyword) YYYY-MM-DD` or `\(keyword) YYYY-MM-DD..YYYY-MM-DD`"))
                    continue
                }
                if let year, days.contains(where: { $0.year != year }) {
                    errors.append(Problem(line: lineNumber, message: "date outside \(year)")); continue
                }
                if keyword == "work", days.count != 1 {
                    errors.append(Problem(line: lineNumber, message: "a make-up working day is a single date")); continue
                }
                entries.append(Entry(days: days, isRest: keyword == "off", name: words.dropFirst(2).joined(separator: " ")))
            default:
                errors.append(Problem(line: lineNumber, message: "unknown keyword `\(keyword)` (use year, off, work)"))
            }
        }
        guard let year else { return .failure(ParseError(problems: errors + [Problem(line: 1, message: "missing `year YYYY` line")])) }
        let rest = Set(entries.filter(\.isRest).flatMap(\.days))
        for entry in entries where !entry.isRest && rest.contains(entry.days[0]) {
            errors.append(Problem(line: 0, message: "\(entry.days[0]) is both a rest day and a working day"))
        }
        if let misplaced = entries.flatMap(\.days).first(where: { $0.year != year }) {
            errors.append(Problem(line: 0, message: "\(misplaced) is outside \(year)"))
        }
        return errors.isEmpty ? .success(HolidayNotice(year: year, entries: entries)) : .failure(ParseError(problems: errors))
    }

    /// The notice as text in the same format (for `huiyin calendar show`).
    public var text: String {
        var lines = ["year \(year)"]
        for entry in entries {
            let days = entry.days.count == 1 ? entry.days[0].description : "\(entry.days.first!)..\(entry.days.last!)"
            lines.append([entry.isRest ? "off " : "work", days, entry.name].filter { !$0.isEmpty }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func days(_ text: String) -> [LocalDate]? {
        let parts = text.components(separatedBy: "..")
        guard parts.count <= 2, let first = LocalDate(iso: parts[0]) else { return nil }
        guard parts.count == 2 else { return [first] }
        guard let last = LocalDate(iso: parts[1]), last >= first, last.dayNumber - first.dayNumber < 31 else { return nil }
        return (first.dayNumber...last.dayNumber).map(LocalDate.init(dayNumber:))
    }
}
