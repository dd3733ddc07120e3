-- Police domestic-violence incidents (家暴警情) shared with the federation, each phoned back (回访).
--
-- Design notes
-- * One row per police incident number: the number is the import's idempotency key, so a re-import
--   (of the same spreadsheet, or of an overlapping one) and a repeated API call never duplicate.
-- * An incident is placed in the unit that covers its address (the deepest unit of the tree whose
--   place name, and its ancestors' down from the importer's unit, appear in the address, in order).
--   A row that cannot be placed is not stored: the import reports it (line, number, address, why) and a
--   later import, once the tree or the address is fixed, places it. No holding state means no
--   incident sits unowned with a clock nobody can meet.
-- * Every incident is domestic violence, so every row is sealed (a CHECK, not a default): people,
--   phone and address open only to those who owe the call (the unit's handlers, supervisors and
--   leaders) and to supervisors above; everyone else in scope sees a masked row.
-- * The follow-up clock is a `grassroots_dues` row (kind incident_follow_up) owed by the placed unit,
--   so the grassroots sweep warns and escalates it. The clock starts on the day the federation
--   received the incident (`received_on`): it cannot call before the police shared it.
--   `follow_up_due_on` and `followed_up_at` are copied onto the incident so the monthly figures read
--   one table.
-- * Each read writes one append-only `police_incident_reads` row, like `lead_reads`.

CREATE TABLE police_incident_batches (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL CHECK (source IN ('csv', 'api')),
    file_name    text,
    rows_total   integer NOT NULL DEFAULT 0,
    imported     integer NOT NULL DEFAULT 0,
    already      integer NOT NULL DEFAULT 0,
    reported     integer NOT NULL DEFAULT 0,
    created_by   bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL
);

CREATE TABLE police_incidents (
    id                 bigserial PRIMARY KEY,
    incident_no        text NOT NULL UNIQUE CHECK (length(incident_no) BETWEEN 1 AND 64),
    occurred_at        timestamptz NOT NULL,
    station            text NOT NULL,
    address            text NOT NULL,
    victim_name        text NOT NULL,
    victim_phone       text,
    respondent_name    text,
    handling           text,
    warning_letter     boolean NOT NULL,
    unit_id            bigint NOT NULL REFERENCES units (id),
    batch_id           bigint NOT NULL REFERENCES police_incident_batches (id),
    sealed             boolean NOT NULL DEFAULT true CHECK (sealed),
    received_on        date NOT NULL,
    follow_up_due_on   date NOT NULL,
    followed_up_at     timestamptz,
    created_at         timestamptz NOT NULL
);
CREATE INDEX police_incidents_unit_idx ON police_incidents (unit_id, id DESC);
CREATE INDEX police_incidents_occurred_idx ON police_incidents (occurred_at);

CREATE TABLE police_incident_follow_ups (
    id            bigserial PRIMARY KEY,
    incident_id   bigint NOT NULL REFERENCES police_incidents (id),
    reached       boolean NOT NULL,
    said          text,
    needs         text,
    risk_grade    text CHECK (risk_grade IN ('low', 'medium', 'high')),
    risk_answers  jsonb,
    case_id       bigint REFERENCES cases (id),
    lead_id       bigint REFERENCES leads (id),
    on_time       boolean NOT NULL,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    recorded_at   timestamptz NOT NULL
);
CREATE INDEX police_incident_follow_ups_incident_idx ON police_incident_follow_ups (incident_id, id);

CREATE TABLE police_incident_reads (
    id           bigserial PRIMARY KEY,
    incident_id  bigint NOT NULL REFERENCES police_incidents (id),
    user_id      bigint NOT NULL REFERENCES users (id),
    at           timestamptz NOT NULL,
    view         text NOT NULL,
    masked       boolean NOT NULL
);
CREATE INDEX police_incident_reads_incident_idx ON police_incident_reads (incident_id, id);

ALTER TABLE grassroots_dues DROP CONSTRAINT grassroots_dues_kind_check;
ALTER TABLE grassroots_dues ADD CONSTRAINT grassroots_dues_kind_check
    CHECK (kind IN ('visit', 'deliberation', 'dispatch_sign', 'follow_up', 'incident_follow_up'));
ALTER TABLE grassroots_dues ADD COLUMN incident_id bigint REFERENCES police_incidents (id);
CREATE INDEX grassroots_dues_incident_idx ON grassroots_dues (incident_id) WHERE incident_id IS NOT NULL;

REVOKE UPDATE, DELETE, TRUNCATE ON police_incident_reads, police_incident_follow_ups FROM huiyin_app;
