import Foundation

/// Screening campaigns (专项排查): a supervisor's unit asks the units below it to screen for a kind of
/// trouble over a period (Yichang's one month of family disputes: 102 found and settled, major risks
/// reported up) and to report what they found.

/// What a participating unit must report.
public enum CampaignReportItem: String, Sendable, CaseIterable {
    /// How many matters it found (排查发现).
    case found
    /// How many of them it settled (化解).
    case settled
    /// How many major risks it reported up (重大风险上报).
    case majorRisks = "major_risks"
    /// Free notes: what was done, what is left.
    case notes

    public var label: String {
        switch self {
        case .found: return "排查发现数"
        case .settled: return "化解数"
        case .majorRisks: return "重大风险上报数"
        case .notes: return "工作情况说明"
        }
    }
}

/// Where a campaign stands on a given day.
public enum CampaignPhase: String, Sendable {
    case upcoming, running, ended

    public init(startsOn: LocalDate, endsOn: LocalDate, today: LocalDate) {
        self = today < startsOn ? .upcoming : today > endsOn ? .ended : .running
    }

    public var label: String {
        switch self {
        case .upcoming: return "未开始"
        case .running: return "进行中"
        case .ended: return "已结束"
        }
    }
}

/// A validated campaign, ready to record. The units are checked against the tree by the store.
public struct Campaign: Sendable, Equatable {
    public var topic: String
    public var startsOn: LocalDate
    public var endsOn: LocalDate
    public var unitIDs: [Int64]
    public var reportItems: [CampaignReportItem]
}

/// A campaign as typed, before validation.
public struct CampaignDraft: Sendable {
    public var topic: String?
    public var startsOn: String?
    public var endsOn: String?
    public var unitIDs: [Int64]?
    public var reportItems: [String]?

    public init(topic: String? = nil, startsOn: String? = nil, endsOn: String? = nil, unitIDs: [Int64]? = nil, reportItems: [String]? = nil) {
        self.topic = topic
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.unitIDs = unitIDs
        self.reportItems = reportItems
    }

    public static let topicLimit = 200
    /// A special screening is a matter of weeks; a year is the most that still reads as one campaign.
    public static let longestDays = 366
    public static let unitLimit = 500

    /// Every problem at once: the topic, the period (dates, order, not already over, not longer than a
    /// year), the units (at least one, no repeats) and the report items (known words, no repeats).
    public func validate(today: LocalDate) -> Result<Campaign, ValidationFailure> {
        var errors: [FieldError] = []
        let topic = (self.topic ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if topic.isEmpty {
            errors.append(FieldError("topic", "is required"))
        } else if topic.count > Self.topicLimit {
            errors.append(FieldError("topic", "is longer than \(Self.topicLimit) characters"))
        }
        func day(_ raw: String?, _ field: String) -> LocalDate? {
            guard let raw else { errors.append(FieldError(field, "is required")); return nil }
            guard let parsed = LocalDate(iso: raw) else { errors.append(FieldError(field, "must be a date as YYYY-MM-DD")); return nil }
            return parsed
        }
        let starts = day(startsOn, "starts_on"), ends = day(endsOn, "ends_on")
        if let starts, let ends {
            if ends < starts {
                errors.append(FieldError("ends_on", "is before starts_on"))
            } else if ends.dayNumber - starts.dayNumber + 1 > Self.longestDays {
                errors.append(FieldError("ends_on", "makes the period longer than \(Self.longestDays) days"))
            } else if ends < today {
                errors.append(FieldError("ends_on", "is already past"))
            }
        }
        let units = unitIDs ?? []
        if unitIDs == nil || units.isEmpty {
            errors.append(FieldError("unit_ids", "name at least one unit below yours"))
        } else if units.count > Self.unitLimit {
            errors.append(FieldError("unit_ids", "names more than \(Self.unitLimit) units"))
        } else {
            var seen = Set<Int64>()
            for (index, id) in units.enumerated() where !seen.insert(id).inserted {
                errors.append(FieldError("unit_ids[\(index)]", "is named twice"))
            }
        }
        var items: [CampaignReportItem] = []
        if let raw = reportItems, !raw.isEmpty {
            for (index, word) in raw.enumerated() {
                if let item = CampaignReportItem(rawValue: word) {
                    if items.contains(item) { errors.append(FieldError("report_items[\(index)]", "is named twice")) } else { items.append(item) }
                } else {
                    errors.append(FieldError("report_items[\(index)]",
                                             "must be one of " + CampaignReportItem.allCases.map(\.rawValue).joined(separator: ", ")))
                }
            }
        } else {
            errors.append(FieldError("report_items", "name at least one item each unit must report"))
        }
        guard errors.isEmpty, let starts, let ends else { return .failure(ValidationFailure(errors)) }
        return .success(Campaign(topic: topic, startsOn: starts, endsOn: ends, unitIDs: units, reportItems: items))
    }
}

/// What a unit declares in its report: only the items the campaign asks for, each required.
public struct CampaignReport: Sendable, Equatable, Codable {
    public var found: Int?
    public var settled: Int?
    public var majorRisks: Int?
    public var notes: String?

