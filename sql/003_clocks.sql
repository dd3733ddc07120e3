-- Legal clocks as rows: each clock of each case with its due day, so "what is due now" is an
-- index range scan however many cases exist.
CREATE TABLE clocks (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    kind        text NOT NULL,
    rule_limit  text NOT NULL,             -- the limit it was started with, e.g. 15d
    started_on  date NOT NULL,             -- the day of the starting event (not counted)
    due_on      date NOT NULL,             -- the last day; it runs out at 24:00 local time
    due_at      timestamptz NOT NULL,
    state       text NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached', 'cancelled')),
    stopped_at  timestamptz,
    unit_id     bigint NOT NULL REFERENCES units (id),   -- the unit answerable for it
    channel     text NOT NULL,
    -- How far up the supervision ladder the sweep has taken it: 0 nothing, 1 due-soon warning,
    -- 2 reminder (催办), 3 notice (通报). A clock at 3 leaves the sweep's index for good.
    supervision_level  smallint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL
);
CREATE INDEX clocks_running_due_idx ON clocks (due_on) WHERE state = 'running';
-- What a sweep may still have to do: a no-op sweep reads (almost) nothing, however many clocks are overdue.
CREATE INDEX clocks_supervision_idx ON clocks (due_on) WHERE state = 'running' AND supervision_level < 3;
-- Every sweep step and every stop rewrites clock rows: vacuum after a fixed number of dead rows,
-- not after a fifth of a table that holds every case ever registered.
ALTER TABLE clocks SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
CREATE UNIQUE INDEX clocks_one_open_kind_idx ON clocks (case_id, kind) WHERE state IN ('running', 'paused');
CREATE INDEX clocks_case_idx ON clocks (case_id);

-- Each supervision step happens once per clock, whichever instance sweeps and however often.
CREATE TABLE clock_steps (
    clock_id  bigint NOT NULL REFERENCES clocks (id),
    step      text NOT NULL CHECK (step IN ('due_soon', 'reminder', 'notice')),
    at        timestamptz NOT NULL,
    PRIMARY KEY (clock_id, step)
);

-- A case put forward for leadership ownership (领导包案), once.
CREATE TABLE leadership_proposals (
    case_id  bigint PRIMARY KEY REFERENCES cases (id),
    reason   text NOT NULL,
    at       timestamptz NOT NULL
);

-- What people are told: addressed to a unit and an audience (its handlers or its supervisors).
CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES units (id),
    audience    text NOT NULL CHECK (audience IN ('handlers', 'supervisors', 'leaders')),
    case_id     bigint NOT NULL REFERENCES cases (id),
    clock_id    bigint REFERENCES clocks (id),
    kind        text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);
CREATE INDEX notifications_unit_idx ON notifications (unit_id, audience, id DESC);

CREATE TABLE notification_reads (
    notification_id  bigint NOT NULL REFERENCES notifications (id),
    user_id          bigint NOT NULL REFERENCES users (id),
    at               timestamptz NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);

-- Cases with many contacts are looked at by every sweep (leadership proposals).
CREATE INDEX cases_repeat_idx ON cases (contact_count) WHERE contact_count >= 2;
