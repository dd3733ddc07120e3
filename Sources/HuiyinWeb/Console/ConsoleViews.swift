/// What each console template is rendered with: one struct per page, row and option kind, with the
/// template's keys as property names (swift-mustache reads stored properties by reflection).
///
/// How swift-mustache reads them, which these types rely on to render as the dictionaries before them did:
/// - an optional that is nil counts as a missing key: `{{#x}}` renders nothing, `{{^x}}` renders, and
///   `{{x}}` looks further up the context stack (a row's missing `csrf` would come from its page);
/// - a `Bool` opens or closes a section; an array repeats it, an empty one is false;
/// - an empty `String` is still a value: a section over `""` renders, so "not there" is `nil`, never `""`.
protocol ConsoleView {}

// MARK: - Layout and small pages

struct LayoutView: ConsoleView {
    let title: String
    /// The page's own HTML, rendered unescaped.
    let body: String
    let script: Bool
    let `public`: Bool
    let narrow: Bool
    var flash: String?
    var flash_error = false
    var user: LayoutUser?
    var csrf: String?
    /// The field labels for the page's script (a JSON data block, not executed): only pages with script read them.
    var field_labels: String?
}

struct LayoutUser {
    let display_name: String
    let role_label: String
    let unit_name: String
    let nav: [NavLink]
}

struct NavLink {
    let href: String
    let label: String
    var current = false
}

struct MessageView: ConsoleView {
    let heading: String
    let text: String
    let link: String
    let link_text: String
}

struct LoginView: ConsoleView {
    let csrf: String
    let username: String
    let error: String?
    /// Where to go once signed in: only a page of `Console.returnPages`, never an address from outside.
    var next: String?
}

struct SignoutView: ConsoleView {
    let csrf: String
}

struct HomeView: ConsoleView {
    let greeting: String
    let display_name: String
    let role_label: String
    let unit_name: String
    let tasks: [String]
    let notifications: [NotificationRow]
    let has_notifications: Bool
    let notification_summary: [NotificationCount]
    let csrf: String
    let links: [NavLink]
}

/// Unread notifications of one kind about one subject (a case, a lead, a household, a unit).
struct NotificationRow {
    /// The form field that names the subject when the group is marked read, and its value.
    let subject_field: String
    let subject_id: Int64
    /// How the subject reads, and where it links (nil: it has no page of its own here).
    let subject: String
    let href: String?
    let tracking_no: String?
    let csrf: String
    let kind_code: String
    let count: Int
    let kind: String
    let at: String
}

struct NotificationCount {
    let kind: String
    let count: Int
}

/// A written notice for printing.
struct ConsoleDocumentView: ConsoleView {
    let title: String
    let number: String
    let paragraphs: [String]
}

// MARK: - Options of the forms' choices

/// One choice of a select (status, category, channel, relation, clock, report reason).
struct ChoiceOption {
    let value: String
    let label: String
    var selected = false
}

/// A unit in a picker, indented by its depth.
struct UnitOption {
    let id: Int64
    let name: String
    let indent: String
    var selected = false
}

/// A member of staff to choose (handler, leader).
struct PersonOption {
    let id: Int64
    let name: String
}

/// A 12338 sub-line on the call screen: the unit it goes to by default, or the referral it suggests.
struct SubLineOption {
    let value: String
    let label: String
    let unit_id: String
    let hint: String?
}

struct RiskQuestionOption {
    let id: String
    let text: String
}

// MARK: - Case tables

/// A row of the case tables: the case list, the handler's inbox (with `next`, `reports`) and the
/// leader's list (with `csrf`, `progress`, `clocks`).
struct CaseRowView {
    let id: Int64
    let tracking_no: String
    let category: String
    let status: String
    let unit: String
    let masked: Bool
    let name: String
    let phone: String
    let summary: String
    let collective: String?
    var due: String?
    var due_class: String?
    var next: String?
    var reports: String?
    var csrf: String?
    var progress: String?
    var progress_at: String?
    var clocks: [LeaderClockView]?
}

