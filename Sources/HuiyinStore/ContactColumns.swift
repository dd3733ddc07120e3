import HuiyinCore
import Postgres

/// The channel-specific columns of a contact row, written and read in one place: the group-commit insert
/// of new cases and the attach path of a further contact write from `all`; a case read selects `all.names`
/// and reads them back with `details`.
enum ContactColumns {
    static let all = WrittenColumns<ChannelDetails>([
        WrittenColumn("sub_line", "text") { if case .call(let line) = $0 { line } else { nil } },
        WrittenColumn("letter_sender", "text") { if case .letter(let letter) = $0 { letter.sender } else { nil } },
        WrittenColumn("letter_on_behalf", "bool") { if case .letter(let letter) = $0 { letter.onBehalf ? "t" : "f" } else { nil } },
        WrittenColumn("visit_window", "text") { if case .visit(let window, _) = $0 { window } else { nil } },
        WrittenColumn("visitors", "int4") { if case .visit(_, let count) = $0 { String(count) } else { nil } },
    ])

    /// A stored contact's details (the table's CHECKs make each channel's columns present); who wrote a
    /// letter only for a reader inside the case (`opened`).
    static func details(_ row: PostgresRow, channel: String, receivedOn: LocalDate, opened: Bool) throws -> ChannelDetails? {
        switch Channel(rawValue: channel) {
        case .call: return .call(subLine: try row.decode("sub_line", as: String.self))
        case .letter:
            return .letter(Letter(receivedOn: receivedOn, sender: opened ? try row.decode("letter_sender", as: String.self) : nil,
                                  onBehalf: try row.decode("letter_on_behalf", as: Bool.self)))
        case .visit:
            return .visit(window: try row.decode("visit_window", as: String.self), visitors: try row.decode("visitors", as: Int.self))
        case .online: return .online
        case nil: return nil
        }
    }
}
