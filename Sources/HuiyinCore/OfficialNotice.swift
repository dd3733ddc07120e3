/// The written documents a petition office issues to the petitioner. (Not to be confused with
/// `OfficialNotices`, the State Council's holiday notices.)
public enum NoticeKind: String, Sendable, CaseIterable {
    case acceptance = "acceptance_notice"   // 受理告知书
    case decline = "decline_notice"         // 不予受理告知书
    case reply = "reply"                    // 答复意见书
    case reviewOpinion = "review_opinion"   // 复查意见书 (Art. 35)
    case rereviewOpinion = "rereview_opinion"  // 复核意见书 (Art. 36)

    public var title: String {
        switch self {
        case .acceptance: return "受理告知书"
        case .decline: return "不予受理告知书"
        case .reply: return "答复意见书"
        case .reviewOpinion: return "复查意见书"
        case .rereviewOpinion: return "复核意见书"
        }
    }

    /// The character(s) that mark the kind in the document number (文号).
    public var numberMark: String {
        switch self {
        case .acceptance: return "受"
        case .decline: return "不受"
        case .reply: return "复"
        case .reviewOpinion: return "复查"
        case .rereviewOpinion: return "复核"
        }
    }
}

/// What a notice says, gathered by the caller from the case; the text is built from it once and
/// stored as issued, so a later edit of the case never changes a document already sent.
public struct NoticeFacts: Sendable {
    /// nil or empty → "信访人" (anonymous petitions get notices too).
    public var petitionerName: String?
    public var trackingNo: String
    public var receivedOn: LocalDate
    /// How the matter came in, e.g. "12338热线来电".
    public var channelLabel: String
    public var categoryLabel: String
    /// The issuing unit, e.g. "宜昌市妇联".
    public var unitName: String
    /// The unit above the issuing one, where the next step (复查 after a reply, 复核 after a review) is
    /// requested; nil at the top of the configured tree.
    public var reviewUnitName: String?
    /// Review opinions: the unit whose decision was reviewed (the one that replied, or that decided the 复查).
    public var reviewedUnitName: String?
    /// Review opinions: upheld or changed.
    public var decision: ReviewDecision?
    public var issuedOn: LocalDate
    /// Days to close an accepted matter, e.g. 60 (信访工作条例 Art. 34); configuration, not code.
    public var handlingLimitDays: Int
    /// The handling limit this case actually runs under (a high-risk case's is shorter), as the
    /// acceptance notice states it; `.days(handlingLimitDays)` unless set.
    public var handlingLimit: DeadlineLimit {
        get { handlingLimitSet ?? .days(handlingLimitDays) }
        set { handlingLimitSet = newValue }
    }
    private var handlingLimitSet: DeadlineLimit?
    /// The longest extension of the handling limit the rules allow; nil: the notice promises none.
    public var handlingExtension: DeadlineLimit?
    /// Was she given the query code (shown or told at intake)? Only then does a notice mention it: a
    /// letter writer never got one, and the code is kept only as a hash, so no notice can print it.
    public var queryCodeGiven: Bool
    /// Decline: why. Reply: the handling opinion written by the handler.
    public var reason: String?

    public init(petitionerName: String?, trackingNo: String, receivedOn: LocalDate, channelLabel: String,
                categoryLabel: String, unitName: String, reviewUnitName: String?, issuedOn: LocalDate,
                handlingLimitDays: Int, reason: String?, handlingExtension: DeadlineLimit? = .days(30),
                queryCodeGiven: Bool = false, reviewedUnitName: String? = nil, decision: ReviewDecision? = nil) {
        self.petitionerName = petitionerName
        self.trackingNo = trackingNo
        self.receivedOn = receivedOn
        self.channelLabel = channelLabel
        self.categoryLabel = categoryLabel
        self.unitName = unitName
        self.reviewUnitName = reviewUnitName
        self.issuedOn = issuedOn
        self.handlingLimitDays = handlingLimitDays
        self.handlingExtension = handlingExtension
        self.queryCodeGiven = queryCodeGiven
        self.reviewedUnitName = reviewedUnitName
        self.decision = decision
        self.reason = reason
    }
}

/// What a review (复查) or re-review (复核) decided about the decision before it.
public enum ReviewDecision: String, Sendable, CaseIterable {
    case upheld, changed
    public var label: String { self == .upheld ? "维持原意见" : "变更原意见" }
}

public enum OfficialNoticeText {
    /// Document number (文号): "<unit>信<mark>〔<year>〕<serial>号", e.g. "宜昌市妇联信受〔2026〕15号".
    public static func number(unitName: String, kind: NoticeKind, year: Int, serial: Int) -> String {
        "\(unitName)信\(kind.numberMark)〔\(year)〕\(serial)号"
    }

