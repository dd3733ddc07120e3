import Foundation

/// A domestic-violence incident the police handled (家暴警情), as the federation receives it to phone
/// the victim back. Every one is domestic violence, so every one is sealed.
public struct PoliceIncident: Sendable, Equatable {
    public var incidentNo: String
    public var occurredAt: Date
    /// The police station (派出所) that handled it.
    public var station: String
    public var address: String
    public var victimName: String
    /// Digits only.
    public var victimPhone: String?
    public var respondentName: String?
    /// What the police did (处置情况), as they wrote it.
    public var handling: String?
    /// A written warning (家庭暴力告诫书) was issued to the respondent.
    public var warningLetter: Bool

    public init(incidentNo: String, occurredAt: Date, station: String, address: String, victimName: String,
                victimPhone: String? = nil, respondentName: String? = nil, handling: String? = nil, warningLetter: Bool) {
        self.incidentNo = incidentNo
        self.occurredAt = occurredAt
        self.station = station
        self.address = address
        self.victimName = victimName
        self.victimPhone = victimPhone
        self.respondentName = respondentName
        self.handling = handling
        self.warningLetter = warningLetter
    }

    /// The petition a follow-up files for her: a domestic-violence case at the incident's unit, received
    /// on the day of the call, she the petitioner; it then runs the regulation's clocks like any case.
    public static func followUpIntake(victimName: String, phone: String?, summary: String, unitID: Int64, receivedOn: LocalDate) -> Intake {
        Intake(target: .newCase(category: .domesticViolence, unitID: unitID),
               petitioner: .new(Petitioner(name: victimName, phone: phone.flatMap(PhoneNumber.init), isMinor: false)),
               victim: nil, details: .visit(window: followUpWindow, visitors: 1), summary: summary, receivedOn: receivedOn)
    }

    /// The "window" a case opened from an incident's follow-up was received at.
    public static let followUpWindow = "家暴警情回访"

    public static let numberLimit = 64
    public static let nameLimit = 50
    public static let textLimit = 200
    public static let handlingLimit = 2000
}

/// An incident as the API or a spreadsheet row gives it, before validation. Values are text; the
/// field names are the caller's (the API's snake_case keys or the spreadsheet's column headers).
public struct PoliceIncidentDraft: Sendable {
    public var incidentNo: String?
    public var occurredAt: String?
    public var station: String?
    public var address: String?
    public var victimName: String?
    public var victimPhone: String?
    public var respondentName: String?
    public var handling: String?
    public var warningLetter: String?

    public init(incidentNo: String? = nil, occurredAt: String? = nil, station: String? = nil, address: String? = nil,
                victimName: String? = nil, victimPhone: String? = nil, respondentName: String? = nil, handling: String? = nil,
                warningLetter: String? = nil) {
        self.incidentNo = incidentNo
        self.occurredAt = occurredAt
        self.station = station
        self.address = address
        self.victimName = victimName
        self.victimPhone = victimPhone
        self.respondentName = respondentName
        self.handling = handling
        self.warningLetter = warningLetter
    }

    /// The name each field is reported under.
    public struct FieldNames: Sendable {
        public let incidentNo, occurredAt, station, address, victimName, victimPhone, respondentName, handling, warningLetter: String

        public static let api = FieldNames(incidentNo: "incident_no", occurredAt: "occurred_at", station: "station", address: "address",
                                           victimName: "victim_name", victimPhone: "victim_phone", respondentName: "respondent_name",
                                           handling: "handling", warningLetter: "warning_letter")
        public static let csv = FieldNames(incidentNo: "警情编号", occurredAt: "接警时间", station: "派出所", address: "地址",
                                           victimName: "当事人", victimPhone: "电话", respondentName: "对方", handling: "处置情况",
                                           warningLetter: "是否出具告诫书")
    }

