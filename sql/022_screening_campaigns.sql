-- Screening campaigns (专项排查): a supervisor opens one at her unit for a period, names the units below
-- hers that take part and what each must report; leads and cases found during it link to it; each
-- participating unit files one report (revisable until the end) and may report major risks up at once.
--
-- Design notes
-- * A lead or case links to at most one campaign, by a nullable `campaign_id` on the row rather than a
--   link table: a matter is found by one screening, and counting it in two overlapping campaigns would
--   inflate both totals. The column costs nothing on rows without it (no default, partial index).
-- * The participating units are rows of `campaign_units`; the sweep's reminder and overdue marks live
--   there too (`reminded_at`, `overdue_at`), so each is taken once per unit and campaign by one
--   conditional UPDATE, however many instances sweep (no grassroots due: the report is owed to the
--   campaign's owner, not to the unit above, and it has its own warning window).
-- * A report's figures are what the unit declares; the campaign page shows them beside the figures
--   counted from the linked leads and cases, so a gap is visible rather than hidden.

CREATE TABLE campaigns (
    id            bigserial PRIMARY KEY,
    unit_id       bigint NOT NULL REFERENCES units (id),
    topic         text NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
    starts_on     date NOT NULL,
    ends_on       date NOT NULL,
    -- What each unit must report: CampaignReportItem raw values.
    report_items  text[] NOT NULL CHECK (cardinality(report_items) > 0
                      AND report_items <@ ARRAY['found', 'settled', 'major_risks', 'notes']),
    opened_by     bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX campaigns_unit_idx ON campaigns (unit_id, ends_on DESC);

CREATE TABLE campaign_units (
    campaign_id  bigint NOT NULL REFERENCES campaigns (id),
    unit_id      bigint NOT NULL REFERENCES units (id),
    reminded_at  timestamptz,
    overdue_at   timestamptz,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX campaign_units_unit_idx ON campaign_units (unit_id);

-- A participating unit sits below the campaign's unit: checked, not trusted.
CREATE FUNCTION campaign_units_below() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM units u JOIN campaigns c ON c.id = NEW.campaign_id
                   WHERE u.id = NEW.unit_id AND u.path @> ARRAY[c.unit_id] AND u.id <> c.unit_id) THEN
        RAISE EXCEPTION 'unit % is not below the unit of campaign %', NEW.unit_id, NEW.campaign_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER campaign_units_below BEFORE INSERT OR UPDATE OF unit_id ON campaign_units
    FOR EACH ROW EXECUTE FUNCTION campaign_units_below();

CREATE TABLE campaign_reports (
    campaign_id  bigint NOT NULL,
    unit_id      bigint NOT NULL,
    found        integer CHECK (found >= 0),
    settled      integer CHECK (settled >= 0),
    major_risks  integer CHECK (major_risks >= 0),
    notes        text CHECK (length(notes) <= 4000),
    revision     integer NOT NULL DEFAULT 1,
    filed_by     bigint NOT NULL REFERENCES users (id),
    filed_at     timestamptz NOT NULL,
    revised_at   timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, unit_id),
    FOREIGN KEY (campaign_id, unit_id) REFERENCES campaign_units (campaign_id, unit_id),
    CHECK (settled IS NULL OR found IS NULL OR settled <= found)
);

-- 重大风险上报: a short record; its owner unit's supervisors are told when it is written.
CREATE TABLE campaign_major_risks (
    id           bigserial PRIMARY KEY,
    campaign_id  bigint NOT NULL,
    unit_id      bigint NOT NULL,
    summary      text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
    lead_id      bigint REFERENCES leads (id),
    case_id      bigint REFERENCES cases (id),
    reported_by  bigint NOT NULL REFERENCES users (id),
    reported_at  timestamptz NOT NULL,
    FOREIGN KEY (campaign_id, unit_id) REFERENCES campaign_units (campaign_id, unit_id)
);
CREATE INDEX campaign_major_risks_campaign_idx ON campaign_major_risks (campaign_id, unit_id);

ALTER TABLE leads ADD COLUMN campaign_id bigint REFERENCES campaigns (id);
ALTER TABLE cases ADD COLUMN campaign_id bigint REFERENCES campaigns (id);
CREATE INDEX leads_campaign_idx ON leads (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX cases_campaign_idx ON cases (campaign_id) WHERE campaign_id IS NOT NULL;
