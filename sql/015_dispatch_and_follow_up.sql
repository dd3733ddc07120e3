-- Dispatch (派单) and follow-up governance (跟踪治理) of the grassroots network's leads.
--
-- Design notes
-- * A dispatch sends a medium- or high-risk dispute from its village up to the township or county
--   federation responsible for it, like a case's transfer: the receiving unit signs for it or objects
--   (with a reason, and the lead goes back to the village), within the rule set's working days. The
--   signing deadline is a `grassroots_dues` row (kind dispatch_sign) like every grassroots deadline;
--   the dispatch row keeps its own day so the figures can tell signed on time from late.
-- * A lead has at most one live dispatch (awaiting signature or signed, no outcome yet); an objected
--   one stays as history and the village may dispatch again.
-- * The mediation's progress notes and its outcome (settled, not settled with what next, referred on)
--   have one shape whichever way the lead was mediated: by the receiving federation after a dispatch
--   (dispatch_id set) or in the village (dispatch_id null).
-- * A settled dispute is followed at the rule set's intervals (follow_up dues owed by the village,
--   numbered by settlement round); a follow-up record meets the earliest open one. A recurrence
--   reopens the lead and closes the round's remaining dues.
-- * A household with the rule set's count of reported quarrels (family-dispute or domestic-violence
--   leads) within its window is flagged, by trigger on the lead that tips it, in the same transaction;
--   the village's staff are told. A lead back on the village's agenda (objected to, not settled,
--   recurred) gets a new deliberation due. The trigger reads the rule from `grassroots_quarrel_rule`, which the
--   server writes from its rule set at start (defaults: Haian's three in two months).

CREATE TABLE lead_dispatches (
    id                bigserial PRIMARY KEY,
    lead_id           bigint NOT NULL REFERENCES leads (id),
    from_unit_id      bigint NOT NULL REFERENCES units (id),
    to_unit_id        bigint NOT NULL REFERENCES units (id),
    note              text,
    dispatched_by     bigint NOT NULL REFERENCES users (id),
    dispatched_at     timestamptz NOT NULL,
    dispatched_on     date NOT NULL,
    sign_due_on       date NOT NULL,
    due_id            bigint NOT NULL REFERENCES grassroots_dues (id),
    state             text NOT NULL DEFAULT 'awaiting_sign'
                      CHECK (state IN ('awaiting_sign', 'signed', 'objected', 'settled', 'not_settled', 'referred')),
    signed_by         bigint REFERENCES users (id),
    signed_at         timestamptz,
    signed_on         date,
    objected_by       bigint REFERENCES users (id),
    objected_at       timestamptz,
    objection_reason  text,
    CHECK ((state = 'objected') = (objected_at IS NOT NULL))
);
CREATE UNIQUE INDEX lead_dispatches_live_idx ON lead_dispatches (lead_id) WHERE state IN ('awaiting_sign', 'signed');
CREATE INDEX lead_dispatches_to_idx ON lead_dispatches (to_unit_id, dispatched_on);
CREATE INDEX lead_dispatches_lead_idx ON lead_dispatches (lead_id, id);

-- Progress of a mediation (who did what, when), append-only.
CREATE TABLE mediation_notes (
    id            bigserial PRIMARY KEY,
    lead_id       bigint NOT NULL REFERENCES leads (id),
    dispatch_id   bigint REFERENCES lead_dispatches (id),
    note          text NOT NULL,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    recorded_at   timestamptz NOT NULL
);
CREATE INDEX mediation_notes_lead_idx ON mediation_notes (lead_id, id);

-- A mediation's outcome, in the village or after a dispatch; append-only (a lead may be settled,
-- recur and be settled again).
CREATE TABLE mediation_outcomes (
    id            bigserial PRIMARY KEY,
    lead_id       bigint NOT NULL REFERENCES leads (id),
    dispatch_id   bigint REFERENCES lead_dispatches (id),
    unit_id       bigint NOT NULL REFERENCES units (id),
    outcome       text NOT NULL CHECK (outcome IN ('settled', 'not_settled', 'referred')),
    next_step     text,
    referred_to   text,
    note          text,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    recorded_at   timestamptz NOT NULL,
    settled_on    date NOT NULL,
    CHECK (outcome <> 'not_settled' OR next_step IS NOT NULL),
    CHECK (outcome <> 'referred' OR referred_to IS NOT NULL)
);
CREATE INDEX mediation_outcomes_lead_idx ON mediation_outcomes (lead_id, id);

CREATE TABLE lead_follow_ups (
    id            bigserial PRIMARY KEY,
    lead_id       bigint NOT NULL REFERENCES leads (id),
    due_id        bigint NOT NULL REFERENCES grassroots_dues (id) UNIQUE,
    made_on       date NOT NULL,
    method        text NOT NULL CHECK (method IN ('visit', 'phone')),
    result        text NOT NULL CHECK (result IN ('calm', 'recurred')),
    notes         text,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    recorded_at   timestamptz NOT NULL
);
CREATE INDEX lead_follow_ups_lead_idx ON lead_follow_ups (lead_id, id);

GRANT SELECT, INSERT ON mediation_notes, mediation_outcomes, lead_follow_ups TO huiyin_app;
REVOKE UPDATE, DELETE, TRUNCATE ON mediation_notes, mediation_outcomes, lead_follow_ups FROM huiyin_app;

-- The quarrel flag: on the household, with when and why.
ALTER TABLE households ADD COLUMN flagged_at timestamptz;
ALTER TABLE households ADD COLUMN flag_reason text;

CREATE TABLE grassroots_quarrel_rule (
    only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    quarrel_window interval NOT NULL,
    window_label text NOT NULL,   -- as the rule set writes it (2m), for the flag's reason
    flag_count   integer NOT NULL CHECK (flag_count >= 2)
);
INSERT INTO grassroots_quarrel_rule (quarrel_window, window_label, flag_count) VALUES ('2 months', '2m', 3);

CREATE FUNCTION leads_quarrel_flag() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rule record;
    quarrels integer;
BEGIN
    IF NEW.household_id IS NULL OR NEW.kind NOT IN ('family_dispute', 'domestic_violence') THEN
        RETURN NEW;
    END IF;
    SELECT quarrel_window, window_label, flag_count INTO rule FROM grassroots_quarrel_rule;
    -- Lock the household so two leads reported at once count each other (NO KEY UPDATE: the leads'
    -- foreign-key checks hold KEY SHARE on it, which FOR UPDATE would deadlock against).
    PERFORM 1 FROM households WHERE id = NEW.household_id AND flagged_at IS NULL FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO quarrels FROM leads
    WHERE household_id = NEW.household_id AND kind IN ('family_dispute', 'domestic_violence')
      AND reported_at > NEW.reported_at - rule.quarrel_window AND reported_at <= NEW.reported_at;
    IF quarrels >= rule.flag_count THEN
        UPDATE households
        SET flagged_at = NEW.reported_at,
            flag_reason = format('%s family-dispute or domestic-violence leads reported within %s', quarrels, rule.window_label)
        WHERE id = NEW.household_id;
        INSERT INTO notifications (unit_id, audience, household_id, lead_id, kind, detail, created_at)
        VALUES (NEW.village_id, 'handlers', NEW.household_id, NEW.id, 'household_flagged',
                jsonb_build_object('quarrels', quarrels), NEW.reported_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_quarrel_flag AFTER INSERT ON leads FOR EACH ROW EXECUTE FUNCTION leads_quarrel_flag();