    /// Every problem at once. `occurred_at` is ISO 8601 with an offset, or a local time
    /// `2026-11-03 21:40[:05]` (also with `/`, or `T`) read in `timeZone`; it may not lie after `now`.
    /// 告诫书: 是/否, 已出具/未出具, Y/N, true/false, 1/0.
    public func validate(names: FieldNames, timeZone: TimeZone, now: Date) -> Result<PoliceIncident, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ value: String?, _ name: String, limit: Int, required: Bool) -> String? {
            guard let value else {
                if required { errors.append(FieldError(name, "is required")) }
                return nil
            }
            // Cells arrive trimmed from the CSV reader; trim only what needs it.
            let padded = value.unicodeScalars.first.map(\.properties.isWhitespace) == true
                || value.unicodeScalars.last.map(\.properties.isWhitespace) == true
            let trimmed = padded ? value.trimmingCharacters(in: .whitespacesAndNewlines) : value
            if trimmed.isEmpty {
                if required { errors.append(FieldError(name, "is required")) }
                return nil
            }
            if trimmed.count > limit { errors.append(FieldError(name, "must be at most \(limit) characters")); return nil }
            return trimmed
        }
        let number = text(incidentNo, names.incidentNo, limit: PoliceIncident.numberLimit, required: true)
        if let number, !number.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_/".unicodeScalars.contains($0)) }) {
            errors.append(FieldError(names.incidentNo, "may hold only letters, digits, - _ /"))
        }
        var occurred: Date?
        if let raw = text(occurredAt, names.occurredAt, limit: 40, required: true) {
            if let date = Self.parseTime(raw, timeZone: timeZone) {
                if date > now.addingTimeInterval(300) { errors.append(FieldError(names.occurredAt, "lies in the future")) } else { occurred = date }
            } else {
                errors.append(FieldError(names.occurredAt, "must be a time like 2026-11-03 21:40 or 2026-11-03T21:40:00+08:00"))
            }
        }
        let station = text(station, names.station, limit: PoliceIncident.textLimit, required: true)
        let address = text(address, names.address, limit: PoliceIncident.textLimit, required: true)
        let victim = text(victimName, names.victimName, limit: PoliceIncident.nameLimit, required: true)
        var phone: String?
        if let raw = text(victimPhone, names.victimPhone, limit: 30, required: false) {
            if let parsed = PhoneNumber(raw) { phone = parsed.digits } else { errors.append(FieldError(names.victimPhone, "is not a phone number")) }
        }
        let respondent = text(respondentName, names.respondentName, limit: PoliceIncident.nameLimit, required: false)
        let handling = text(handling, names.handling, limit: PoliceIncident.handlingLimit, required: false)
        var letter: Bool?
        if let raw = text(warningLetter, names.warningLetter, limit: 10, required: true) {
            switch raw.lowercased() {
            case "是", "已出具", "出具", "y", "yes", "true", "1": letter = true
            case "否", "未出具", "无", "n", "no", "false", "0": letter = false
            default: errors.append(FieldError(names.warningLetter, "must be 是 or 否"))
            }
        }
        guard errors.isEmpty, let number, let occurred, let station, let address, let victim, let letter else {
            return .failure(ValidationFailure(errors))
        }
        return .success(PoliceIncident(incidentNo: number, occurredAt: occurred, station: station, address: address, victimName: victim,
                                       victimPhone: phone, respondentName: respondent, handling: handling, warningLetter: letter))
    }

    /// `2026-11-03 21:40`, `2026/11/3 21:40:05`, `2026-11-03T21:40` (local), or ISO 8601 with an offset or Z.
    /// The local form is read by hand: a formatter per row made a 100,000-row import take seconds more.
    public static func parseTime(_ raw: String, timeZone: TimeZone) -> Date? {
        var numbers: [Int] = []
        var current = -1
        var separators: [UInt8] = []
        for byte in raw.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                current = (current < 0 ? 0 : current) * 10 + Int(byte - 0x30)
                if current > 9999 { return nil }
            } else {
                guard current >= 0 else { return nil }
                numbers.append(current)
                current = -1
                separators.append(byte)
            }
        }
        if current >= 0 { numbers.append(current) }
        let local = separators.count >= 4 && separators.count <= 5 && numbers.count == separators.count + 1
            && separators[0] == separators[1] && (separators[0] == UInt8(ascii: "-") || separators[0] == UInt8(ascii: "/"))
            && (separators[2] == UInt8(ascii: " ") || separators[2] == UInt8(ascii: "T"))
            && separators[3...].allSatisfy { $0 == UInt8(ascii: ":") }
        guard local else {
            return raw.contains("T") ? ISO8601DateFormatter().date(from: raw) : nil
        }
        let second = numbers.count == 6 ? numbers[5] : 0
        guard let date = LocalDate(year: numbers[0], month: numbers[1], day: numbers[2]),
              (0...23).contains(numbers[3]), (0...59).contains(numbers[4]), (0...59).contains(second) else { return nil }
        let wall = Double(date.dayNumber * 86_400 + numbers[3] * 3600 + numbers[4] * 60 + second)
        // The zone's offset at that wall time (read twice to settle across a change of offset).
        let guess = Date(timeIntervalSince1970: wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall))))
        return Date(timeIntervalSince1970: wall - Double(timeZone.secondsFromGMT(for: guess)))
    }
}

