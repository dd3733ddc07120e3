/// What a member of staff does: it decides which actions and screens are hers. Stored as its raw value.
public enum StaffRole: String, CaseIterable, Sendable {
    case operator_ = "operator", reception, handler, supervisor, leader, admin
}
