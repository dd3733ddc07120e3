/// The four ways a matter reaches the federation.
public enum Channel: String, CaseIterable, Sendable {
    case call      // 12338 来电
    case letter    // 来信
    case visit     // 来访
    case online    // 网上信访

    public var label: String {
        switch self {
        case .call: return "来电"
        case .letter: return "来信"
        case .visit: return "来访"
        case .online: return "网上信访"
        }
    }
}

/// What is recorded about a contact besides its summary, by channel.
public enum ChannelDetails: Equatable, Sendable {
    /// A hotline call on a sub-line (main line, professional or regional); the operator is the logged-in user.
    case call(subLine: String)
    /// A letter: counted from the day it was received, which may be days before it is logged.
    case letter(Letter)
    /// A walk-in visit at a reception window; 5 or more visitors make it a collective petition (集体访).
    case visit(window: String, visitors: Int)
    /// Filed by the petitioner herself on the public page.
    case online

    public var channel: Channel {
        switch self {
        case .call: return .call
        case .letter: return .letter
        case .visit: return .visit
        case .online: return .online
        }
    }

    public static let collectiveVisitThreshold = 5

    /// The head count of a visit; nil on the other channels.
    public var visitors: Int? {
        if case .visit(_, let visitors) = self { return visitors }
        return nil
    }

    public var isCollective: Bool { (visitors ?? 0) >= Self.collectiveVisitThreshold }
}