/// The police's export, one incident a line:
///
///     警情编号,接警时间,派出所,地址,当事人,对方,电话,处置情况,是否出具告诫书
///     J420506202611030001,2026-11-03 21:40,龙泉派出所,宜昌市夷陵区龙泉镇双泉村3组12号,王某某,李某某,13800138000,口头警告,是
///
/// Unlike the unit file, a bad row does not stop the others: each incident is a woman to call, so the
/// good rows are imported and every bad one is reported (line, field, reason) to be fixed and sent again.
public enum PoliceIncidentCSV {
    public static let header = ["警情编号", "接警时间", "派出所", "地址", "当事人", "对方", "电话", "处置情况", "是否出具告诫书"]

    public struct Row: Sendable, Equatable {
        public let line: Int
        public let incident: PoliceIncident

        public init(line: Int, incident: PoliceIncident) {
            self.line = line
            self.incident = incident
        }
    }

    /// A row that was not imported: its line, its number (when it had one), its address, and why.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let incidentNo: String?
        public let address: String?
        public let field: String?
        public let message: String

        public init(line: Int, incidentNo: String?, address: String?, field: String?, message: String) {
            self.line = line
            self.incidentNo = incidentNo
            self.address = address
            self.field = field
            self.message = message
        }

        public var description: String {
            "line \(line)" + (incidentNo.map { " \($0)" } ?? "") + ": " + (field.map { "\($0) " } ?? "") + message
                + (address.map { " (地址 \($0))" } ?? "")
        }
    }

    /// The rows and the problems. A wrong header is the only problem that rejects the whole file.
    /// A number given twice in the file: the first line is kept, the later ones reported.
    public static func parse(_ text: String, timeZone: TimeZone, now: Date) -> (rows: [Row], problems: [Problem], fileProblem: String?) {
        let records = UnitCSV.records(text)
        guard let first = records.first else { return ([], [], "line 1: the file is empty; the first line must be `\(header.joined(separator: ","))`") }
        guard first.problem == nil, first.fields == header else {
            return ([], [], "line \(first.line): the header must be `\(header.joined(separator: ","))`")
        }
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        var problems: [Problem] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let number = record.fields.first.flatMap { $0.isEmpty ? nil : $0 }
            let address = record.fields.count > 3 && !record.fields[3].isEmpty ? record.fields[3] : nil
            if let syntax = record.problem {
                problems.append(Problem(line: record.line, incidentNo: number, address: address, field: nil, message: syntax.message))
                continue
            }
            guard record.fields.count == header.count else {
                problems.append(Problem(line: record.line, incidentNo: number, address: address, field: nil,
                                        message: "expected \(header.count) fields, found \(record.fields.count)"))
                continue
            }
            let f = record.fields
            let draft = PoliceIncidentDraft(incidentNo: f[0], occurredAt: f[1], station: f[2], address: f[3], victimName: f[4],
                                            victimPhone: f[6], respondentName: f[5], handling: f[7], warningLetter: f[8])
            switch draft.validate(names: .csv, timeZone: timeZone, now: now) {
            case .failure(let failure):
                for error in failure.fields {
                    problems.append(Problem(line: record.line, incidentNo: number, address: address, field: error.field, message: error.message))
                }
            case .success(let incident):
                if let earlier = seen[incident.incidentNo] {
                    problems.append(Problem(line: record.line, incidentNo: number, address: address, field: "警情编号",
                                            message: "repeats line \(earlier)"))
                    continue
                }
                seen[incident.incidentNo] = record.line
                rows.append(Row(line: record.line, incident: incident))
            }
        }
        return (rows, problems, nil)
    }
}

