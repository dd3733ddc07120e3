/// The six levels of the federation's organisation, top to bottom.
public enum UnitLevel: String, Sendable, CaseIterable, Comparable {
    case province, city, county, township, village, grid

    public var label: String {
        switch self {
        case .province: return "省级"
        case .city: return "市级"
        case .county: return "县级"
        case .township: return "乡镇（街道）"
        case .village: return "村（社区）"
        case .grid: return "网格"
        }
    }

    /// The level directly below; nil for a grid.
    public var child: UnitLevel? {
        let all = Self.allCases
        let next = all.firstIndex(of: self)! + 1
        return next < all.count ? all[next] : nil
    }

    /// Higher levels compare smaller: province < city < … < village < grid.
    public static func < (lhs: UnitLevel, rhs: UnitLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One line of the unit import file.
public struct UnitRow: Sendable, Equatable {
    public let code: String
    public let name: String
    public let level: UnitLevel
    /// nil only for a province.
    public let parentCode: String?
    /// A grid's profile, when the file has any of the profile columns (only grids carry one).
    public let profile: GridProfile?

    public init(code: String, name: String, level: UnitLevel, parentCode: String?, profile: GridProfile? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.profile = profile
    }
}

/// What a grid worker knows of her grid by heart ("5 compounds, 4,217 residents, 305 children, 6 elderly
/// living alone"). Each figure is unknown (nil) until given.
public struct GridProfile: Sendable, Equatable {
    public var households: Int?
    public var residents: Int?
    public var children: Int?
    public var elderlyAlone: Int?
    /// Notes on the women's groups, building by building (free text).
    public var womensGroups: String?

    public init(households: Int? = nil, residents: Int? = nil, children: Int? = nil, elderlyAlone: Int? = nil, womensGroups: String? = nil) {
        self.households = households
        self.residents = residents
        self.children = children
        self.elderlyAlone = elderlyAlone
        self.womensGroups = womensGroups
    }

    public var isEmpty: Bool { self == GridProfile() }
}

/// The unit tree import file of `huiyin unit import FILE`, as a spreadsheet saves it:
///
///     code,name,level,parent_code
///     4205,宜昌市妇联,city,42
///     420503,"伍家岗区妇联",county,4205
public enum UnitCSV {
    public static let header = ["code", "name", "level", "parent_code"]
    /// Optional columns after the four, in any order, each at most once: a grid's profile.
    public static let profileColumns = ["households", "residents", "children", "elderly_alone", "womens_groups"]
    public static let womensGroupsLimit = 2000
    public static let codeLimit = 64
    public static let nameLimit = 100

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line of the file where the record starts.
        public let line: Int
        public let message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "line \(line): \(message)" }
    }

    /// Every problem of the file, so a clerk fixes them in one pass.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let problems: [Problem]
        public init(problems: [Problem]) { self.problems = problems }
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// Header `code,name,level,parent_code`, optionally followed by profile columns (UTF-8, optional BOM, CRLF or LF, fields may be
    /// double-quoted with "" escapes, surrounding whitespace trimmed, empty lines ignored).
    /// Checks: header exactly those columns; code non-empty, unique, [A-Za-z0-9_-]{1,64}; name non-empty
    /// ≤ 100 characters; level one of the six; profile figures whole numbers ≥ 0 and only on a grid's row; parent_code empty only for a province; a parent named in
    /// the file must be exactly one level up. A parent not in the file is allowed (it may already exist
    /// in the database): the caller checks it. Rows are returned parents before children: by level,
    /// file order within a level, which is a topological order because parents are one level up.
    public static func parse(_ text: String) -> Result<[UnitRow], Failure> {
        let records = Self.records(text)
        let headerText = header.joined(separator: ",")
        guard let first = records.first else {
            return .failure(Failure(problems: [Problem(line: 1, message: "the file is empty; the first line must be `\(headerText)`")]))
        }
        if let problem = first.problem { return .failure(Failure(problems: [problem])) }
        let extra = Array(first.fields.dropFirst(header.count))
        guard Array(first.fields.prefix(header.count)) == header,
              extra.allSatisfy(profileColumns.contains), Set(extra).count == extra.count else {
            return .failure(Failure(problems: [Problem(line: first.line, message: "the header must be `\(headerText)`, "
                + "optionally followed by any of \(profileColumns.joined(separator: ", ")) once each")]))
        }
        let columnCount = first.fields.count
        let body = records.dropFirst()
        guard !body.isEmpty else {
            return .failure(Failure(problems: [Problem(line: first.line, message: "no units after the header")]))
        }

        var problems: [Problem] = []
        var rows: [(line: Int, row: UnitRow)] = []
        var firstSeen: [String: (line: Int, level: UnitLevel?)] = [:]
        var parentLinks: [(line: Int, level: UnitLevel, parentCode: String)] = []
        for record in body {
            let line = record.line
            func problem(_ message: String) { problems.append(Problem(line: line, message: message)) }
            if let syntax = record.problem { problems.append(syntax); continue }
            guard record.fields.count == columnCount else {
                problem("expected \(columnCount) fields (\(first.fields.joined(separator: ","))), found \(record.fields.count)")
                continue
            }
            let (code, name, levelText, parentText) = (record.fields[0], record.fields[1], record.fields[2], record.fields[3])
            let level = UnitLevel(rawValue: levelText)
            var valid = true
            if code.isEmpty {
                problem("code is empty"); valid = false
            } else if !isWellFormedCode(code) {
                problem("code `\(code)` must be 1–\(codeLimit) letters, digits, _ or -"); valid = false
            } else if let earlier = firstSeen[code] {
                problem("code `\(code)` is already on line \(earlier.line)"); valid = false
            } else {
                firstSeen[code] = (line, level)
            }
            if name.isEmpty {
                problem("name is empty"); valid = false
            } else if name.count > nameLimit {
                problem("name is longer than \(nameLimit) characters"); valid = false
            } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problem("name contains a line break or control character"); valid = false
            }
            if level == nil {
                problem("level `\(levelText)` must be one of \(UnitLevel.allCases.map(\.rawValue).joined(separator: ", "))"); valid = false
            }
            let parentCode: String? = parentText.isEmpty ? nil : parentText
            if let parentCode {
                if level == .province { problem("a province has no parent_code"); valid = false }
                if !isWellFormedCode(parentCode) {
                    problem("parent_code `\(parentCode)` must be 1–\(codeLimit) letters, digits, _ or -"); valid = false
                } else if parentCode == code {
                    problem("a unit cannot be its own parent"); valid = false
                } else if let level, level != .province {
                    parentLinks.append((line, level, parentCode))
                }
            } else if let level, level != .province {
                problem("parent_code is required for a \(level.rawValue) unit"); valid = false
            }
            var profile = GridProfile()
            for (column, value) in zip(extra, record.fields.dropFirst(header.count)) where !value.isEmpty {
                if column == "womens_groups" {
                    if value.count > womensGroupsLimit {
                        problem("womens_groups is longer than \(womensGroupsLimit) characters"); valid = false
                    } else {
                        profile.womensGroups = value
                    }
                    continue
                }
                guard value.allSatisfy(\.isASCII), let number = Int(value), number >= 0, number <= 10_000_000 else {
                    problem("\(column) `\(value)` must be a whole number from 0 to 10000000"); valid = false
                    continue
                }
                switch column {
                case "households": profile.households = number
                case "residents": profile.residents = number
                case "children": profile.children = number
                default: profile.elderlyAlone = number
                }
            }
            if !profile.isEmpty, let level, level != .grid {
                problem("only a grid has a profile (households, residents, children, elderly_alone, womens_groups)"); valid = false
            }
            if valid, let level {
                rows.append((line, UnitRow(code: code, name: name, level: level, parentCode: parentCode,
                                           profile: level == .grid && !extra.isEmpty ? profile : nil)))
            }
        }

