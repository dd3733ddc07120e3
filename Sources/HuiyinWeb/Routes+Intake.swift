import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addIntakeRoutes(to router: inout Router<Route>) {
        // A call, letter or visit logged by staff, on a new case or an existing one.
        router.add("POST", "/api/v1/contacts", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            return try app.recordIntake(request, source: .staff, actor: .staff(user), defaultUnitID: user.unitID,
                                    idempotencyScope: "user:\(user.id)", scope: user)
        })
        // The configured 12338 sub-lines, as the call screen offers them.
        router.add("GET", "/api/v1/sub-lines", Route(access: .staff) { app, _, _ in
            try json(200, SubLinesView(subLines: try app.store.subLines().map(SubLineView.init)))
        })
        // An online petition from the public page: no login.
        router.add("POST", "/api/v1/petitions", Route(access: .anyone) { app, request, _ in
            guard let unitID = try app.configuration.publicUnitID ?? app.store.rootUnit()?.id else {
                throw APIError(status: 503, code: "not_configured", message: "No unit accepts online petitions yet.",
                               consoleText: ConsoleText.databaseAway)
            }
            return try app.recordIntake(request, source: .publicPetition, actor: .petitioner, defaultUnitID: unitID,
                                    idempotencyScope: "public")
        })
    }

    private func recordIntake(_ request: Request, source: IntakeSource, actor: Actor, defaultUnitID: Int64,
                              idempotencyScope: String, scope user: StaffUser? = nil) throws -> Response {
        let draft = try IntakeRequest.draft(from: try jsonBody(request), source: source)
        let (receipt, replayed) = try submitIntake(draft, source: source, actor: actor, defaultUnitID: defaultUnitID,
                                                   idempotency: try idempotencyKey(request, scope: idempotencyScope), scope: user)
        var response = try json(201, IntakeReceiptView(receipt))
        response.headers.append(("Location", "/api/v1/cases/\(receipt.caseID)"))
        if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
        return response
    }

    /// Validates and records an intake, for the API and the console alike. Staff may file only under a
    /// unit of their subtree and attach only to a case in it (otherwise 422 / 404, as for any read).
    func submitIntake(_ draft: IntakeRequest.Parsed, source: IntakeSource, actor: Actor, defaultUnitID: Int64,
                      idempotency: IdempotencyKey?, scope user: StaffUser?) throws -> (IntakeReceipt, Bool) {
        var intake: Intake
        switch IntakeValidator.validate(draft.value, source: source, today: store.today) {
        case .success(let valid) where draft.typeErrors.isEmpty: intake = valid
        case .success: throw APIError.validation(draft.typeErrors)
        case .failure(let failure):
            let typed = Set(draft.typeErrors.map(\.field))
            throw APIError.validation(draft.typeErrors + failure.fields.filter { !typed.contains($0.field) })
        }
        var defaultUnitID = defaultUnitID
        if case .call(let code) = intake.details {
            // A call names a configured line; a regional line's county takes a new case nobody placed.
            guard let line = try store.subLine(code: code) else {
                throw APIError.validation([FieldError("call.sub_line", "is not a configured sub-line (GET /api/v1/sub-lines)")])
            }
            if let county = line.unitID, try user.map({ try !store.unitIsOutsideScope(county, of: $0) }) ?? true {
                defaultUnitID = county
            }
        }
        if let user {
            switch intake.target {
            case .newCase(_, let unitID?):
                // A unit that does not exist is reported by the store (as before); one outside her subtree here.
                guard try !store.unitIsOutsideScope(unitID, of: user) else {
                    throw APIError.validation([FieldError("unit_id", "is not your unit or a unit below it")])
                }
            case .existingCase(let id):
                guard try store.caseIsInScope(id, of: user) else {
                    throw APIError.validation([FieldError("case_id", "no such case")])
                }
            default: break
            }
            if let campaignID = draft.campaignID {
                // Checked before the case is written: a campaign's units and period never change after it opens.
                guard case .newCase(_, let unitID) = intake.target else {
                    throw APIError.validation([FieldError("campaign_id", "is given with a new case only; link a case on record through its campaign")])
                }
                try store.checkNewCaseCampaign(campaignID: campaignID, unitID: unitID ?? defaultUnitID, by: user)
                intake.campaignID = campaignID
            }
        }
        let result = try store.recordIntake(intake, by: actor, defaultUnitID: defaultUnitID, idempotency: idempotency)
        if !result.1 { metrics.contactRecorded(channel: result.0.channel) }
        return result
    }

    /// The `Idempotency-Key` header, bound to this exact request (method, path and body).
    func idempotencyKey(_ request: Request, scope: String) throws -> IdempotencyKey? {
        guard let key = request.header("idempotency-key") else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw APIError.validation([FieldError("Idempotency-Key", "must be 1 to 255 visible ASCII characters")])
        }
        let digest = Secrets.digest(Array((request.method + " " + request.path + "\n").utf8) + request.body)
        return IdempotencyKey(scope: scope, key: key, requestDigest: digest)
    }
}

