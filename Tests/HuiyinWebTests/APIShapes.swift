import Foundation
import TestSupport

// The API's answers as the tests read them (HTTPResult.decode): each holds the members some test looks at.
// A non-optional member must be there with its type, or decoding throws and the test fails.

/// The 201 of an intake.
struct Receipt: Decodable {
    let caseId: Int
    let contactId: Int
    let trackingNo: String
    let queryCode: String?
    let channel: String
    let status: String
    let contactCount: Int
    let `repeat`: Bool
}

struct DocumentShape: Decodable {
    let kind: String
    let number: String
    let title: String
    let body: String
    let printUrl: String
}

/// What a step on a case answers.
struct StepResult: Decodable {
    let caseId: Int
    let event: String
    let document: DocumentShape?
}

struct CaseRow: Decodable {
    let id: Int
    let status: String
    let masked: Bool
    let summary: String?
    let petitionerName: String?
    let visitors: Int?
    let collective: Bool
}

struct CaseList: Decodable {
    let cases: [CaseRow]
}

/// The case page (`GET /api/v1/cases/{id}`).
struct CasePage: Decodable {
    struct Petitioner: Decodable {
        let id: Int
        let phone: String?
        let isMinor: Bool
    }

    struct Victim: Decodable {
        let relation: String
        let age: Int?
        let isMinor: Bool
    }

    struct Contact: Decodable {
        struct Call: Decodable { let subLine: String? }
        struct Visit: Decodable {
            let visitors: Int
            let collective: Bool
        }

        let summary: String?
        let call: Call?
        let visit: Visit?
    }

    struct Event: Decodable {
        let kind: String
        let actor: String
        let actorUserId: Int?
        let detail: JSONValue
    }

    struct Task: Decodable {
        let id: Int
        let kind: String
        let reason: String
    }

    struct Referral: Decodable { let id: Int }
    struct Unit: Decodable {
        let id: Int
        let name: String?
    }

    let id: Int
    let status: String
    let category: String
    let channel: String
    let receivedOn: String
    let `repeat`: Bool
    let unit: Unit
    let sealed: Bool
    let masked: Bool
    let brokeSeal: Bool
    let petitioner: Petitioner?
    let victim: Victim?
    let contacts: [Contact]
    let events: [Event]
    let tasks: [Task]
    let referrals: [Referral]
    let documents: [DocumentShape]
}

/// Callers found by phone.
struct Callers: Decodable {
    struct Caller: Decodable {
        let name: String?
        let cases: [CaseRow]
    }

    let petitioners: [Caller]
}

struct Checklist: Decodable {
    struct Question: Decodable { let id: String }
    let questions: [Question]
}

/// The petitioner's tracking view.
struct Tracked: Decodable {
    struct Document: Decodable { let title: String }
    struct Review: Decodable {
        let kind: String
        let lastDay: String
    }

    let status: String
    let statusLabel: String
    let documents: [Document]
    let review: Review?
}

struct AccessLog: Decodable {
    struct Read: Decodable {
        struct User: Decodable { let id: Int }
        let flagged: Bool
        let breakGlassReason: String?
        let user: User
    }

    let reads: [Read]
}

struct LeaderCases: Decodable {
    struct Case: Decodable {
        struct Clock: Decodable { let kind: String }
        let id: Int
        let status: String
        let clocks: [Clock]
    }

    let cases: [Case]
}

struct SupervisedClocks: Decodable {
    struct Clock: Decodable { let caseId: Int }
    let clocks: [Clock]
}

struct UnitFigureRows: Decodable {
    struct Unit: Decodable {
        let unitId: Int
        let openCases: Int
        let dueSoon: Int
        let overdue: Int
        let onTimeRate: Double?
    }

    let units: [Unit]
}

struct Notifications: Decodable {
    struct Notification: Decodable {
        let id: Int
        let kind: String
        let caseId: Int?
        let leadId: Int?
        let householdId: Int?
    }

    let notifications: [Notification]
}

struct SubLines: Decodable {
    struct Line: Decodable {
        struct Unit: Decodable { let id: Int }
        let code: String
        let referral: String?
        let unit: Unit?
    }

    let subLines: [Line]
}

/// `{"id": ...}` of something created.
struct Created: Decodable {
    let id: Int
}

/// `{"count": n}` of the counting routes.
struct Count: Decodable {
    let count: Int
}

/// `/readyz`: ready, schema_ahead or migrations_pending, and the database server it reached.
struct Readiness: Decodable {
    struct Database: Decodable {
        let host: String
        let port: Int
    }

    let status: String
    let database: Database
    let pending: [String]?
    let ahead: [String]?
}

/// A danger checklist graded (on a case: with the mandatory reports it raised).
struct RiskGrade: Decodable {
    let score: Int
    let grade: String
    let decisive: [String]
    let mandatoryReports: [String]?
}
