/// Every kind of case event the store writes, with the words the console shows for it. One mapping
/// for every page (a test checks the store writes no kind outside it).
public enum CaseEventKind: String, Sendable, CaseIterable {
    case registered, contactAdded = "contact_added", reopened, accepted, declined, transferred
    case transferAccepted = "transfer_accepted", transferObjected = "transfer_objected", referred
    case referralOutcome = "referral_outcome", replied, closed, followedUp = "followed_up"
    case reviewRequested = "review_requested", reviewDecided = "review_decided"
    case rereviewRequested = "rereview_requested", rereviewDecided = "rereview_decided"
    case extended, leaderAssigned = "leader_assigned", leaderProgress = "leader_progress"
    case clockPaused = "clock_paused", clockResumed = "clock_resumed", deadlineDueSoon = "deadline_due_soon"
    case reminderSent = "reminder_sent", noticeIssued = "notice_issued", leadershipProposed = "leadership_proposed"
    case handlerAssigned = "handler_assigned", sealed, riskAssessed = "risk_assessed"
    case mandatoryReportRequired = "mandatory_report_required", taskCompleted = "task_completed", taskOverdue = "task_overdue"
    case attachmentAdded = "attachment_added"
    case protectionOrderRecorded = "protection_order_recorded", protectionOrderExtended = "protection_order_extended"
    case protectionOrderViolated = "protection_order_violated"

    public var label: String {
        switch self {
        case .registered: return "登记"
        case .contactAdded: return "再次来信来访"
        case .reopened: return "重新办理"
        case .accepted: return "受理"
        case .declined: return "不予受理"
        case .transferred: return "转办"
        case .transferAccepted: return "签收转办"
        case .transferObjected: return "对转办提出异议"
        case .referred: return "转介"
        case .referralOutcome: return "转介结果"
        case .replied: return "书面答复"
        case .closed: return "办结"
        case .followedUp: return "回访"
        case .reviewRequested: return "申请复查"
        case .reviewDecided: return "复查决定"
        case .rereviewRequested: return "申请复核"
        case .rereviewDecided: return "复核决定"
        case .extended: return "延长期限"
        case .leaderAssigned: return "领导包案"
        case .leaderProgress: return "包案进展"
        case .clockPaused: return "暂停计时"
        case .clockResumed: return "恢复计时"
        case .deadlineDueSoon: return "即将到期提醒"
        case .reminderSent: return "催办"
        case .noticeIssued: return "通报"
        case .leadershipProposed: return "建议领导包案"
        case .handlerAssigned: return "指定承办人"
        case .sealed: return "密封"
        case .riskAssessed: return "危险评估"
        case .mandatoryReportRequired: return "强制报告事项"
        case .taskCompleted: return "已报告"
        case .taskOverdue: return "必办事项超期"
        case .attachmentAdded: return "上传扫描件"
        case .protectionOrderRecorded: return "登记人身安全保护令"
        case .protectionOrderExtended: return "人身安全保护令延长"
        case .protectionOrderViolated: return "违反人身安全保护令（风险升为高）"
        }
    }

    /// The words for a reason the system writes as a code (a task's or a proposal's ground); nil for
    /// anything else, which is a person's own text.
    public static func reasonLabel(_ code: String) -> String? {
        if let reason = MandatoryReportReason(rawValue: code) { return reason.label }
        switch code {
        case "repeat_petition": return "同一事项多次来信来访"
        case "high_risk": return "高风险家庭暴力案件"
        default:
            if code.hasPrefix("protection_order_violation_") { return "违反人身安全保护令" }
            // high_risk_7d, high_risk_30d …: the follow-ups a high-risk case is owed.
            if code.hasPrefix("high_risk_"), let limit = DeadlineLimit(String(code.dropFirst("high_risk_".count))) {
                return "高风险案件回访（第\(limit.label)）"
            }
            return nil
        }
    }

    /// A code the system wrote (lower-case ASCII words joined by _), as opposed to a person's text.
    public static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
