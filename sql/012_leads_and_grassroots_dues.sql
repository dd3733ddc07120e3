-- Leads (线索) and the deadlines of the grassroots network: the shared ground that the monthly
-- visits, the women's council's deliberation, dispatch and follow-up all build on.
--
-- Design notes
-- * A lead is a matter seen before anyone calls the hotline, or passed down from a call or petition:
--   where it is (a grid, and its village, kept on the row so the council's agenda is one index scan),
--   what kind, who, how urgent, its danger grade when the checklist was asked, and where it stands.
--   Leads of domestic violence or about a minor are sealed from the start, by trigger, like cases
--   and households of the same kind; a seal is never lifted.
-- * The people of a lead follow the victim model (name, relation, age or minor), one row each.
-- * Notifications gain subjects other than a case (a household, a lead) so the grassroots sweep
--   tells people through the same inbox; one with no subject row is about its unit (a month's
--   visits in a village, say). Lists that join cases keep showing case notifications only.
-- * `grassroots_dues` is the one place a grassroots deadline lives (a lead to deliberate, a dispatch
--   to sign, a follow-up to make; the monthly visit may use it too): who owes it (a unit), by which
--   day, about what, and when it was met. The sweep takes each step of a due once — a row in
--   `grassroots_due_steps`, unique per due and step — so any number of instances may sweep at once,
--   as with the clock ladder.

CREATE TABLE leads (
    id                 bigserial PRIMARY KEY,
    grid_id            bigint NOT NULL REFERENCES units (id),
    village_id         bigint NOT NULL REFERENCES units (id),
    kind               text NOT NULL CHECK (kind IN ('family_dispute', 'domestic_violence', 'minor_sexual_assault',
                                                     'minor_in_danger', 'other')),
    source             text NOT NULL CHECK (source IN ('visit', 'grid_report', 'hotline', 'petition')),
    household_id       bigint REFERENCES households (id),
    source_case_id     bigint REFERENCES cases (id),
    summary            text NOT NULL,
    urgency            text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'immediate')),
    risk_grade         text CHECK (risk_grade IN ('low', 'medium', 'high')),
    risk_answers       jsonb,
    mandatory_reports  text[] NOT NULL DEFAULT '{}',
    sealed             boolean NOT NULL DEFAULT false,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'mediating', 'referred', 'dispatched',
                                                     'case_opened', 'reported_to_police', 'settled', 'closed')),
    reported_by        bigint NOT NULL REFERENCES users (id),
    reported_at        timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX leads_village_idx ON leads (village_id, status, id DESC);
CREATE INDEX leads_grid_idx ON leads (grid_id, id DESC);
CREATE INDEX leads_household_idx ON leads (household_id, reported_at) WHERE household_id IS NOT NULL;

-- A lead sits in a grid, and its village is the grid's parent: checked, not trusted.
CREATE FUNCTION leads_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.grid_id AND level = 'grid' AND parent_id = NEW.village_id) THEN
        RAISE EXCEPTION 'unit % is not a grid of village %', NEW.grid_id, NEW.village_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_place BEFORE INSERT OR UPDATE OF grid_id, village_id ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_place();

CREATE FUNCTION leads_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('domestic_violence', 'minor_sexual_assault', 'minor_in_danger') THEN
        NEW.sealed := true;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.sealed THEN
        NEW.sealed := true;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_seal BEFORE INSERT OR UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION leads_seal();

CREATE TABLE lead_people (
    id         bigserial PRIMARY KEY,
    lead_id    bigint NOT NULL REFERENCES leads (id),
    position   smallint NOT NULL,
    role       text NOT NULL CHECK (role IN ('victim', 'respondent', 'reporter', 'other')),
    name       text NOT NULL,
    phone      text,
    relation   text CHECK (relation IN ('self', 'child', 'spouse', 'parent', 'relative', 'other')),
    age        smallint CHECK (age BETWEEN 0 AND 150),
    is_minor   boolean NOT NULL DEFAULT false,
    UNIQUE (lead_id, position)
);

ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN household_id bigint REFERENCES households (id);
ALTER TABLE notifications ADD COLUMN lead_id bigint REFERENCES leads (id);

CREATE TABLE grassroots_dues (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('visit', 'deliberation', 'dispatch_sign', 'follow_up')),
    unit_id       bigint NOT NULL REFERENCES units (id),
    household_id  bigint REFERENCES households (id),
    lead_id       bigint REFERENCES leads (id),
    due_on        date NOT NULL,
    detail        jsonb NOT NULL DEFAULT '{}',
    met_at        timestamptz,
    -- The sweep's rung: 0 none yet, 1 warned, 2 escalated. An escalated due leaves the sweep's index,
    -- so overdue dues nobody meets are not read again by every later sweep (as the clocks' ladder).
    stage         smallint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL
);
CREATE INDEX grassroots_dues_open_idx ON grassroots_dues (due_on) WHERE met_at IS NULL AND stage < 2;
CREATE INDEX grassroots_dues_lead_idx ON grassroots_dues (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX grassroots_dues_unit_idx ON grassroots_dues (unit_id, kind, due_on);

CREATE TABLE grassroots_due_steps (
    due_id  bigint NOT NULL REFERENCES grassroots_dues (id),
    step    text NOT NULL,
    at      timestamptz NOT NULL,
    PRIMARY KEY (due_id, step)
);