/// Reading an intake submission.
enum IntakeRequest {
    struct Parsed {
        var value = IntakeDraft()
        var typeErrors: [FieldError] = []
        /// The screening campaign a new case was found in (staff only).
        var campaignID: Int64?
    }

    static func draft(from body: JSON, source: IntakeSource) throws -> Parsed {
        var parsed = Parsed()
        guard var reader = FieldReader(body, errors: &parsed.typeErrors) else { throw APIError.validation(parsed.typeErrors) }
        var draft = IntakeDraft()
        if source == .staff {
            draft.channel = reader.string("channel")
            parsed.campaignID = reader.int("campaign_id")
            draft.caseID = reader.int("case_id")
            draft.petitionerID = reader.int("petitioner_id")
        }
        draft.category = reader.string("category")
        draft.summary = reader.string("summary")
        draft.unitID = reader.int("unit_id")
        var errors: [FieldError] = []
        if var person = reader.object("petitioner") {
            draft.petitioner = PetitionerDraft(name: person.string("name"), phone: person.string("phone"),
                                               idNumber: person.string("id_number"), address: person.string("address"),
                                               isMinor: person.bool("is_minor"))
            errors += person.finish()
        }
        if var victim = reader.object("victim") {
            draft.victim = VictimDraft(relation: victim.string("relation"), birthDate: victim.string("birth_date"),
                                       age: victim.int("age").map { Int(clamping: $0) }, isMinor: victim.bool("is_minor"))
            errors += victim.finish()
        }
        if source == .staff { draft.readChannelObjects(&reader, errors: &errors) }
        parsed.value = draft
        parsed.typeErrors = reader.finish() + errors
        return parsed
    }
}

/// The 201 of an intake. `query_code` only when one was issued (a new case the petitioner may track).
struct IntakeReceiptView: ResponseBody {
    let receipt: IntakeReceipt

    init(_ receipt: IntakeReceipt) { self.receipt = receipt }

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", contactID = "contact_id", trackingNo = "tracking_no", queryCode = "query_code"
        case channel, status, contactCount = "contact_count", repeated = "repeat"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(receipt.caseID, forKey: .caseID)
        try c.encode(receipt.contactID, forKey: .contactID)
        try c.encode(receipt.trackingNo, forKey: .trackingNo)
        if let code = receipt.queryCode { try c.encode(code, forKey: .queryCode) }
        try c.encode(receipt.channel, forKey: .channel)
        try c.encode(receipt.status, forKey: .status)
        try c.encode(receipt.contactCount, forKey: .contactCount)
        try c.encode(receipt.contactCount > 1, forKey: .repeated)
    }
}

/// A configured 12338 sub-line; `unit` is null for a line no county takes.
struct SubLineView: Encodable {
    let code: String
    let name: String
    let kind: String
    let unit: UnitRef?
    let referral: String?

    init(_ line: SubLine) {
        (code, name, kind, referral) = (line.code, line.name, line.kind.rawValue, line.referral)
        unit = line.unitID.map { UnitRef(id: $0, name: line.unitName) }
    }
}

struct SubLinesView: ResponseBody {
    let subLines: [SubLineView]
    enum CodingKeys: String, CodingKey { case subLines = "sub_lines" }
}
