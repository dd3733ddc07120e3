import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// Decision support over the API: early warnings with what is behind them, the analysis of a unit's
/// weeks, and the monthly report as JSON and as a spreadsheet.
extension HuiyinApp {
    static func addAnalysisRoutes(to router: inout Router<Route>) {
        router.add("GET", "/api/v1/warnings", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems = unknownFilters(request, known: ["unit_id", "since"])
            let unitID = try app.unitInScope(request, of: user, &problems)
            let since = app.day(request, "since", default: app.store.today.adding(days: -90), &problems)
            guard problems.isEmpty else { throw APIError.validation(problems) }
            return try json(200, WarningListView(warnings: try app.store.earlyWarnings(under: unitID, since: since).map(WarningView.init)))
        })
        router.add("GET", "/api/v1/warnings/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let (warning, cases, leads) = try app.warningInScope(request, of: user)
            return try json(200, WarningDetailView(warning: WarningView(warning), cases: cases.map { CaseSummaryView($0) },
                                                   leads: leads.map(LeadListItemView.init)))
        })
        router.add("GET", "/api/v1/analysis", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            return try json(200, try app.analysis(request, for: user).view)
        })
        router.add("GET", "/api/v1/reports/monthly", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            return try json(200, MonthlyReportView(try app.monthlyReport(request, for: user, known: ["unit_id", "month"])))
        })
        router.add("GET", "/api/v1/reports/monthly.csv", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let report = try app.monthlyReport(request, for: user, known: ["unit_id", "month"])
            let lines = MonthlyReportCSV.lines(report)
            try app.store.recordExport(.monthlyReport, filter: [("unit_id", String(report.unit.id)), ("month", report.month)],
                                       rowCount: lines.count - 1, by: user)
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"monthly-report-\(report.unit.id)-\(report.month).csv\"")],
                            body: Array(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8))
        })
    }

    /// `name` as YYYY-MM-DD, or `fallback` when not given.
    func day(_ request: Request, _ name: String, default fallback: LocalDate, _ problems: inout [FieldError]) -> LocalDate {
        guard let raw = request.query[name] else { return fallback }
        guard let day = LocalDate(iso: raw) else {
            problems.append(FieldError(name, "must be a date as YYYY-MM-DD"))
            return fallback
        }
        return day
    }

    /// The warning of the path if its unit lies in her subtree (else 404, as for one that does not
    /// exist), with the cases and leads behind it as her lists show them.
    func warningInScope(_ request: Request, of user: StaffUser) throws -> (EarlyWarning, [CaseListItem], [LeadListItem]) {
        guard let id = request.pathParameters["id"].flatMap({ Int64($0) }), id > 0,
              let warning = try store.earlyWarning(id: id), try store.unit(warning.unit.id, isWithin: user.unitID)
        else { throw APIError.notFound }
        return (warning, try store.warningCases(warning, for: user), try store.warningLeads(warning, for: user))
    }

    /// The monthly report the request asks for: `unit_id` (her unit by default) and `month` (YYYY-MM,
    /// this month by default; not after this month).
    func monthlyReport(_ request: Request, for user: StaffUser, known: Set<String>) throws -> MonthlyReport {
        var problems = Self.unknownFilters(request, known: known)
        let unitID = try unitInScope(request, of: user, &problems)
        let today = store.today
        var month = LocalDate(year: today.year, month: today.month, day: 1)!
        if let raw = request.query["month"] {
            if raw.count == 7, let parsed = LocalDate(iso: raw + "-01") {
                if parsed > month { problems.append(FieldError("month", "must not be after this month")) } else { month = parsed }
            } else {
                problems.append(FieldError("month", "must be a month as YYYY-MM"))
            }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        guard let report = try store.monthlyReport(unit: unitID, month: month) else { throw APIError.notFound }
        return report
    }

    /// The analysis of a unit (`unit_id`, her unit by default) for one series (`series`, a warning
    /// series code, domestic violence by default) over `weeks` weeks (4–52, default 12) ending yesterday.
    func analysis(_ request: Request, for user: StaffUser, known: Set<String> = ["unit_id", "series", "weeks"]) throws -> Analysis {
        var problems = Self.unknownFilters(request, known: known)
        let unitID = try unitInScope(request, of: user, &problems)
        var series = WarningSeries.category(.domesticViolence)
        if let raw = request.query["series"] {
            if let parsed = WarningSeries(code: raw) { series = parsed } else {
                problems.append(FieldError("series", "must be one of " + WarningSeries.all.map(\.code).joined(separator: ", ")))
            }
        }
        var weeks = 12
        if let raw = request.query["weeks"] {
            if let parsed = Int(raw), (4...52).contains(parsed) { weeks = parsed } else { problems.append(FieldError("weeks", "must be a number from 4 to 52")) }
        }
        guard problems.isEmpty, let unit = try store.figureUnit(unitID) else { throw APIError.validation(problems) }
        return try Analysis.build(store: store, unit: unit, series: series, weeks: weeks, user: user,
                                  parent: unitID == user.unitID ? nil : try store.parentUnit(of: unitID))
    }
}

