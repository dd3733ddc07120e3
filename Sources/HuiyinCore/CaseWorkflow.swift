/// Where a case stands in its lawful path: 登记 → 受理/不予受理 → 转办 → 办理 → 答复 → 办结 → 回访,
/// then possibly 复查 and 复核 at the level above.
public enum CaseStatus: String, CaseIterable, Sendable {
    case registered
    case accepted
    case declined
    /// Sent to a unit below, which accepts it or objects within its deadline.
    case transferred
    /// The written reply (答复意见书) has gone out.
    case replied
    case closed
    /// The petitioner came back after closure, or a follow-up found her unsatisfied.
    case reopened
    /// 复查 requested at the level above.
    case reviewing
    /// 复核 requested.
    case rereviewing

    public var label: String {
        switch self {
        case .registered: return "已登记"
        case .accepted: return "已受理"
        case .declined: return "不予受理"
        case .transferred: return "已转办待签收"
        case .replied: return "已答复"
        case .closed: return "已办结"
        case .reopened: return "重新办理"
        case .reviewing: return "复查中"
        case .rereviewing: return "复核中"
        }
    }

    /// Statuses in which someone still owes the petitioner work.
    public var isOpen: Bool { ![.declined, .closed].contains(self) }
}

/// What staff do to a case. Each action records one case event; the rule set's clocks start and
/// stop on those events.
public enum CaseAction: String, CaseIterable, Sendable {
    case accept, decline, transfer
    case acceptTransfer = "accept_transfer"
    case objectTransfer = "object_transfer"
    case refer, reply, close
    case followUp = "follow_up"
    case reopen
    case requestReview = "request_review"
    case decideReview = "decide_review"
    case requestRereview = "request_rereview"
    case decideRereview = "decide_rereview"

    /// The case event the action records.
    public var event: CaseEventKind {
        switch self {
        case .accept: return .accepted
        case .decline: return .declined
        case .transfer: return .transferred
        case .acceptTransfer: return .transferAccepted
        case .objectTransfer: return .transferObjected
        case .refer: return .referred
        case .reply: return .replied
        case .close: return .closed
        case .followUp: return .followedUp
        case .reopen: return .reopened
        case .requestReview: return .reviewRequested
        case .decideReview: return .reviewDecided
        case .requestRereview: return .rereviewRequested
        case .decideRereview: return .rereviewDecided
        }
    }

    /// The roles that may take it (within their scope). Operators and reception cadres record what
    /// reaches them (referrals, follow-up calls, a petitioner's review request); handling decisions
    /// belong to handlers, supervisors and the leaders who own cases; review decisions to supervisors.
    public var roles: Set<StaffRole> {
        switch self {
        case .accept, .decline, .transfer, .acceptTransfer, .objectTransfer, .reply, .close:
            return [.handler, .supervisor, .leader]
        case .refer, .followUp, .reopen, .requestReview, .requestRereview:
            return [.operator_, .reception, .handler, .supervisor, .leader]
        case .decideReview, .decideRereview:
            return [.supervisor]
        }
    }
}

/// The lawful transitions, as a table. A pair not in it is refused (409).
public enum CaseWorkflow {
    /// `(from, action, to)`; `to == nil` means "back to the status before the transfer".
    public static let transitions: [(from: CaseStatus, action: CaseAction, to: CaseStatus?)] = {
        var table: [(CaseStatus, CaseAction, CaseStatus?)] = [
            (.registered, .accept, .accepted), (.reopened, .accept, .accepted),
            (.registered, .decline, .declined), (.reopened, .decline, .declined),
            (.registered, .transfer, .transferred), (.accepted, .transfer, .transferred), (.reopened, .transfer, .transferred),
            (.transferred, .acceptTransfer, nil), (.transferred, .objectTransfer, nil),
            (.accepted, .reply, .replied),
            (.replied, .close, .closed),
            (.closed, .reopen, .reopened),
            (.replied, .requestReview, .reviewing), (.closed, .requestReview, .reviewing),
            (.reviewing, .decideReview, .closed),
            (.closed, .requestRereview, .rereviewing),
            (.rereviewing, .decideRereview, .closed),
        ]
        // Actions that leave the status as it is.
        for status: CaseStatus in [.registered, .accepted, .transferred, .reopened, .replied] {
            table.append((status, .refer, status))
        }
        for status: CaseStatus in [.accepted, .replied, .closed, .reviewing, .rereviewing] {
            table.append((status, .followUp, status))
        }
        return table
    }()

    /// The status after `action`, or nil if the action is not allowed from `status`.
    /// `prior` is the status a transferred case had before it was sent down.
    public static func next(_ status: CaseStatus, _ action: CaseAction, prior: CaseStatus? = nil) -> CaseStatus? {
        guard let entry = transitions.first(where: { $0.from == status && $0.action == action }) else { return nil }
        return entry.to ?? prior ?? .registered
    }

    /// The actions allowed from `status`, for the case page.
    public static func actions(from status: CaseStatus) -> [CaseAction] {
        CaseAction.allCases.filter { action in transitions.contains { $0.from == status && $0.action == action } }
    }
}
