import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// The grid worker's phone page (`/field`): a static shell, its script, style, service worker and
    /// manifest, and `GET /api/v1/me`, which tells the page who is signed in and until when. The shell
    /// carries no one's data, so the service worker may keep it; everything personal comes from the API.
    static func addFieldRoutes(to router: inout Router<Route>) {
        router.add("GET", "/field", Route(access: .anyone) { _, _, _ in
            FieldPage.response(FieldPage.shell, type: "text/html; charset=utf-8", headers: FieldPage.pageHeaders)
        })
        for asset in FieldPage.assets {
            router.add("GET", asset.path, Route(access: .anyone) { _, _, _ in
                FieldPage.response(asset.body, type: asset.type, headers: asset.headers)
            })
        }
        router.add("GET", "/api/v1/me", Route(access: .staff) { app, _, context in
            let user = try context.staff()
            let grids = user.role.worksInGrids ? try app.store.householdGrids(for: user) : []
            // Only the page needs the key pair: a grid worker's signed-in session.
            let key = context.session != nil && user.role.worksInGrids ? try app.store.fieldKey(userID: user.id) : nil
            return try json(200, MeView(user: user, unitName: try app.store.unitName(user.unitID), grids: grids.map(MeGridView.init),
                                        session: context.session, fieldKey: key.map(FieldKeyView.init)))
        })
    }
}

/// Who is signed in, as the field page needs it; `csrf_token` and `session_expires_at` only for a
/// console session (a token has neither).
struct MeView: ResponseBody {
    let id: Int64
    let username: String
    let displayName: String
    let role: String
    let unitID: Int64
    let unitName: String
    let grids: [MeGridView]
    let csrfToken: String?
    let sessionExpiresAt: Date?
    let fieldKey: FieldKeyView?

    init(user: StaffUser, unitName: String, grids: [MeGridView], session: StaffSession?, fieldKey: FieldKeyView?) {
        id = user.id
        username = user.username
        displayName = user.displayName
        role = user.role.rawValue
        unitID = user.unitID
        self.unitName = unitName
        self.grids = grids
        csrfToken = session?.csrfToken
        sessionExpiresAt = session?.expiresAt
        self.fieldKey = fieldKey
    }

    enum CodingKeys: String, CodingKey {
        case id, username, role, grids
        case displayName = "display_name", unitID = "unit_id", unitName = "unit_name", csrfToken = "csrf_token"
        case sessionExpiresAt = "session_expires_at", fieldKey = "field_key"
    }
}

/// The field page's key pair as a JSON Web Key: the page keeps `x`/`y` to encrypt what it saves, and
/// uses `d` in memory only, to read what it sends.
struct FieldKeyView: ResponseBody {
    let kty = "EC"
    let crv = "P-256"
    let x: String
    let y: String
    let d: String

    init(_ key: FieldKey) {
        (x, y, d) = (key.x, key.y, key.d)
    }

    enum CodingKeys: String, CodingKey { case kty, crv, x, y, d }
}

struct MeGridView: ResponseBody {
    let id: Int64
    let name: String
    let villageName: String

    init(_ grid: GridSummary) {
        (id, name, villageName) = (grid.id, grid.name, grid.villageName)
    }

    enum CodingKeys: String, CodingKey { case id, name, villageName = "village_name" }
}
