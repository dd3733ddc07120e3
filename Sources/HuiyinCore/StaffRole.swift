/// What a member of staff does: it decides which actions and screens are hers. Stored as its raw value.
public enum StaffRole: String, CaseIterable, Sendable {
    case operator_ = "operator", reception, handler, supervisor, leader, admin
    /// 巾帼网格员 and 妇情信息员: assigned to one or more grids (`staff_grids`), seeing only those.
    case gridWorker = "grid_worker", informationOfficer = "information_officer"

    /// Whether her place is a set of grids rather than a unit's subtree.
    public var worksInGrids: Bool { self == .gridWorker || self == .informationOfficer }
}
