import Foundation
import HuiyinCore
import HuiyinStore

/// Chinese words for the codes the API speaks, so no page shows an English word a cadre would
/// have to guess at.
enum ConsoleLabels {
    /// Event kinds in Chinese: the one mapping, `CaseEventKind`.
    static let events = Dictionary(uniqueKeysWithValues: CaseEventKind.allCases.map { ($0.rawValue, $0.label) })
    /// An event's reason as a page shows it: a system code in words, a person's text as written, an
    /// unknown code not at all.
    static func eventReason(_ reason: String?) -> String? {
        guard let reason, !reason.isEmpty else { return nil }
        return CaseEventKind.isCode(reason) ? CaseEventKind.reasonLabel(reason) : reason
    }
    static let notifications = ["due_soon": "即将到期", "reminder": "催办：已超期", "notice": "通报：超期未办", "task_overdue": "必办事项超期",
                                "leadership_proposed": "建议领导包案", "transfer_objected": "转办被退回", "seal_broken": "密封案件被紧急查看",
                                "deliberation_due_soon": "线索即将超过研判期限", "deliberation_overdue": "线索逾期未研判",
                                "dispatch_sign_due_soon": "派单即将超过签收期限", "dispatch_sign_overdue": "派单逾期未签收",
                                "follow_up_due_soon": "跟踪回访即将到期", "follow_up_overdue": "跟踪回访逾期",
                                "legal_aid_decision_due_soon": "法律援助即将到期未决定", "legal_aid_decision_overdue": "法律援助逾期未决定",
                                "protection_order_expiry_due_soon": "人身安全保护令即将到期（请协助申请延长）",
                                "protection_order_expiry_overdue": "人身安全保护令已到期失效",
                                "protection_order_violation": "违反人身安全保护令（须报警）",
                                "incident_follow_up_due_soon": "家暴警情回访即将到期", "incident_follow_up_overdue": "家暴警情逾期未回访",
                                "dispatch_received": "收到派单", "dispatch_objected": "派单被退回", "mediation_not_settled": "调解未成功",
                                "dispute_recurred": "纠纷复发", "household_flagged": "重点户因多次争吵被标记",
                                "lead_direct_report": "线索直报：须强制报告或高风险", "lead_task_overdue": "线索必办事项超期",
                                "visits_due_soon": "本月走访即将到期", "visits_overdue": "本月走访逾期未完成",
                                "early_warning": "苗头性问题预警：件数异常升高",
                                "campaign_opened": "新的专项排查", "campaign_report_due_soon": "专项排查即将截止，尚未报送",
                                "campaign_report_overdue": "专项排查逾期未报送", "campaign_major_risk": "专项排查重大风险上报"]
    static let clockStates = ["running": "计时中", "paused": "暂停", "met": "按期完成", "breached": "超期完成", "cancelled": "已取消"]
    static let tasks = ["mandatory_report": "强制报告（向公安机关报告）", "police_report": "报警", "direct_report": "直报市妇联",
                        "follow_up": "回访"]
    static let referralKinds = ["lawyer": "律师", "psychologist": "心理咨询师", "mediator": "调解员", "police": "公安机关",
                                "legal_aid": "法律援助（绿色通道）"]
    static let periods = ["morning": "上午", "afternoon": "下午", "full_day": "全天"]
    static let grades = ["low": "低风险", "medium": "中风险", "high": "高风险"]
    static let referrals = ["lawyer": "律师", "psychologist": "心理咨询师", "mediator": "调解员", "police": "公安机关",
                            "legal_aid": "法律援助（绿色通道）"]
    static let actions: [CaseAction: String] = [
        .accept: "受理", .decline: "不予受理", .transfer: "转办（交办）", .acceptTransfer: "签收转办", .objectTransfer: "对转办提出异议",
        .refer: "转介", .reply: "书面答复", .close: "办结", .followUp: "回访", .reopen: "重新办理", .requestReview: "登记复查申请",
        .decideReview: "作出复查决定", .requestRereview: "登记复核申请", .decideRereview: "作出复核决定",
    ]