/// Places an address in the unit tree: from the importer's unit down, each step takes the one child
/// whose place name (its name without 妇联 / 妇女联合会) appears in the address after its parent's;
/// the deepest unit reached owes the follow-up. Works on UTF-8 bytes: 100,000 addresses a few seconds.
public struct UnitPlacer: Sendable {
    public struct Unit: Sendable {
        public let id: Int64
        public let parentID: Int64?
        public let name: String
        public init(id: Int64, parentID: Int64?, name: String) {
            self.id = id
            self.parentID = parentID
            self.name = name
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No unit below the root is named in the address.
        case noUnitNamed
        /// Two units of one level are both named; which one covers it is a person's call.
        case ambiguous([String])

        public var message: String {
            switch self {
            case .noUnitNamed: return "no unit under the importing unit is named in the address"
            case .ambiguous(let names): return "the address names more than one unit: " + names.joined(separator: ", ")
            }
        }
    }

    private var children: [Int64: [(id: Int64, place: [UInt8], name: String)]] = [:]

    public init(units: [Unit]) {
        for unit in units {
            guard let parent = unit.parentID else { continue }
            let place = Self.placeName(unit.name)
            guard !place.isEmpty else { continue }
            children[parent, default: []].append((unit.id, Array(place.utf8), unit.name))
        }
    }

