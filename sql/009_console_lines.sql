-- 12338 sub-lines as configuration, the collective-visit head count on the case row, and the indexes
-- that keep the console's case list and counts fast as the record grows.

-- The lines a call can come in on: the main line, professional lines (each suggests a referral) and
-- regional lines (each answered for by a county unit, the new case's default unit).
CREATE TABLE sub_lines (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text NOT NULL CHECK (kind IN ('main', 'professional', 'regional')),
    unit_id     bigint REFERENCES units (id),
    referral    text CHECK (referral IN ('lawyer', 'psychologist', 'mediator', 'police')),
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'regional' OR unit_id IS NOT NULL),
    CHECK (kind = 'regional' OR unit_id IS NULL),
    CHECK (kind = 'professional' OR referral IS NULL)
);
-- Every office has the main line and the three national professional lines; regional lines are imported.
INSERT INTO sub_lines (code, name, kind, referral, position) VALUES
    ('main', '主线', 'main', NULL, 0),
    ('legal', '法律咨询', 'professional', 'lawyer', 10),
    ('psychology', '心理疏导', 'professional', 'psychologist', 11),
    ('mediation', '婚姻家庭调解', 'professional', 'mediator', 12);
-- A call names a configured line from now on (earlier free-text lines stay as they were recorded).
ALTER TABLE contacts ADD CONSTRAINT contacts_sub_line_fk FOREIGN KEY (sub_line) REFERENCES sub_lines (code) NOT VALID;

-- The largest head count of the case's visits (5 or more: a collective visit), kept on the case so
-- lists, exports and figures show it without reading contacts.
ALTER TABLE cases ADD COLUMN visitors integer;
CREATE FUNCTION cases_visitors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.visitors IS NOT NULL THEN
        UPDATE cases SET visitors = greatest(coalesce(visitors, 0), NEW.visitors)
        WHERE id = NEW.case_id AND visitors IS DISTINCT FROM greatest(coalesce(visitors, 0), NEW.visitors);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER contacts_visitors AFTER INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION cases_visitors();
UPDATE cases c SET visitors = v.n
FROM (SELECT case_id, max(visitors) AS n FROM contacts WHERE visitors IS NOT NULL GROUP BY case_id) v
WHERE v.case_id = c.id;

-- The list's filters within one unit's cases, newest first; counts of status and category read this
-- index alone (index-only), never a case row.
CREATE INDEX cases_unit_status_idx ON cases (unit_id, status, category, id DESC);
CREATE INDEX cases_unit_received_idx ON cases (unit_id, received_on, id DESC);
-- Cases with a running clock past its due day ("overdue"), by case.
CREATE INDEX clocks_running_case_due_idx ON clocks (case_id, due_on) WHERE state = 'running';