struct LeaderClockView {
    let kind: String
    let due_on: String
    let `class`: String
}

struct CasesPageView: ConsoleView {
    let q: String
    let count: Int
    let export: String
    let statuses: [ChoiceOption]
    let categories: [ChoiceOption]
    let channels: [ChoiceOption]
    let units: [UnitOption]
    let received_from: String
    let received_to: String
    let overdue: Bool
    let collective: Bool
    let sealed_yes: Bool
    let sealed_no: Bool
    let rows: [CaseRowView]
    var next: String?
    var first: String?
}

struct InboxView: ConsoleView {
    let rows: [CaseRowView]
}

struct LeaderView: ConsoleView {
    let rows: [CaseRowView]
}

// MARK: - The case page

struct CasePageView: ConsoleView {
    let id: Int64
    let tracking_no: String
    let sealed: Bool
    let masked: Bool
    let can_break: Bool
    let broke_seal: Bool
    let csrf: String
    let category: String
    let status: String
    let unit: String
    let channel: String
    let received_on: String
    let `repeat`: Bool
    let contact_count: Int
    let summary: String
    var collective: String?
    var risk: String?
    var risk_class: String?
    var petitioner: ConsolePetitionerView?
    var victim: ConsoleVictimView?
    var can_require_report = false
    var report_reasons: [ChoiceOption]?
    var clocks: [ClockRowView] = []
    var tasks: [TaskRowView] = []
    var has_tasks = false
    var referrals: [ReferralRowView] = []
    var has_referrals = false
    /// Personal-safety protection orders, for a case open to her.
    var orders_section: ProtectionOrdersSectionView?
    var timeline: [TimelineEntry] = []
    var documents: [DocumentLink] = []
    var has_documents = false
    var attachments: [AttachmentLink] = []
    var has_attachments = false
    var actions: [ActionFormView] = []
    var has_actions = false
}

struct ConsolePetitionerView {
    let name: String
    let phone: String
    let id_number: String
    let address: String
    let is_minor: Bool
}

struct ConsoleVictimView {
    let relation: String
    let is_minor: Bool
    let age: String?
    let birth_date: String?
}

struct ClockRowView {
    let kind: String
    let started_on: String
    let due_on: String
    let state: String
    var countdown: String?
    var countdown_class: String?
}

/// A required task (report, follow-up); an open report carries its form, refilled with what she typed.
struct TaskRowView {
    let id: Int64
    let case_id: Int64
    let csrf: String
    let open: Bool
    let label: String
    let state: String
    let reportable: Bool
    let police: Bool
    let zone_label: String
    let time_example: String
    var due: String?
    var reported: String?
    var kept_station: String?
    var kept_receipt_no: String?
    var kept_reported_to: String?
    var kept_reported_at: String?
}

struct ReferralRowView {
    let id: Int64
    let case_id: Int64
    let csrf: String
    let kind: String
    let to: String
    let at: String
    let note: String?
    var outcome: String?
    var outcome_at: String?
    /// A legal-aid referral: its decision day, how long is left (or how late), and the decision.
    var decision_due: String?
    var decision_left: String?
    var decision_late = false
    var aid_decision: String?
}

struct TimelineEntry {
    let at: String
    let text: String
}

struct DocumentLink {
    let title: String
    let number: String
    let url: String
}

struct AttachmentLink {
    let id: Int64
    let label: String
}

/// The form of one action on the case page; the `needs_*` flags add its extra inputs.
struct ActionFormView {
    let case_id: Int64
    let csrf: String
    let action: String
    let label: String
    let text_label: String
    let text_required: Bool
    var needs_unit = false
    var units: [UnitOption]?
    var needs_decision = false
    var needs_satisfaction = false
    var can_reopen = false
    var needs_referral = false
    /// The registry's bodies of the case's county, for a referral to a mediator.
    var mediation_bodies: [MediationChoiceView]?
    var has_mediation_bodies = false
    var needs_extension = false
    var clocks: [ChoiceOption]?
    var needs_handler = false
    var handlers: [PersonOption]?
    var needs_leader = false
    var leaders: [PersonOption]?
}

