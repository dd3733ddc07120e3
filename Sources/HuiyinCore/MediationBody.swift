import Foundation

/// The kinds of body in Yichang's four levels of mediation, plus the federation's own studios.
public enum MediationBodyKind: String, Sendable, CaseIterable {
    /// A village's family-mediation point (家事调解点, often the women's council 妇女议事会).
    case villagePoint = "village_point"
    /// A township's people's mediation committee (乡镇人民调解委员会).
    case townshipCommittee = "township_committee"
    /// A county's or city's marriage-and-family mediation committee (婚姻家庭纠纷人民调解委员会).
    case countyCommittee = "county_committee"
    /// A women's federation mediation studio (妇联调解工作室).
    case federationStudio = "federation_studio"
    case other

    public var label: String {
        switch self {
        case .villagePoint: return "村（社区）家事调解点"
        case .townshipCommittee: return "乡镇（街道）人民调解委员会"
        case .countyCommittee: return "县市婚姻家庭纠纷调解委员会"
        case .federationStudio: return "妇联调解工作室"
        case .other: return "其他调解组织"
        }
    }

    /// The unit levels a body of this kind may belong to; nil when any level will do.
    public var levels: Set<UnitLevel>? {
        switch self {
        case .villagePoint: return [.village, .grid]
        case .townshipCommittee: return [.township]
        case .countyCommittee: return [.county, .city]
        case .federationStudio, .other: return nil
        }
    }
}

/// One mediation body of the import file.
public struct MediationBodyRow: Sendable, Equatable {
    public let line: Int
    public let code: String
    public let name: String
    public let kind: MediationBodyKind
    public let unitCode: String
    public let address: String
    public let latitude: Double
    public let longitude: Double
    public let phone: String?
    public let hours: String?
    public let mediatorCount: Int?
    public let mediators: [String]

    public init(line: Int, code: String, name: String, kind: MediationBodyKind, unitCode: String, address: String,
                latitude: Double, longitude: Double, phone: String?, hours: String?, mediatorCount: Int?, mediators: [String]) {
        self.line = line
        self.code = code
        self.name = name
        self.kind = kind
        self.unitCode = unitCode
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.phone = phone
        self.hours = hours
        self.mediatorCount = mediatorCount
        self.mediators = mediators
    }
}

/// The registry file of `huiyin mediation import FILE`:
///
///     code,name,kind,unit_code,address,latitude,longitude,phone,hours,mediator_count,mediators
///     XL-0101,东山社区家事调解点,village_point,xl0101,西陵区东山大道12号,30.7021,111.2903,0717-6221234,周一至周五 8:30-17:30,3,张敏、李华、王琴
///
/// Same CSV rules as the unit file (UnitCSV). Problems name the line and the field: `line 7: latitude: …`.
public enum MediationBodyCSV {
    public static let header = ["code", "name", "kind", "unit_code", "address", "latitude", "longitude",
                                "phone", "hours", "mediator_count", "mediators"]
    public static let nameLimit = 100, addressLimit = 200, hoursLimit = 100, mediatorLimit = 50

    public typealias Problem = UnitCSV.Problem
    public typealias Failure = UnitCSV.Failure

