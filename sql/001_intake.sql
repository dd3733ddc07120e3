-- Intake: units, staff, petitioners, cases, contacts and the append-only event history.

-- The five-level federation tree: province → city → county → township → village.
CREATE TABLE units (
    id          bigserial PRIMARY KEY,
    parent_id   bigint REFERENCES units (id),
    level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_parent_idx ON units (parent_id);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    display_name  text NOT NULL,
    unit_id       bigint NOT NULL REFERENCES units (id),
    role          text NOT NULL CHECK (role IN ('operator', 'reception', 'handler', 'supervisor', 'leader', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- API tokens are stored as SHA-256 hashes; the token itself is shown once.
CREATE TABLE api_tokens (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE petitioners (
    id          bigserial PRIMARY KEY,
    name        text,
    phone       text,            -- digits only (PhoneNumber)
    id_number   text,
    address     text,
    is_minor    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL
);
-- Caller lookup while the phone rings.
CREATE INDEX petitioners_phone_idx ON petitioners (phone) WHERE phone IS NOT NULL;

-- Serial part of tracking numbers: a sequence, so no counter row serialises concurrent intakes.
CREATE SEQUENCE case_serial;

CREATE TABLE cases (
    id               bigserial PRIMARY KEY,
    tracking_no      text NOT NULL UNIQUE,
    query_code_hash  bytea NOT NULL,   -- SHA-256 of salt || code; the code is shown once
    query_code_salt  bytea NOT NULL,
    category         text NOT NULL CHECK (category IN ('marriage_family', 'domestic_violence', 'sexual_assault',
                         'minors_rights', 'labor_social_security', 'property_rights', 'personal_rights', 'other')),
    summary          text NOT NULL,
    status           text NOT NULL,
    unit_id          bigint NOT NULL REFERENCES units (id),
    petitioner_id    bigint REFERENCES petitioners (id),
    channel          text NOT NULL,   -- the channel of the first contact
    received_on      date NOT NULL,   -- the day the matter first reached us; clocks count from it
    contact_count    integer NOT NULL DEFAULT 1 CHECK (contact_count >= 1),
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX cases_petitioner_idx ON cases (petitioner_id, created_at DESC);
CREATE INDEX cases_unit_idx ON cases (unit_id);

-- One row per call, letter, visit or online submission.
CREATE TABLE contacts (
    id                bigserial PRIMARY KEY,
    case_id           bigint NOT NULL REFERENCES cases (id),
    petitioner_id     bigint REFERENCES petitioners (id),
    channel           text NOT NULL CHECK (channel IN ('call', 'letter', 'visit', 'online')),
    summary           text NOT NULL,
    received_on       date NOT NULL,
    recorded_at       timestamptz NOT NULL,
    recorded_by       bigint REFERENCES users (id),   -- the operator or cadre; NULL for online
    sub_line          text,      -- call: hotline sub-line
    letter_sender     text,      -- letter
    letter_on_behalf  boolean,   -- letter written for someone else
    visit_window      text,      -- visit: reception window
    visitors          integer,   -- visit: head count; 5 or more is a collective petition
    CHECK (channel <> 'call' OR sub_line IS NOT NULL),
    CHECK (channel <> 'letter' OR (letter_sender IS NOT NULL AND letter_on_behalf IS NOT NULL)),
    CHECK (channel <> 'visit' OR (visit_window IS NOT NULL AND visitors >= 1))
);
CREATE INDEX contacts_case_idx ON contacts (case_id, id);

-- Every state change of a case: who, when, what, why. The case row is the current state.
CREATE TABLE case_events (
    id             bigserial PRIMARY KEY,
    case_id        bigint NOT NULL REFERENCES cases (id),
    at             timestamptz NOT NULL,
    actor          text NOT NULL CHECK (actor IN ('staff', 'petitioner', 'system')),
    actor_user_id  bigint REFERENCES users (id),
    kind           text NOT NULL,
    from_status    text,
    to_status      text,
    reason         text,
    detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- A POST retried with the same Idempotency-Key gets the first answer and writes nothing.
CREATE TABLE idempotency_keys (
    scope         text NOT NULL,
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    result        jsonb,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Failure counters for throttling guesses (query codes), shared by every server instance.
CREATE TABLE throttle (
    bucket          text PRIMARY KEY,
    failures        integer NOT NULL,
    window_started  timestamptz NOT NULL
);

-- Nothing is ever hard-deleted from the record of a petition; history rows are never rewritten.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the petition record is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER contacts_append_only BEFORE UPDATE OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER petitioners_no_delete BEFORE DELETE ON petitioners
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER petition_record_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER contacts_no_truncate BEFORE TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER cases_no_truncate BEFORE TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