    /// Facts a notice of this kind cannot be issued without; check before issuing, since `body`
    /// always returns a text (a missing reason shows as "（未填写）" rather than vanishing).
    public static func problems(_ kind: NoticeKind, _ facts: NoticeFacts) -> [FieldError] {
        var errors: [FieldError] = []
        if blank(facts.trackingNo) { errors.append(FieldError("tracking_no", "is required")) }
        if blank(facts.unitName) { errors.append(FieldError("unit_name", "is required")) }
        if blank(facts.channelLabel) { errors.append(FieldError("channel_label", "is required")) }
        if blank(facts.categoryLabel) { errors.append(FieldError("category_label", "is required")) }
        if facts.issuedOn < facts.receivedOn { errors.append(FieldError("issued_on", "must not be before received_on")) }
        switch kind {
        case .acceptance:
            if facts.handlingLimitDays < 1 { errors.append(FieldError("handling_limit_days", "must be at least 1")) }
        case .decline:
            if blank(facts.reason) { errors.append(FieldError("reason", "a decline must give its reason")) }
        case .reply:
            if blank(facts.reason) { errors.append(FieldError("reason", "a reply must contain the handling opinion")) }
        case .reviewOpinion, .rereviewOpinion:
            if blank(facts.reason) { errors.append(FieldError("text", "a review opinion must give its reasons")) }
            if facts.decision == nil { errors.append(FieldError("decision", "must be upheld or changed")) }
        }
        return errors
    }

    /// The body text, paragraphs separated by "\n\n": salutation, what was received when and how,
    /// the decision with its kind's own content, "特此告知/答复", and last the unit name and the
    /// issue date on two lines. Paragraphs are not indented: layout is the printer's job.
    public static func body(_ kind: NoticeKind, _ facts: NoticeFacts) -> String {
        let name = trimmed(facts.petitionerName ?? "")
        let reason = sentence(facts.reason)
        let matter = "你于\(facts.receivedOn.chineseText)以\(facts.channelLabel)方式反映的\(facts.categoryLabel)方面的问题"
            + "（信访编号：\(facts.trackingNo)）"
        var paragraphs = [(name.isEmpty ? "信访人" : name) + "："]
        switch kind {
        case .acceptance:
            paragraphs += [
                "\(matter)，本单位已收悉。经审查，该事项属于本单位职责范围，根据《信访工作条例》的有关规定，决定予以受理。",
                "根据《信访工作条例》第三十四条的规定，本单位将自受理之日起\(facts.handlingLimit.label)内办结，并将办理意见书面答复你。"
                    + (facts.handlingExtension.map { "情况复杂的，经本单位负责人批准，可以适当延长办理期限，延长期限不超过\($0.label)，并将延期理由告知你。" } ?? ""),
                "你可凭信访编号\(facts.trackingNo)向本单位查询办理进度"
                    + (facts.queryCodeGiven ? "，也可凭信访编号和登记时告知你的查询码，在网上信访平台查询。" : "。"),
                "特此告知。",
            ]
        case .decline:
            paragraphs += [
                "\(matter)，本单位已收悉。经审查，根据《信访工作条例》的有关规定，本单位决定不予受理。理由如下：\(reason)",
                "对依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项，请依照有关法律、行政法规规定的程序向有关机关提出；"
                    + "属于其他机关、单位职责范围的，请向有权处理的机关、单位提出。"
                    + "如正在遭受家庭暴力或面临人身危险，请立即拨打110报警；也可拨打12338妇女维权公益服务热线寻求帮助。",
                "特此告知。",
            ]
        case .reply:
            // At the top of the configured tree the right still exists; name it generically rather than drop it.
            let reviewUnit = facts.reviewUnitName.map(trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? "本单位的上一级机关、单位"
            paragraphs += [
                "\(matter)，本单位已依法受理并办理。现答复如下：",
                reason,
                "如对本答复意见不服，根据《信访工作条例》第三十五条的规定，你可以自收到本答复意见书之日起30日内，向\(reviewUnit)请求复查。",
                "特此答复。",
            ]
        case .reviewOpinion, .rereviewOpinion:
            let review = kind == .reviewOpinion
            let reviewed = facts.reviewedUnitName.map(trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? "原办理机关、单位"
            let next = facts.reviewUnitName.map(trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? "本机关的上一级机关、单位"
            paragraphs += [
                "你对\(reviewed)就你反映的\(facts.categoryLabel)方面的问题（信访编号：\(facts.trackingNo)）作出的"
                    + (review ? "答复意见" : "复查意见") + "不服，请求" + (review ? "复查" : "复核") + "。本机关已依法"
                    + (review ? "复查" : "复核") + "，现提出" + (review ? "复查" : "复核") + "意见如下：",
                (facts.decision?.label ?? "（未填写）") + "。" + reason,
                review
                    ? "如对本复查意见不服，根据《信访工作条例》第三十六条的规定，你可以自收到本复查意见书之日起30日内，向\(next)请求复核。"
                    : "根据《信访工作条例》第三十六条的规定，本复核意见为最终意见。你对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理。",
                "特此答复。",
            ]
        }
        paragraphs.append(facts.unitName + "\n" + facts.issuedOn.chineseText)
        return paragraphs.joined(separator: "\n\n")
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private static func blank(_ text: String?) -> Bool { trimmed(text ?? "").isEmpty }

    /// The handler's text as a closed sentence, so the next paragraph does not run on from it.
    private static func sentence(_ text: String?) -> String {
        let text = trimmed(text ?? "")
        guard let last = text.last else { return "（未填写）" }
        return "。！？；”」）".contains(last) ? text : text + "。"
    }
}
