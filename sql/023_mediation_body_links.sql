-- A referral or a dispatch can name the mediation body it went to, so the body's referrals and their
-- outcomes are counted; a police incident's follow-up may open a lead; and the registry carries a
-- version the server's in-memory nearest-body index checks.
--
-- Design notes
-- * `mediation_body_id` is nullable: most referrals and dispatches name a person or a unit, not a
--   registry body. A referral names one only when it goes to a mediator. The server checks the body
--   exists (a 422 on the field); the foreign key keeps it so.
-- * `mediation_registry.version` is bumped by statement triggers on every write to the registry and
--   on a rename or move of a unit (a body's answer carries its unit's name). A server reads it at most
--   every few seconds and rebuilds its index when it changed, so an import by `huiyin mediation import`
--   in another process is seen. The row is read with the bodies in one statement (one snapshot), so
--   the index never pairs a new version with old rows. A counter row rather than a sequence: a
--   sequence moves before its transaction commits, and a reader in between would keep old rows.
-- * A lead opened from a police incident's follow-up has source `police_incident` and names the
--   incident; the follow-up row's `lead_id` (sql/018) links it the other way.

ALTER TABLE referrals ADD COLUMN mediation_body_id bigint REFERENCES mediation_bodies (id);
ALTER TABLE referrals ADD CONSTRAINT referrals_mediation_body_check CHECK (mediation_body_id IS NULL OR kind = 'mediator');
CREATE INDEX referrals_mediation_body_idx ON referrals (mediation_body_id, referred_at) WHERE mediation_body_id IS NOT NULL;

ALTER TABLE lead_dispatches ADD COLUMN mediation_body_id bigint REFERENCES mediation_bodies (id);
CREATE INDEX lead_dispatches_mediation_body_idx ON lead_dispatches (mediation_body_id, dispatched_on)
    WHERE mediation_body_id IS NOT NULL;

CREATE TABLE mediation_registry (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version   bigint NOT NULL
);
INSERT INTO mediation_registry (version) VALUES (1);
GRANT SELECT, UPDATE ON mediation_registry TO huiyin_app;

CREATE FUNCTION mediation_registry_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mediation_registry SET version = version + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER mediation_bodies_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mediation_bodies
    FOR EACH STATEMENT EXECUTE FUNCTION mediation_registry_bump();
CREATE TRIGGER units_mediation_version AFTER UPDATE OF name, level, path, parent_id ON units
    FOR EACH STATEMENT EXECUTE FUNCTION mediation_registry_bump();

ALTER TABLE leads DROP CONSTRAINT leads_source_check;
ALTER TABLE leads ADD CONSTRAINT leads_source_check CHECK (source IN ('visit', 'grid_report', 'hotline', 'petition', 'police_incident'));
ALTER TABLE leads ADD COLUMN source_incident_id bigint REFERENCES police_incidents (id);
ALTER TABLE leads ADD CONSTRAINT leads_source_incident_check CHECK ((source = 'police_incident') = (source_incident_id IS NOT NULL));
CREATE INDEX leads_source_incident_idx ON leads (source_incident_id) WHERE source_incident_id IS NOT NULL;