    /// "集体访 12人" for a visit of 5 or more; nil otherwise.
    static func collective(_ visitors: Int?) -> String? {
        guard let visitors, visitors >= ChannelDetails.collectiveVisitThreshold else { return nil }
        return "集体访 \(visitors)人"
    }

    static func status(_ raw: String) -> String { CaseStatus(rawValue: raw)?.label ?? raw }
    static func category(_ raw: String) -> String { CaseCategory(rawValue: raw)?.label ?? raw }
    static func clock(_ raw: String) -> String { ClockKind(rawValue: raw)?.label ?? raw }
    static func channel(_ raw: String) -> String { Channel(rawValue: raw)?.label ?? raw }

    static func time(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// A deadline instant. One at local midnight is the end of the day before and shows as that day
    /// ("2026-12-07", not "2026-12-08 00:00"); any other shows with its time.
    static func deadline(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        guard c.hour == 0, c.minute == 0, c.second == 0 else { return time(date, in: zone) }
        return String(time(date.addingTimeInterval(-1), in: zone).prefix(10))
    }

    /// The office's zone as staff say it.
    static func zoneName(_ zone: TimeZone) -> String {
        ["Asia/Shanghai": "北京时间", "Asia/Chongqing": "北京时间", "Asia/Urumqi": "乌鲁木齐时间", "Asia/Hong_Kong": "香港时间"][zone.identifier] ?? "当地时间"
    }

    /// What a completed report recorded (the task's detail JSON).
    private struct ReportDetail: Decodable {
        let reportedAt: String?
        let station: String?
        let receiptNo: String?
        let reportedTo: String?

        enum CodingKeys: String, CodingKey {
            case reportedAt = "reported_at", station, receiptNo = "receipt_no", reportedTo = "reported_to"
        }
    }

    /// A completed report as recorded: when the police took it, where, the receipt; or to whom it went.
    static func reportDetail(_ json: String, in zone: TimeZone) -> String {
        guard let detail = try? JSONDecoder().decode(ReportDetail.self, from: Data(json.utf8)) else { return "" }
        return [
            detail.reportedAt.map { "报案时间 " + (ReportedTime.parse($0, in: zone).map { time($0, in: zone) } ?? $0) },
            detail.station, detail.receiptNo.map { "回执编号 " + $0 }, detail.reportedTo.map { "报送 " + $0 },
        ].compactMap { $0 }.joined(separator: " · ")
    }

    /// "还剩 3 个工作日" / "今日到期" / "已超期 2 个工作日".
    static func countdown(_ workingDays: Int) -> (text: String, style: String) {
        if workingDays > 3 { return ("还剩 \(workingDays) 个工作日", "") }
        if workingDays > 0 { return ("还剩 \(workingDays) 个工作日", "soon") }
        if workingDays == 0 { return ("今日到期", "soon") }
        return ("已超期 \(-workingDays) 个工作日", "late")
    }

    /// A problem a console action ran into, said in Chinese.
    static func problem(_ error: Error, retryAfter: Int) -> String {
        APIError.from(error, retryAfter: retryAfter).consoleText
    }

    /// The field a 422 names, in Chinese: the case page's messages and the console script (which reads
    /// `fieldLabelsJSON` from the page) both say it from this one table.
    /// A list item's field (`unit_ids[2]`) is said as its list.
    static func fieldLabel(_ field: String) -> String {
        fieldLabels[field] ?? fieldLabels[String(field.prefix { $0 != "[" })] ?? "输入项"
    }

    static let fieldLabels = [
        // Case-page actions, tasks, referrals, the roster and progress reports.
        "reason": "理由", "text": "内容", "unit_id": "承办单位", "decision": "意见", "limit": "延长期限", "approver": "批准人",
        "leader_id": "包案领导", "handler_id": "承办人", "referred_to": "转介对象", "mediation_body_id": "调解组织", "reopen": "重新办理", "method": "回访方式",
        "satisfaction": "满意度", "reported_at": "报案时间", "station": "派出所", "receipt_no": "回执编号",
        "reported_to": "报送对象", "outcome": "转介结果", "report_reason": "强制报告情形", "day": "日期", "user_id": "接访干部", "period": "时段",
        "note": "进展情况",
        // Dispatch, mediation outcomes and follow-ups of the grassroots network.
        "risk_grade": "风险等级", "next_step": "下一步措施", "made_on": "回访日期", "result": "结果", "notes": "情况记录",
        // Calls, visits and letters recorded by the console script through POST /api/v1/contacts.
        "summary": "诉求摘要", "category": "类别", "petitioner.phone": "电话", "petitioner.name": "姓名",
        "petitioner.id_number": "身份证号", "letter.received_on": "收信日期", "letter.sender": "寄信人", "visit.window": "接待窗口",
        "visit.visitors": "来访人数", "case_id": "原案件", "file": "扫描件",
        "victim": "当事人（追加到原案件时不填）", "victim.relation": "当事人关系", "victim.age": "当事人年龄",
        "victim.birth_date": "当事人出生日期",
        // Personal-safety protection orders, their extensions and violations.
        "court": "作出法院", "order_no": "文书编号", "protected_person": "受保护人", "household_member_id": "受保护的家庭成员",
        "issued_on": "作出日期", "effective_from": "生效日期", "expires_on": "到期日期", "measures": "保护措施",
        "other_measure": "其他措施内容", "ruled_on": "法院裁定日期", "occurred_on": "发生日期", "what": "违反情况",
        // A screening campaign's report (专项排查).
        "found": "排查发现数", "settled": "化解数", "major_risks": "重大风险上报数",
        "topic": "排查主题", "starts_on": "开始日期", "ends_on": "结束日期", "unit_ids": "参与单位", "report_items": "报送事项",
        "risk_summary": "风险情况", "matter": "关联的线索或案件",
        // A police incident's phone follow-up (家暴警情回访).
        "reached": "是否联系上当事人", "said": "回访情况", "needs": "当事人需求", "risk_answers": "危险评估", "open": "后续处理",
        "grid_id": "转网格跟进时的网格",
    ]

    /// `fieldLabels` as JSON for a `<script type="application/json">` data block: `<`, `>` and `&` are
    /// escaped so no label can end the block early.
    static let fieldLabelsJSON: String = {
        let data = (try? JSONSerialization.data(withJSONObject: fieldLabels, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }()
}

extension HuiyinApp {
    /// Her unit and those below it, indented by depth, for unit pickers.
    func unitOptions(_ user: StaffUser, selected: Int64? = nil) throws -> [UnitOption] {
        try store.unitsInScope(of: user).map {
            UnitOption(id: $0.id, name: $0.name, indent: String(repeating: "　", count: $0.depth), selected: $0.id == selected)
        }
    }

    /// Whose matter it is, "本人" first (the default).
    func victimRelationOptions(selected: String? = nil) -> [ChoiceOption] {
        VictimRelation.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    func categoryOptions(selected: String? = nil) -> [ChoiceOption] {
        CaseCategory.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    /// A list row for the console tables.
    func rowContext(_ item: CaseListItem, dueOn: LocalDate? = nil) throws -> CaseRowView {
        var row = CaseRowView(
            id: item.id, tracking_no: item.trackingNo, category: ConsoleLabels.category(item.category),
            status: ConsoleLabels.status(item.status), unit: item.unitName, masked: item.masked,
            name: item.petitionerName ?? "", phone: PersonalDataMask.phone(item.petitionerPhone) ?? "", summary: item.summary ?? "",
            collective: ConsoleLabels.collective(item.visitors))
        if let dueOn {
            let (text, style) = ConsoleLabels.countdown(try store.workingDaysLeft(until: dueOn))
            row.due = text
            row.due_class = style
        }
        return row
    }
}