/// One analysis read: the unit's weeks for a series with the expected band, its children's weeks,
/// the fastest-rising series, recent warnings, repeat petitions and collective visits.
struct Analysis {
    let unit: FigureUnit
    let parentID: Int64?
    let series: WarningSeries
    /// The last day of each week shown, oldest first.
    let weekEndings: [LocalDate]
    let counts: [Int]
    let expected: [Double]
    let thresholds: [Int]
    let children: [(unit: FigureUnit, counts: [Int], flagged: [Bool])]
    let rising: [(series: WarningSeries, result: AberrationResult)]
    let warnings: [EarlyWarning]
    let repeatCases: [CaseListItem]
    let collectiveCases: [CaseListItem]

    static func build(store: Store, unit: FigureUnit, series: WarningSeries, weeks: Int, user: StaffUser, parent: Int64?) throws -> Analysis {
        let rules = store.rules.warnings
        let lastDay = store.today.adding(days: -1)
        let span = weeks + rules.baselineWeeks
        let monitorWeeks = { (all: [Int], index: Int) -> (AberrationResult, Int) in
            // all: `span` weekly counts oldest first; the shown week `index` (0-based among the last `weeks`).
            let at = rules.baselineWeeks + index
            let baseline = Array(all[(at - rules.baselineWeeks)..<at])
            return (AberrationTest.evaluate(observed: all[at], baseline: baseline, rules: rules),
                    AberrationTest.threshold(baseline: baseline, rules: rules))
        }
        let mine = try store.seriesWeekly(unit: unit.id, weeks: span, endingOn: lastDay)
        let own = mine[series] ?? Array(repeating: 0, count: span)
        let tested = (0..<weeks).map { monitorWeeks(own, $0) }
        let childUnits = try store.childUnits(of: unit.id)
        let source = series.source
        let childCounts = try store.weeklyCounts(units: childUnits.map(\.id), measure: source.measure, dimension: source.dimension,
                                                 weeks: span, endingOn: lastDay)
        let children = childUnits.map { child -> (unit: FigureUnit, counts: [Int], flagged: [Bool]) in
            let all = childCounts[child.id] ?? Array(repeating: 0, count: span)
            return (child, Array(all.suffix(weeks)), (0..<weeks).map { monitorWeeks(all, $0).0.exceeds })
        }
        let rising = WarningSeries.all.map { candidate -> (series: WarningSeries, result: AberrationResult) in
            let all = mine[candidate] ?? Array(repeating: 0, count: span)
            return (candidate, monitorWeeks(all, weeks - 1).0)
        }.filter { $0.result.observed > 0 && Double($0.result.observed) > $0.result.expected }
            .sorted { ($0.result.pValue, $0.series) < ($1.result.pValue, $1.series) }
        let since = lastDay.adding(days: -(7 * weeks - 1))
        return Analysis(
            unit: unit, parentID: parent, series: series,
            weekEndings: (0..<weeks).map { lastDay.adding(days: -7 * (weeks - 1 - $0)) },
            counts: Array(own.suffix(weeks)), expected: tested.map { $0.0.expected }, thresholds: tested.map { $0.1 },
            children: children, rising: Array(rising.prefix(5)),
            warnings: try store.earlyWarnings(under: unit.id, since: since, limit: 50),
            repeatCases: try store.repeatPetitionCases(under: unit.id, since: since, limit: 10, for: user),
            collectiveCases: try store.collectiveVisitCases(under: unit.id, since: since, limit: 10, for: user))
    }

    var view: AnalysisView {
        AnalysisView(
            unit: UnitView(unit), parentID: parentID, series: series.code, seriesLabel: series.label,
            weekEndings: weekEndings.map(\.description), counts: counts, expected: expected, thresholds: thresholds,
            children: children.map { AnalysisChildView(unit: UnitView($0.unit), counts: $0.counts, flagged: $0.flagged) },
            rising: rising.map { RisingView(series: $0.series.code, label: $0.series.label, observed: $0.result.observed,
                                            expected: $0.result.expected, pValue: $0.result.pValue, exceeds: $0.result.exceeds) },
            warnings: warnings.map(WarningView.init),
            repeatCases: repeatCases.map { CaseSummaryView($0) }, collectiveCases: collectiveCases.map { CaseSummaryView($0) })
    }
}

struct UnitView: ResponseBody {
    let id: Int64
    let name: String
    let level: String

