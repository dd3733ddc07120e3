import Foundation
import HuiyinCore
import Postgres

/// Which rows of the key-household register a list, a page or an export asks for.
public struct HouseholdFilter: Sendable, Equatable {
    public var gridID: Int64?
    /// Filters by what a list row shows: a sealed row shows neither, so these never match one.
    public var category: HouseholdCategory?
    public var colour: HouseholdColour?
    /// Only households whose classification review day has passed (复核到期).
    public var reviewDue = false
    /// Keyset paging: rows with a smaller id.
    public var beforeID: Int64?
    public var limit = 200

    public init(gridID: Int64? = nil, category: HouseholdCategory? = nil, colour: HouseholdColour? = nil,
                reviewDue: Bool = false, beforeID: Int64? = nil, limit: Int = 200) {
        self.gridID = gridID
        self.category = category
        self.colour = colour
        self.reviewDue = reviewDue
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// A grid whose register she may see, with its profile and how its register stands.
public struct GridSummary: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let name: String
    public let villageName: String
    public let profile: GridProfile?
    public let households: Int
    /// Not sealed, review day passed: what the list shows as 复核到期.
    public let reviewDue: Int
}

/// One entry of a household's classification history, with the name of who set it.
public struct HouseholdClassificationEntry: Sendable, Equatable {
    public let classification: HouseholdClassification
    public let setBy: Int64
    public let setByName: String
    public let setAt: Date
}

extension Store {
    /// The register rows the filter asks for, newest first, masked as every list is.
    public func households(_ filter: HouseholdFilter, for user: StaffUser) throws -> [HouseholdListItem] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT h.id, h.grid_id, gu.name AS grid_name, h.sealed, h.address, h.head_name, h.phone,
                       array_to_string(h.categories, ',') AS categories, h.grade, h.colour, h.review_on,
                       h.flagged_at, h.flag_reason
                FROM households h JOIN units gu ON gu.id = h.grid_id, v
                WHERE \(fragment: householdConditions(filter)) AND \(unescaped: HouseholdScope.inScope)
                ORDER BY h.id DESC LIMIT \(max(1, filter.limit))
                """).rows.map(Self.householdListItem)
        }
    }

    /// How many rows the filter matches (paging aside).
    public func countHouseholds(_ filter: HouseholdFilter, for user: StaffUser) throws -> Int {
        var all = filter
        all.beforeID = nil
        return try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT count(*) AS n FROM households h JOIN units gu ON gu.id = h.grid_id, v
                WHERE \(fragment: householdConditions(all)) AND \(unescaped: HouseholdScope.inScope)
                """).first!.decode("n", as: Int.self)
        }
    }

    /// The filter as SQL over `h`. A category, colour or review filter matches unsealed rows only:
    /// a sealed household's list row shows none of them, so filtering on them must not reveal them.
    func householdConditions(_ filter: HouseholdFilter) -> PostgresQuery {
        let today = self.today
        return """
            (\(filter.gridID)::bigint IS NULL OR h.grid_id = \(filter.gridID))
            AND (\(filter.beforeID)::bigint IS NULL OR h.id < \(filter.beforeID))
            AND (\(filter.category?.rawValue)::text IS NULL OR (NOT h.sealed AND \(filter.category?.rawValue)::text = ANY (h.categories)))
            AND (\(filter.colour?.rawValue)::text IS NULL OR (NOT h.sealed AND h.colour = \(filter.colour?.rawValue)))
            AND (NOT \(filter.reviewDue)::boolean OR (NOT h.sealed AND h.review_on < \(today)))
            """
    }

    static func householdListItem(_ row: PostgresRow) throws -> HouseholdListItem {
        let sealed = try row.decode("sealed", as: Bool.self)
        return HouseholdListItem(
            id: try row.decode("id"), gridID: try row.decode("grid_id"), gridName: try row.decode("grid_name"),
            sealed: sealed,
            address: sealed ? nil : PersonalDataMask.address(try row.decode("address", as: String.self)),
            headName: sealed ? nil : PersonalDataMask.name(try row.decode("head_name", as: String.self)),
            phone: sealed ? nil : PersonalDataMask.phone(try row.decode("phone", as: String?.self)),
            categories: sealed ? [] : Self.words(try row.decode("categories")),
            grade: sealed ? nil : try row.decode("grade", as: String?.self).flatMap(HouseholdGrade.init(rawValue:)),
            colour: sealed ? nil : try row.decode("colour", as: String?.self).flatMap(HouseholdColour.init(rawValue:)),
            reviewOn: sealed ? nil : try row.decode("review_on", as: LocalDate?.self),
            flag: sealed ? nil : try Self.householdFlag(row))
    }

    /// The grids whose register she may see (a grid worker's assigned grids; anyone else's grids below
    /// her unit), by village and name, with profile and counts; at most `limit`.
    public func householdGrids(for user: StaffUser, limit: Int = 500) throws -> [GridSummary] {
        let today = self.today
        return try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT gu.id, gu.code, gu.name, vu.name AS village_name,
                       p.unit_id IS NOT NULL AS has_profile, p.households AS p_households, p.residents, p.children,
                       p.elderly_alone, p.womens_groups,
                       (SELECT count(*) FROM households h WHERE h.grid_id = gu.id) AS households,
                       (SELECT count(*) FROM households h WHERE h.grid_id = gu.id AND NOT h.sealed AND h.review_on < \(today)) AS review_due
                FROM units gu JOIN units vu ON vu.id = gu.parent_id LEFT JOIN grid_profiles p ON p.unit_id = gu.id, v
                WHERE gu.level = 'grid' AND (CASE WHEN v.role IN ('grid_worker', 'information_officer')
                      THEN EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = gu.id)
                      ELSE gu.path @> ARRAY[v.unit_id] END)
                ORDER BY vu.code, gu.code LIMIT \(limit)
                """).rows.map { row in
                let profile: GridProfile? = try row.decode("has_profile", as: Bool.self) ? GridProfile(
                    households: try row.decode("p_households", as: Int?.self), residents: try row.decode("residents", as: Int?.self),
                    children: try row.decode("children", as: Int?.self), elderlyAlone: try row.decode("elderly_alone", as: Int?.self),
                    womensGroups: try row.decode("womens_groups", as: String?.self)) : nil
                return GridSummary(id: try row.decode("id"), code: try row.decode("code"), name: try row.decode("name"),
                                   villageName: try row.decode("village_name"), profile: profile,
                                   households: try row.decode("households"), reviewDue: try row.decode("review_due"))
            }
        }
    }

    /// A household's classifications, newest first, with who set each: only for a household she may
    /// open (empty otherwise). Read together with `readHousehold`, which records the read.
    public func householdClassificationHistory(id: Int64, for user: StaffUser) throws -> [HouseholdClassificationEntry] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT c.grade, c.colour, c.reason, c.review_on, c.set_by, c.set_at, u.display_name
                FROM households h JOIN units gu ON gu.id = h.grid_id
                     JOIN household_classifications c ON c.household_id = h.id JOIN users u ON u.id = c.set_by, v
                WHERE h.id = \(id) AND \(unescaped: HouseholdScope.inScope) AND \(unescaped: HouseholdScope.opened)
                ORDER BY c.id DESC
                """).rows.compactMap { row in
                guard let grade = HouseholdGrade(rawValue: try row.decode("grade")),
                      let colour = HouseholdColour(rawValue: try row.decode("colour")) else { return nil }
                return HouseholdClassificationEntry(
                    classification: HouseholdClassification(grade: grade, colour: colour, reason: try row.decode("reason"),
                                                            reviewOn: try row.decode("review_on")),
                    setBy: try row.decode("set_by"), setByName: try row.decode("display_name"), setAt: try row.decode("set_at"))
            }
        }
    }
}
