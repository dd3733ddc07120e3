/// What a 12338 sub-line is for: the main number, a professional line (which suggests a referral), or
/// a county's regional line (whose county unit takes the new case by default).
public enum SubLineKind: String, Sendable, CaseIterable {
    case main, professional, regional

    public var label: String {
        switch self {
        case .main: return "主线"
        case .professional: return "专业分线"
        case .regional: return "区县分线"
        }
    }
}

/// One line of the sub-line file.
public struct SubLineRow: Sendable, Equatable {
    public let code: String
    public let name: String
    public let kind: SubLineKind
    /// A regional line's county unit (its code).
    public let unitCode: String?
    /// A professional line's suggested referral (`lawyer`, `psychologist`, `mediator`, `police`).
    public let referral: String?

    public init(code: String, name: String, kind: SubLineKind, unitCode: String?, referral: String?) {
        self.code = code
        self.name = name
        self.kind = kind
        self.unitCode = unitCode
        self.referral = referral
    }
}

/// The file of `huiyin sub-line import FILE`, as a spreadsheet saves it:
///
///     code,name,kind,unit_code,referral
///     legal,法律咨询,professional,,lawyer
///     xiling,西陵区分线,regional,hb-yc-xl,
public enum SubLineCSV {
    public static let header = ["code", "name", "kind", "unit_code", "referral"]
    public static let referrals = ["lawyer", "psychologist", "mediator", "police"]

    /// Every problem of the file at once (same CSV rules as the unit file). A regional line names its
    /// unit and no referral; a professional line may name a referral and no unit; the main line neither.
    public static func parse(_ text: String) -> Result<[SubLineRow], UnitCSV.Failure> {
        typealias Problem = UnitCSV.Problem
        let records = UnitCSV.records(text)
        let headerText = header.joined(separator: ",")
        guard let first = records.first else {
            return .failure(.init(problems: [Problem(line: 1, message: "the file is empty; the first line must be `\(headerText)`")]))
        }
        if let problem = first.problem { return .failure(.init(problems: [problem])) }
        guard first.fields == header else {
            return .failure(.init(problems: [Problem(line: first.line, message: "the header must be exactly `\(headerText)`")]))
        }
        var problems: [Problem] = []
        var rows: [SubLineRow] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            func problem(_ message: String) { problems.append(Problem(line: record.line, message: message)) }
            if let syntax = record.problem { problems.append(syntax); continue }
            guard record.fields.count == header.count else {
                problem("expected \(header.count) fields (\(headerText)), found \(record.fields.count)")
                continue
            }
            let (code, name, kindText, unitCode, referral) = (record.fields[0], record.fields[1], record.fields[2], record.fields[3], record.fields[4])
            let countBefore = problems.count
            if code.isEmpty || code.count > UnitCSV.codeLimit
                || !code.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" }) {
                problem("code `\(code)` must be 1–\(UnitCSV.codeLimit) letters, digits, _ or -")
            } else if let earlier = seen[code] {
                problem("code `\(code)` is already on line \(earlier)")
            } else {
                seen[code] = record.line
            }
            if name.isEmpty || name.count > UnitCSV.nameLimit { problem("name must be 1–\(UnitCSV.nameLimit) characters") }
            let kind = SubLineKind(rawValue: kindText)
            switch kind {
            case nil: problem("kind must be one of " + SubLineKind.allCases.map(\.rawValue).joined(separator: ", "))
            case .regional?:
                if unitCode.isEmpty { problem("a regional line names its county unit in unit_code") }
                if !referral.isEmpty { problem("a regional line suggests no referral") }
            case .professional?:
                if !unitCode.isEmpty { problem("only a regional line names a unit") }
                if !referral.isEmpty, !referrals.contains(referral) { problem("referral must be one of " + referrals.joined(separator: ", ")) }
            case .main?:
                if !unitCode.isEmpty || !referral.isEmpty { problem("the main line names no unit and no referral") }
            }
            guard problems.count == countBefore, let kind else { continue }
            rows.append(SubLineRow(code: code, name: name, kind: kind, unitCode: unitCode.isEmpty ? nil : unitCode,
                                   referral: referral.isEmpty ? nil : referral))
        }
        if rows.isEmpty && problems.isEmpty { problems.append(Problem(line: first.line, message: "no lines after the header")) }
        return problems.isEmpty ? .success(rows) : .failure(.init(problems: problems))
    }
}