    init(_ unit: FigureUnit) { (id, name, level) = (unit.id, unit.name, unit.level) }
}

struct WarningView: ResponseBody {
    let id: Int64
    let unit: UnitView
    let series: String
    let seriesLabel: String
    let weekEnding: String
    let observed: Int
    let expected: Double
    let pValue: Double
    let baseline: [Int]
    let raisedAt: Date

    init(_ w: EarlyWarning) {
        (id, unit, series, seriesLabel, weekEnding) = (w.id, UnitView(w.unit), w.series.code, w.series.label, w.weekEnding.description)
        (observed, expected, pValue, baseline, raisedAt) = (w.observed, w.expected, w.pValue, w.baseline, w.raisedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, unit, series, seriesLabel = "series_label", weekEnding = "week_ending", observed, expected
        case pValue = "p_value", baseline, raisedAt = "raised_at"
    }
}

struct WarningListView: ResponseBody {
    let warnings: [WarningView]
}

struct WarningDetailView: ResponseBody {
    let warning: WarningView
    let cases: [CaseSummaryView]
    let leads: [LeadListItemView]
}

struct AnalysisChildView: ResponseBody {
    let unit: UnitView
    let counts: [Int]
    let flagged: [Bool]
}

struct RisingView: ResponseBody {
    let series: String
    let label: String
    let observed: Int
    let expected: Double
    let pValue: Double
    let exceeds: Bool

    enum CodingKeys: String, CodingKey { case series, label, observed, expected, pValue = "p_value", exceeds }
}

struct AnalysisView: ResponseBody {
    let unit: UnitView
    let parentID: Int64?
    let series: String
    let seriesLabel: String
    let weekEndings: [String]
    let counts: [Int]
    let expected: [Double]
    let thresholds: [Int]
    let children: [AnalysisChildView]
    let rising: [RisingView]
    let warnings: [WarningView]
    let repeatCases: [CaseSummaryView]
    let collectiveCases: [CaseSummaryView]

    enum CodingKeys: String, CodingKey {
        case unit, parentID = "parent_id", series, seriesLabel = "series_label", weekEndings = "week_endings", counts, expected
        case thresholds, children, rising, warnings, repeatCases = "repeat_cases", collectiveCases = "collective_cases"
    }
}

struct MonthlyReportView: ResponseBody {
    let report: MonthlyReport

    init(_ report: MonthlyReport) { self.report = report }

    struct CountView: Encodable {
        let measure: String, dimension: String, label: String, count: Int
    }

    enum CodingKeys: String, CodingKey {
        case unit, month, from, through, generatedAt = "generated_at", final, counts, visitsDue = "visits_due"
        case visitsDone = "visits_done", onTimeRate = "on_time_rate", incidentOnTimeRate = "incident_on_time_rate"
        case children, warnings, notable
    }

    enum ChildKeys: String, CodingKey {
        case unit, contacts, newCases = "new_cases", closed, clocksMet = "clocks_met", clocksLate = "clocks_late"
        case onTimeRate = "on_time_rate", collectiveVisits = "collective_visits", repeatContacts = "repeat_contacts"
        case highRiskDomesticViolence = "high_risk_domestic_violence", leads, incidents, incidentsOnTime = "incidents_on_time"
        case incidentsLate = "incidents_late"
    }