// MARK: - Intake, reception, roster

/// The call screen: the intake form's choices.
struct CallPageView: ConsoleView {
    let units: [UnitOption]
    let categories: [ChoiceOption]
    let sub_lines: [SubLineOption]
    let questions: [RiskQuestionOption]
    let victim_relations: [ChoiceOption]
    let today: String
}

struct ReceptionView: ConsoleView {
    let units: [UnitOption]
    let categories: [ChoiceOption]
    let questions: [RiskQuestionOption]
    let victim_relations: [ChoiceOption]
    let today: String
    let shifts: [ShiftView]
    let has_shifts: Bool
    let waiting: Int
    let called: Int?
    let issued: Int?
    let csrf: String
    let window: String
    let scan_limit: String
}

/// Today's duty at the reception window.
struct ShiftView {
    let period: String
    let window: String
    let name: String
}

struct RosterView: ConsoleView {
    let csrf: String
    let today: String
    let window: String
    let staff: [StaffOption]
    let shifts: [RosterShiftView]
}

struct StaffOption {
    let id: Int64
    let name: String
    let role: String
}

struct RosterShiftView {
    let id: Int64
    let day: String
    let period: String
    let window: String
    let name: String
    let csrf: String
}

// MARK: - Supervision

struct DashboardView: ConsoleView {
    let unit_name: String
    let reminders: Int
    let notices: Int
    let export: String
    let export_cases: String
    let export_soon: String
    let units: [DashboardUnitRow]
    /// SVG, rendered unescaped.
    let on_time_chart: String
    let trend_chart: String
    let overdue: [OverdueRow]
    let due_soon: [DueSoonRow]
    let proposals: [ProposalRow]
    let collective_count: Int
    let collective_link: String
    let parent: Int64?
    let calendar_warning: String?
    /// Dispatches (派单) per receiving unit this month, beside the petition figures.
    var dispatch_figures: [DispatchFiguresRowView] = []
    var legal_aid_figures: [LegalAidFiguresRowView] = []
    /// Protection orders expiring within the warning lead (保护令即将到期).
    var expiring_orders: [ExpiringOrderRowView] = []
    var expiring_days = 15
    var incident_figures: [IncidentFiguresRowView] = []
    var incident_total = 0
    var incident_share = "—"
    var incident_limit = ""
}

struct DashboardUnitRow {
    let id: Int64
    let name: String
    let drill: Bool
    let open: Int
    let due_soon: Int
    let overdue: Int
    let rate: String
}

struct OverdueRow {
    let tracking_no: String
    let case_id: Int64
    let kind: String
    let unit: String
    let due_on: String
    let days: Int
    let ladder: String
}

struct DueSoonRow {
    let tracking_no: String
    let case_id: Int64
    let kind: String
    let unit: String
    let due_on: String
}

struct ProposalRow {
    let id: Int64
    let tracking_no: String
    let category: String
    let unit: String
    let contacts: Int
}

// MARK: - Public pages

/// A public page carries a fresh double-submit token for its form, set by `publicPage`.
protocol PublicPageView: ConsoleView {
    var csrf: String { get set }
}

struct PetitionView: PublicPageView {
    var csrf = ""
    let categories: [ChoiceOption]
    let victim_relations: [ChoiceOption]
    var errors: [String]?
    var has_errors = false
    var victim_age = ""
    var victim_minor = false
    var name = ""
    var phone = ""
    var summary = ""
}

struct PetitionDoneView: PublicPageView {
    var csrf = ""
    let tracking_no: String
    let query_code: String
}

struct TrackView: PublicPageView {
    var csrf = ""
    var tracking_no = ""
    var error: String?
    var result: TrackResult?
}

struct TrackResult {
    let status: String
    let category: String
    let received_on: String
    let updated: String
    let documents: [TrackDocument]
    let review: String?
}

struct TrackDocument {
    let title: String
    let number: String
    let issued_on: String
    let paragraphs: [String]
}