    /// The name as it appears in an address: 双泉村妇联 → 双泉村, 夷陵区妇女联合会 → 夷陵区.
    public static func placeName(_ name: String) -> String {
        for suffix in ["妇女联合会", "妇联"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// The deepest unit under `root` (never `root` itself) that the address names.
    public func place(_ address: String, under root: Int64) -> Result<Int64, Failure> {
        let bytes = Array(address.utf8)
        var current = root
        var from = 0
        var placed: Int64?
        while let kids = children[current] {
            var found: [(id: Int64, end: Int, name: String, length: Int)] = []
            for kid in kids {
                if let at = Self.find(kid.place, in: bytes, from: from) { found.append((kid.id, at + kid.place.count, kid.name, kid.place.count)) }
            }
            guard !found.isEmpty else { break }
            // One name inside another (东村 within 东村二组): the longer one is meant.
            let longest = found.map(\.length).max()!
            let best = found.filter { $0.length == longest }
            if best.count > 1 { return .failure(.ambiguous(best.map(\.name).sorted())) }
            current = best[0].id
            from = best[0].end
            placed = current
        }
        return placed.map { .success($0) } ?? .failure(.noUnitNamed)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        let n = needle.count
        guard n > 0, haystack.count - from >= n else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - n
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }
}

/// A phone follow-up of an incident, before validation.
public struct IncidentFollowUpDraft: Sendable {
    public var reached: Bool?
    public var said: String?
    public var needs: String?
    public var riskAnswers: [String: Bool]?
    /// `case` to open a petition case for her now; `lead` to open a lead for the grid to follow.
    public var open: String?
    /// The grid a lead opens in, when the incident's unit is not itself a grid.
    public var gridID: Int64?

    public init(reached: Bool? = nil, said: String? = nil, needs: String? = nil, riskAnswers: [String: Bool]? = nil, open: String? = nil,
                gridID: Int64? = nil) {
        self.reached = reached
        self.said = said
        self.needs = needs
        self.riskAnswers = riskAnswers
        self.open = open
        self.gridID = gridID
    }

    public func validate() -> Result<IncidentFollowUp, ValidationFailure> {
        var errors: [FieldError] = []
        if reached == nil { errors.append(FieldError("reached", "is required (true or false)")) }
        func text(_ value: String?, _ name: String) -> String? {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if trimmed.count > PoliceIncident.handlingLimit { errors.append(FieldError(name, "must be at most \(PoliceIncident.handlingLimit) characters")) }
            return trimmed.isEmpty ? nil : trimmed
        }
        let said = text(said, "said"), needs = text(needs, "needs")
        if reached == true && said == nil { errors.append(FieldError("said", "is required when she was reached")) }
        var assessment: RiskAssessment?
        if let answers = riskAnswers {
            if reached == false { errors.append(FieldError("risk_answers", "can only be asked when she was reached")) }
            switch RiskChecklist.federation.assess(answers) {
            case .success(let result): assessment = result
            case .failure(let failure): errors += failure.fields.map { FieldError("risk_" + $0.field, $0.message) }
            }
        }
        var opensCase = false, opensLead = false
        switch open {
        case nil: break
        case "case":
            opensCase = true
            if reached == false { errors.append(FieldError("open", "a case can only be opened when she was reached")) }
        // Unreached, the grid can still look in on the family: a lead needs no word from her.
        case "lead": opensLead = true
        default: errors.append(FieldError("open", "must be case or lead"))
        }
        if let gridID {
            if !opensLead { errors.append(FieldError("grid_id", "only a follow-up that opens a lead names a grid")) }
            else if gridID <= 0 { errors.append(FieldError("grid_id", "must be a positive integer")) }
        }
        guard errors.isEmpty, let reached else { return .failure(ValidationFailure(errors)) }
        return .success(IncidentFollowUp(reached: reached, said: said, needs: needs, riskAnswers: riskAnswers, assessment: assessment,
                                         opensCase: opensCase, opensLead: opensLead, gridID: gridID))
    }
}

public struct IncidentFollowUp: Sendable, Equatable {
    public let reached: Bool
    public let said: String?
    public let needs: String?
    public let riskAnswers: [String: Bool]?
    public let assessment: RiskAssessment?
    public let opensCase: Bool
    public var opensLead = false
    /// The grid the lead opens in (nil: the incident's own unit, which must then be a grid).
    public var gridID: Int64?

    /// The lead a follow-up opens: domestic violence in the grid, the victim and the respondent as the
    /// police named them, the checklist's answers if asked — so the same mandatory-report rules apply
    /// (`Lead.mandatoryReports`) as to any lead.
    public func lead(gridID: Int64, incidentNo: String, victimName: String, victimPhone: String?, respondentName: String?) -> Lead {
        var people = [LeadPerson(role: .victim, name: String(victimName.prefix(LeadDraft.nameLimit)),
                                 phone: victimPhone.map { $0.filter(\.isNumber) }.flatMap { $0.isEmpty ? nil : $0 })]
        if let respondentName, !respondentName.isEmpty {
            people.append(LeadPerson(role: .respondent, name: String(respondentName.prefix(LeadDraft.nameLimit))))
        }
        var summary = "家暴警情（\(incidentNo)）回访"
        if let said { summary += "：" + said }
        if let needs { summary += "；需求：" + needs }
        return Lead(gridID: gridID, kind: .domesticViolence, source: .policeIncident, sourceCaseID: nil, householdID: nil,
                    summary: String(summary.prefix(LeadDraft.summaryLimit)), urgency: assessment?.grade == .high ? .immediate : .urgent,
                    people: people, riskAnswers: riskAnswers, assessment: assessment)
    }
}

/// One row of the monthly figure: the incidents of a month placed in a unit (or below it), and how
/// their follow-ups went. The goal is every incident followed up on time (100 %).
public struct IncidentFigure: Sendable, Equatable {
    public let unitID: Int64
    public let unitName: String
    public let incidents: Int
    public let onTime: Int
    public let late: Int
    /// Not followed up, day not yet passed.
    public let openNotDue: Int
    /// Not followed up, day passed.
    public let openOverdue: Int

    public init(unitID: Int64, unitName: String, incidents: Int, onTime: Int, late: Int, openNotDue: Int, openOverdue: Int) {
        self.unitID = unitID
        self.unitName = unitName
        self.incidents = incidents
        self.onTime = onTime
        self.late = late
        self.openNotDue = openNotDue
        self.openOverdue = openOverdue
    }

    /// On time among those whose day has come (followed up, or overdue); nil when none has.
    public var shareOnTime: Double? {
        let decided = incidents - openNotDue
        return decided > 0 ? Double(onTime) / Double(decided) : nil
    }
}