    enum NotableKeys: String, CodingKey {
        case caseID = "case_id", trackingNo = "tracking_no", category, categoryLabel = "category_label", unitName = "unit_name"
        case receivedOn = "received_on", status, statusLabel = "status_label", reasons
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(UnitView(report.unit), forKey: .unit)
        try c.encode(report.month, forKey: .month)
        try c.encode(report.from, forKey: .from)
        try c.encode(report.through, forKey: .through)
        try c.encode(report.generatedAt, forKey: .generatedAt)
        try c.encode(report.final, forKey: .final)
        try c.encode(report.counts.map { line in
            CountView(measure: line.measure, dimension: line.dimension,
                      label: FigureMeasure(rawValue: line.measure).map { FigureLabels.line($0, line.dimension) } ?? line.measure,
                      count: line.count)
        }, forKey: .counts)
        try c.encode(report.visitsDue, forKey: .visitsDue)
        try c.encode(report.visitsDone, forKey: .visitsDone)
        let figures = report.figures
        try c.encode(figures.onTimeRate, forKey: .onTimeRate)
        try c.encode(figures.incidentOnTimeRate, forKey: .incidentOnTimeRate)
        var children = c.nestedUnkeyedContainer(forKey: .children)
        for line in report.children {
            var child = children.nestedContainer(keyedBy: ChildKeys.self)
            try child.encode(UnitView(line.unit), forKey: .unit)
            try child.encode(line.contacts, forKey: .contacts)
            try child.encode(line.newCases, forKey: .newCases)
            try child.encode(line.closed, forKey: .closed)
            try child.encode(line.clocksMet, forKey: .clocksMet)
            try child.encode(line.clocksLate, forKey: .clocksLate)
            let stopped = line.clocksMet + line.clocksLate
            try child.encode(stopped == 0 ? nil : Double(line.clocksMet) / Double(stopped), forKey: .onTimeRate)
            try child.encode(line.collectiveVisits, forKey: .collectiveVisits)
            try child.encode(line.repeatContacts, forKey: .repeatContacts)
            try child.encode(line.highRiskDomesticViolence, forKey: .highRiskDomesticViolence)
            try child.encode(line.leads, forKey: .leads)
            try child.encode(line.incidents, forKey: .incidents)
            try child.encode(line.incidentsOnTime, forKey: .incidentsOnTime)
            try child.encode(line.incidentsLate, forKey: .incidentsLate)
        }
        try c.encode(report.warnings.map { line in
            WarningLineView(id: line.id, unit: UnitView(line.unit), series: line.series,
                            seriesLabel: WarningSeries(code: line.series)?.label ?? line.series, weekEnding: line.weekEnding,
                            observed: line.observed, expected: line.expected)
        }, forKey: .warnings)
        var notable = c.nestedUnkeyedContainer(forKey: .notable)
        for item in report.notable {
            var n = notable.nestedContainer(keyedBy: NotableKeys.self)
            try n.encode(item.caseID, forKey: .caseID)
            try n.encode(item.trackingNo, forKey: .trackingNo)
            try n.encode(item.category, forKey: .category)
            try n.encode(CaseJSON.label(category: item.category), forKey: .categoryLabel)
            try n.encode(item.unitName, forKey: .unitName)
            try n.encode(item.receivedOn, forKey: .receivedOn)
            try n.encode(item.status, forKey: .status)
            try n.encode(CaseStatus(rawValue: item.status)?.label ?? item.status, forKey: .statusLabel)
            try n.encode(item.reasons, forKey: .reasons)
        }
    }
}

struct WarningLineView: Encodable {
    let id: Int64
    let unit: UnitView
    let series: String
    let seriesLabel: String
    let weekEnding: String
    let observed: Int
    let expected: Double

    enum CodingKeys: String, CodingKey {
        case id, unit, series, seriesLabel = "series_label", weekEnding = "week_ending", observed, expected
    }
}

/// The monthly report as a spreadsheet (UTF-8 with a byte-order mark, which Excel and WPS open as
/// Chinese text): one row per count, then the units below, the warnings and the notable cases.
enum MonthlyReportCSV {
    static func lines(_ report: MonthlyReport) -> [String] {
        func row(_ cells: [String]) -> String { cells.map(CaseCSV.quote).joined(separator: ",") }
        let figures = report.figures
        var lines = [row(["部分", "项目", "分项", "数量"])]
        for line in report.counts {
            guard let measure = FigureMeasure(rawValue: line.measure) else { continue }
            lines.append(row(["分项统计", measure.label, line.dimension.isEmpty ? "" : FigureLabels.dimension(measure, line.dimension),
                              String(line.count)]))
        }
        lines.append(row(["按期率", "按期办结率", "", FigureLabels.percent(figures.onTimeRate)]))
        lines.append(row(["按期率", "家暴警情按时回访率（目标100%）", "", FigureLabels.percent(figures.incidentOnTimeRate)]))
        lines.append(row(["基层走访", "应走访重点户", "", String(report.visitsDue)]))
        lines.append(row(["基层走访", "已走访重点户", "", String(report.visitsDone)]))
        lines.append(row(["下级单位", "单位", "来信来访", "新登记", "办结", "按期办结", "超期办结", "集体访", "重复信访",
                          "高风险家暴", "网格线索", "家暴警情", "按时回访", "逾期回访"]))
        for child in report.children {
            lines.append(row(["下级单位", child.unit.name] + [child.contacts, child.newCases, child.closed, child.clocksMet, child.clocksLate,
                                                              child.collectiveVisits, child.repeatContacts, child.highRiskDomesticViolence,
                                                              child.leads, child.incidents, child.incidentsOnTime, child.incidentsLate].map(String.init)))
        }
        for warning in report.warnings {
            lines.append(row(["预警", warning.unit.name, WarningSeries(code: warning.series)?.label ?? warning.series,
                              "截至\(warning.weekEnding)的一周 \(warning.observed)件，预期约\(String(format: "%.1f", warning.expected))件"]))
        }
        for item in report.notable {
            lines.append(row(["典型案件", item.trackingNo, CaseJSON.label(category: item.category),
                              item.reasons.map { FigureLabels.notableReasons[$0] ?? $0 }.joined(separator: "、"), item.unitName]))
        }
        return lines
    }
}