    /// Every row checked; a file with any bad row yields every problem and no rows.
    public static func parse(_ text: String) -> Result<[MediationBodyRow], Failure> {
        let records = UnitCSV.records(text)
        let headerText = header.joined(separator: ",")
        guard let first = records.first else {
            return .failure(Failure(problems: [Problem(line: 1, message: "the file is empty; the first line must be `\(headerText)`")]))
        }
        if let problem = first.problem { return .failure(Failure(problems: [problem])) }
        guard first.fields == header else {
            return .failure(Failure(problems: [Problem(line: first.line, message: "the header must be `\(headerText)`")]))
        }
        guard records.count > 1 else {
            return .failure(Failure(problems: [Problem(line: first.line, message: "no mediation bodies after the header")]))
        }
        var problems: [Problem] = []
        var rows: [MediationBodyRow] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let line = record.line
            var valid = true
            func problem(_ field: String, _ message: String) { problems.append(Problem(line: line, message: "\(field): \(message)")); valid = false }
            if let syntax = record.problem { problems.append(syntax); continue }
            guard record.fields.count == header.count else {
                problems.append(Problem(line: line, message: "expected \(header.count) fields (\(headerText)), found \(record.fields.count)"))
                continue
            }
            let f = record.fields
            let code = f[0], name = f[1], unitCode = f[3], address = f[4]
            if !isWellFormedCode(code) {
                problem("code", code.isEmpty ? "is empty" : "`\(code)` must be 1–64 letters, digits, _ or -")
            } else if let earlier = seen[code] {
                problem("code", "`\(code)` is already on line \(earlier)")
            } else {
                seen[code] = line
            }
            if let message = textProblem(name, limit: nameLimit) { problem("name", message) }
            let kind = MediationBodyKind(rawValue: f[2])
            if kind == nil { problem("kind", "`\(f[2])` must be one of \(MediationBodyKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            if !isWellFormedCode(unitCode) { problem("unit_code", unitCode.isEmpty ? "is empty" : "`\(unitCode)` is not a unit code") }
            if let message = textProblem(address, limit: addressLimit) { problem("address", message) }
            let latitude = coordinate(f[5], limit: 90), longitude = coordinate(f[6], limit: 180)
            if latitude == nil { problem("latitude", "`\(f[5])` must be decimal degrees from -90 to 90 (WGS-84)") }
            if longitude == nil { problem("longitude", "`\(f[6])` must be decimal degrees from -180 to 180 (WGS-84)") }
            if latitude == 0 && longitude == 0 { problem("latitude", "0,0 is not a place in China: the coordinates are missing") }
            let phone = f[7].isEmpty ? nil : f[7]
            if let phone, !isPhone(phone) { problem("phone", "`\(phone)` must be a telephone number (digits, spaces, -, +, brackets)") }
            let hours = f[8].isEmpty ? nil : f[8]
            if let hours, let message = textProblem(hours, limit: hoursLimit) { problem("hours", message) }
            var count: Int?
            if !f[9].isEmpty {
                if f[9].allSatisfy(\.isASCII), let n = Int(f[9]), (0...1000).contains(n) { count = n } else {
                    problem("mediator_count", "`\(f[9])` must be a whole number from 0 to 1000")
                }
            }
            let mediators = f[10].split(whereSeparator: { "、;；,，".contains($0) })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if mediators.count > mediatorLimit || mediators.contains(where: { textProblem($0, limit: 50) != nil }) {
                problem("mediators", "at most \(mediatorLimit) names separated by 、 or ;, each at most 50 characters")
            }
            if let count, count < mediators.count {
                problem("mediator_count", "\(count) is fewer than the \(mediators.count) mediators named")
            }
            if valid, let kind, let latitude, let longitude {
                rows.append(MediationBodyRow(line: line, code: code, name: name, kind: kind, unitCode: unitCode, address: address,
                                             latitude: latitude, longitude: longitude, phone: phone, hours: hours,
                                             mediatorCount: count ?? (mediators.isEmpty ? nil : mediators.count), mediators: mediators))
            }
        }
        return problems.isEmpty ? .success(rows) : .failure(Failure(problems: problems))
    }

    static func isWellFormedCode(_ text: String) -> Bool {
        (1...64).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    static func textProblem(_ text: String, limit: Int) -> String? {
        if text.isEmpty { return "is empty" }
        if text.count > limit { return "is longer than \(limit) characters" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains a line break or control character"
        }
        return nil
    }

    /// Decimal degrees as written (`30.7021`, `-0.5`), within ±limit; no exponents, no degree signs.
    static func coordinate(_ text: String, limit: Double) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let value = Double(text), value.isFinite, abs(value) <= limit else { return nil }
        return value
    }

    public static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        return (3...30).contains(text.count) && (3...20).contains(digits)
            && text.allSatisfy { $0.isASCII && ($0.isNumber || " -+()".contains($0)) }
    }
}

/// Great-circle distance on the WGS-84 mean sphere, as the nearest query (sql/018 `mediation_distance`) orders by.
public enum Haversine {
    public static let earthRadius = 6_371_008.8   // metres (IUGG mean radius)

    public static func metres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, sqrt(a)))
    }
}

/// The public nearest query's parameters, checked without I/O.
public struct NearestQuery: Sendable, Equatable {
    public static let defaultLimit = 10, maxLimit = 50
    public let latitude: Double
    public let longitude: Double
    public let limit: Int

    /// Every bad parameter named, for a 422.
    public static func parse(lat: String?, lon: String?, limit: String?) -> Result<NearestQuery, ValidationFailure> {
        var errors: [FieldError] = []
        func coordinate(_ name: String, _ text: String?, _ bound: Double) -> Double? {
            guard let text, !text.isEmpty else { errors.append(FieldError(name, "is required")); return nil }
            guard let value = MediationBodyCSV.coordinate(text, limit: bound) else {
                errors.append(FieldError(name, "must be decimal degrees from -\(Int(bound)) to \(Int(bound))")); return nil
            }
            return value
        }
        let lat = coordinate("lat", lat, 90), lon = coordinate("lon", lon, 180)
        var count = defaultLimit
        if let limit {
            if let n = Int(limit), (1...maxLimit).contains(n) { count = n } else {
                errors.append(FieldError("limit", "must be a whole number from 1 to \(maxLimit)"))
            }
        }
        guard errors.isEmpty, let lat, let lon else { return .failure(ValidationFailure(errors)) }
        return .success(NearestQuery(latitude: lat, longitude: lon, limit: count))
    }

    public init(latitude: Double, longitude: Double, limit: Int) {
        self.latitude = latitude
        self.longitude = longitude
        self.limit = limit
    }
}
