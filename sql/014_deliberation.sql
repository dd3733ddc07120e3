-- Leads at intake and the village women's council's deliberation (议事研判).
--
-- Design notes
-- * A lead's report tasks (强制报告, and for a high danger grade the police report and the direct report
--   to the city federation) live in `lead_tasks`, beside `case_tasks` and with the same columns and
--   rules, rather than in a generalised `case_tasks`: a lead is not a case (no clocks, no events, its
--   own scope rule) and most readers of `case_tasks` (a case's page, the close guard, the console
--   counts) would otherwise need a filter they could forget. The sweep escalates both tables the same
--   way (Store.escalateLeadTasks beside escalateTasks): an overdue mandatory report to the supervisors
--   of the city federation above the lead's village, a late police or direct report to the village's
--   supervisors. A mandatory-report lead also tells the city federation's supervisors at once (直报),
--   in the same transaction that records it.
-- * The rule for which reports a lead requires is Lead.mandatoryReports in HuiyinCore (the cases'
--   rule applied to a lead's kind, its victims and its checklist answers); the store writes what it says.
-- * Every read of a lead writes one `lead_reads` row, append-only, like `household_reads`.
-- * A sitting (`sittings`) is one meeting of a village's council: its day, who sat, and one
--   `lead_decisions` row per lead it decided. A lead is decided once per sitting (unique) and, while
--   it is not open again, in no other sitting: the store takes the lead's row lock and refuses a lead
--   whose status is no longer 'open'. The decision's own facts (mediator, referral, target unit,
--   the case opened, the reason to close) are columns checked per kind.
-- * `leads.case_id` is the petition case a decision opened; the case runs the regulation's clocks.
-- * A sitting that decides on a lead of another village is refused as a bad reference (422, each
--   such decision named), not 404: the village is hers and the sitting is well formed; only the lead
--   named does not belong to it, as an unknown unit in an intake is a 422. Nothing of the sitting is
--   stored. A lead decided earlier is a conflict with the lead's state (409 lead_already_decided).

ALTER TABLE leads ADD COLUMN case_id bigint REFERENCES cases (id);

-- A lead about a minor is sealed like a minor's case or household, whatever its kind: a minor among
-- its people seals it (the kinds are sealed by leads_seal, sql/012; a seal is never lifted).
CREATE FUNCTION lead_people_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.is_minor THEN
        UPDATE leads SET sealed = true WHERE id = NEW.lead_id AND NOT sealed;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_people_seal AFTER INSERT OR UPDATE OF is_minor ON lead_people
    FOR EACH ROW EXECUTE FUNCTION lead_people_seal();

CREATE TABLE lead_tasks (
    id            bigserial PRIMARY KEY,
    lead_id       bigint NOT NULL REFERENCES leads (id),
    kind          text NOT NULL CHECK (kind IN ('mandatory_report', 'police_report', 'direct_report')),
    reason        text NOT NULL,
    due_at        timestamptz NOT NULL,
    state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    done_at       timestamptz,
    done_by       bigint REFERENCES users (id),
    detail        jsonb NOT NULL DEFAULT '{}',
    escalated_at  timestamptz,
    created_at    timestamptz NOT NULL,
    UNIQUE (lead_id, kind, reason)
);
CREATE INDEX lead_tasks_escalation_idx ON lead_tasks (due_at) WHERE state = 'open' AND escalated_at IS NULL;

CREATE TABLE lead_reads (
    id       bigserial PRIMARY KEY,
    lead_id  bigint NOT NULL REFERENCES leads (id),
    user_id  bigint NOT NULL REFERENCES users (id),
    at       timestamptz NOT NULL,
    view     text NOT NULL,
    masked   boolean NOT NULL
);
CREATE INDEX lead_reads_lead_idx ON lead_reads (lead_id, id);

CREATE TRIGGER lead_reads_append_only BEFORE UPDATE OR DELETE ON lead_reads
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER lead_reads_no_truncate BEFORE TRUNCATE ON lead_reads
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE sittings (
    id           bigserial PRIMARY KEY,
    village_id   bigint NOT NULL REFERENCES units (id),
    held_on      date NOT NULL,
    recorded_by  bigint NOT NULL REFERENCES users (id),
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX sittings_village_idx ON sittings (village_id, held_on DESC, id DESC);

CREATE TABLE sitting_participants (
    sitting_id  bigint NOT NULL REFERENCES sittings (id),
    position    smallint NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('council_chair', 'council_member', 'grid_worker', 'information_officer',
                                              'mediator', 'lawyer', 'psychologist', 'police', 'other')),
    PRIMARY KEY (sitting_id, position)
);

CREATE TABLE lead_decisions (
    id              bigserial PRIMARY KEY,
    sitting_id      bigint NOT NULL REFERENCES sittings (id),
    lead_id         bigint NOT NULL REFERENCES leads (id),
    decision        text NOT NULL CHECK (decision IN ('mediate_here', 'refer', 'dispatch', 'open_case', 'report_police', 'close')),
    mediator_kind   text CHECK (mediator_kind IN ('lawyer', 'psychologist', 'elder_mediator', 'mediation_committee')),
    mediator_name   text,
    referral_kind   text CHECK (referral_kind IN ('lawyer', 'psychologist', 'mediator', 'police', 'legal_aid')),
    referred_to     text,
    target_unit_id  bigint REFERENCES units (id),
    case_id         bigint REFERENCES cases (id),
    reason          text,
    note            text,
    -- The council's own danger grade (研判), when it judged one: it becomes the lead's grade.
    risk_grade      text CHECK (risk_grade IN ('low', 'medium', 'high')),
    UNIQUE (sitting_id, lead_id),
    CHECK (decision <> 'mediate_here' OR (mediator_kind IS NOT NULL AND mediator_name IS NOT NULL)),
    CHECK (decision <> 'refer' OR (referral_kind IS NOT NULL AND referred_to IS NOT NULL)),
    CHECK (decision <> 'dispatch' OR target_unit_id IS NOT NULL),
    CHECK (decision <> 'open_case' OR case_id IS NOT NULL),
    CHECK (decision <> 'close' OR reason IS NOT NULL)
);
CREATE INDEX lead_decisions_lead_idx ON lead_decisions (lead_id, id);

-- The council's agenda: a village's open leads, oldest first.
CREATE INDEX leads_agenda_idx ON leads (village_id, reported_at, id) WHERE status = 'open';

REVOKE UPDATE, DELETE, TRUNCATE ON lead_reads FROM huiyin_app;
