-- The reception window: the roster of cadres on shift (全员接访), walk-in queue numbers, and scans
-- of letters kept with the case.

CREATE TABLE shifts (
    id          bigserial PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES units (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    day         date NOT NULL,
    period      text NOT NULL CHECK (period IN ('morning', 'afternoon', 'full_day')),
    reception_window text NOT NULL,
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    UNIQUE (user_id, day, period)
);
CREATE INDEX shifts_unit_day_idx ON shifts (unit_id, day);

-- One number per walk-in per window and day, called in order.
CREATE TABLE queue_tickets (
    unit_id    bigint NOT NULL REFERENCES units (id),
    day        date NOT NULL,
    number     integer NOT NULL,
    issued_at  timestamptz NOT NULL,
    called_at  timestamptz,
    called_by  bigint REFERENCES users (id),
    PRIMARY KEY (unit_id, day, number)
);

-- A letter's scan (PDF or JPEG), kept as received: part of the petition record.
CREATE TABLE attachments (
    id            bigserial PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    contact_id    bigint REFERENCES contacts (id),
    content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg')),
    bytes         bytea NOT NULL,
    size          integer NOT NULL,
    sha256        bytea NOT NULL,
    uploaded_by   bigint NOT NULL REFERENCES users (id),
    uploaded_at   timestamptz NOT NULL
);
-- PDF and JPEG are compressed already: store them as they are.
ALTER TABLE attachments ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX attachments_case_idx ON attachments (case_id, id);
CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
REVOKE UPDATE, DELETE, TRUNCATE ON attachments FROM huiyin_app;