    public init(found: Int?, settled: Int?, majorRisks: Int?, notes: String?) {
        self.found = found
        self.settled = settled
        self.majorRisks = majorRisks
        self.notes = notes
    }
}

public struct CampaignReportDraft: Sendable {
    public var found: Int64?
    public var settled: Int64?
    public var majorRisks: Int64?
    public var notes: String?

    public init(found: Int64? = nil, settled: Int64? = nil, majorRisks: Int64? = nil, notes: String? = nil) {
        self.found = found
        self.settled = settled
        self.majorRisks = majorRisks
        self.notes = notes
    }

    public static let notesLimit = 4000

    /// Checked against what the campaign asks: an item asked for is required, one not asked is refused.
    public func validate(asked: [CampaignReportItem]) -> Result<CampaignReport, ValidationFailure> {
        var errors: [FieldError] = []
        func count(_ value: Int64?, _ item: CampaignReportItem) -> Int? {
            guard asked.contains(item) else {
                if value != nil { errors.append(FieldError(item.rawValue, "is not asked by this campaign")) }
                return nil
            }
            guard let value else { errors.append(FieldError(item.rawValue, "is required")); return nil }
            guard (0...1_000_000).contains(value) else { errors.append(FieldError(item.rawValue, "must be from 0 to 1000000")); return nil }
            return Int(value)
        }
        let found = count(self.found, .found), settled = count(self.settled, .settled), risks = count(majorRisks, .majorRisks)
        if let found, let settled, settled > found { errors.append(FieldError("settled", "is more than found")) }
        var notes: String?
        let trimmed = self.notes?.trimmingCharacters(in: .whitespacesAndNewlines)
        if asked.contains(.notes) {
            if let trimmed, !trimmed.isEmpty {
                if trimmed.count > Self.notesLimit { errors.append(FieldError("notes", "is longer than \(Self.notesLimit) characters")) } else { notes = trimmed }
            } else {
                errors.append(FieldError("notes", "is required"))
            }
        } else if self.notes != nil {
            errors.append(FieldError("notes", "is not asked by this campaign"))
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(CampaignReport(found: found, settled: settled, majorRisks: risks, notes: notes))
    }
}

/// 重大风险上报: a short account, optionally naming the lead or case it is about.
public struct MajorRisk: Sendable, Equatable {
    public var unitID: Int64?
    public var summary: String
    public var leadID: Int64?
    public var caseID: Int64?

    public init(unitID: Int64?, summary: String, leadID: Int64?, caseID: Int64?) {
        self.unitID = unitID
        self.summary = summary
        self.leadID = leadID
        self.caseID = caseID
    }
}

public struct MajorRiskDraft: Sendable {
    public var unitID: Int64?
    public var summary: String?
    public var leadID: Int64?
    public var caseID: Int64?

    public init(unitID: Int64? = nil, summary: String? = nil, leadID: Int64? = nil, caseID: Int64? = nil) {
        self.unitID = unitID
        self.summary = summary
        self.leadID = leadID
        self.caseID = caseID
    }

    public static let summaryLimit = 1000

    public func validate() -> Result<MajorRisk, ValidationFailure> {
        var errors: [FieldError] = []
        let summary = (self.summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.isEmpty {
            errors.append(FieldError("summary", "is required"))
        } else if summary.count > Self.summaryLimit {
            errors.append(FieldError("summary", "is longer than \(Self.summaryLimit) characters"))
        }
        if leadID != nil && caseID != nil { errors.append(FieldError("case_id", "name a lead or a case, not both")) }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(MajorRisk(unitID: unitID, summary: summary, leadID: leadID, caseID: caseID))
    }
}