        // Parents named in the file: checked once every row is read, since a child may come first.
        for link in parentLinks {
            guard let parent = firstSeen[link.parentCode], let parentLevel = parent.level,
                  parentLevel.child != link.level else { continue }
            let expected = UnitLevel.allCases.first { $0.child == link.level }!
            problems.append(Problem(line: link.line, message: "parent `\(link.parentCode)` (line \(parent.line)) is a "
                + "\(parentLevel.rawValue); a \(link.level.rawValue) unit's parent must be a \(expected.rawValue)"))
        }
        guard problems.isEmpty else {
            let byLine = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            return .failure(Failure(problems: byLine.map(\.element)))
        }
        let ordered = rows.sorted { ($0.row.level, $0.line) < ($1.row.level, $1.line) }
        return .success(ordered.map(\.row))
    }

    private static func isWellFormedCode(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return (1...codeLimit).contains(scalars.count) && scalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": return true
            default: return false
            }
        }
    }

    struct Record {
        let line: Int
        let fields: [String]
        /// Set when the record is not well-formed CSV; its fields are then unreliable.
        var problem: Problem?
    }

    /// Splits the text into records of trimmed fields (RFC 4180 quoting). Works on Unicode scalars,
    /// because Swift reads "\r\n" as one Character. A quoted field may span lines; the record keeps
    /// the line it starts on.
    static func records(_ text: String) -> [Record] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false        // this field started with a quote
        var inQuotes = false      // inside the quotes now
        var afterQuotes = false   // the closing quote was seen
        var problem: Problem?
        var line = 1
        var recordLine = 1

        func endField() {
            let value = String(field)
            fields.append(trim(value))
            field = String.UnicodeScalarView()
            quoted = false
            afterQuotes = false
        }
        func endRecord() {
            endField()
            let isEmptyLine = fields.count == 1 && fields[0].isEmpty && problem == nil
            if !isEmptyLine { records.append(Record(line: recordLine, fields: fields, problem: problem)) }
            fields = []
            problem = nil
        }

        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            scalars.formIndex(after: &index)
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append("\"")
                        scalars.formIndex(after: &index)
                    } else {
                        inQuotes = false
                        afterQuotes = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                endField()
            case "\r", "\n":
                if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" { scalars.formIndex(after: &index) }
                endRecord()
                line += 1
                recordLine = line
            case "\"" where !afterQuotes && String(field).allSatisfy(\.isWhitespace):
                field = String.UnicodeScalarView()
                quoted = true
                inQuotes = true
            case "\"":
                if problem == nil { problem = Problem(line: recordLine, message: "a quote inside a field: quote the whole field and double the quote (\"\")") }
            default:
                if afterQuotes && !scalar.properties.isWhitespace {
                    if problem == nil { problem = Problem(line: recordLine, message: "text after a closing quote") }
                } else if !afterQuotes {
                    field.append(scalar)
                }
            }
        }
        if inQuotes {
            problem = Problem(line: recordLine, message: "a quoted field is not closed")
        }
        if inQuotes || !fields.isEmpty || !field.isEmpty || quoted {
            endRecord()
        }
        return records
    }

    /// Spreadsheets pad cells; the ideographic space (U+3000) counts as padding too.
    private static func trim(_ text: String) -> String {
        // Most cells have no padding: skip the copy (a 100,000-row police export has 900,000 cells).
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
