-- The monthly visit cycle (家家访 月月谈): every key household is due a visit each month by the
-- rule set's due day (the 20th unless the province profile says otherwise).
--
-- Design notes
-- * `household_visits`: one row per visit — who, which day, in person or by phone, the four
--   must-discuss topics each asked yes/no and found yes/no, notes, and the lead raised from it (if
--   any). One visit per household and day (a second is a 409, a retry with the same Idempotency-Key
--   replays the first answer). The grid is kept on the row as it was when the visit was made.
-- * Completion figures come from counters, never from scanning visits. `visit_grid_months` holds one
--   row per grid and month: `due` (households on the grid's register that month) and `done`
--   (households visited at least once that month). Sixteen writers record visits in different grids,
--   so they update different rows; there is no province row to queue on. A unit's figure is the sum of
--   its grids' rows, found by one btree range on (month, path): a grid's path
--   [province, …, village, grid] sorts between its ancestor's path P and P with the last id plus one.
-- * `visit_household_months` marks "this household was visited in this month" (its first visit): the
--   visit statement inserts it and bumps `done` only when the mark is new, so a second visit in the
--   month does not count twice. The due list is the register minus these marks.
-- * A month is opened once (`visit_months`, with the instants it starts and ends in the server's
--   zone): opening counts each grid's households then (under a SHARE lock on households, so no
--   insert slips between the count and the month row). A household put on the register later adds one
--   to `due` of every opened month that ends after it was created (trigger), whichever path writes it.
-- * The sweep's once-only steps: `warned` and `overdue_told` on the grid's counter row (partial
--   indexes hold only the rows still to look at, so a sweep with nothing to do reads an empty index),
--   and one `visit_steps` row per unit, month and step, inserted in the same statement as the
--   notification, so any number of instances may sweep at once and each unit is told once.
--   Notifications are per grid (the warning to her grid workers) and per village / township (the
--   overdue notice with the count and the grids), not per household: a chair wants one line a month.
-- * The monthly visit does not use `grassroots_dues`: a million due rows a month would be written
--   and swept; the per-grid counters carry the same fact in 50,000 rows.

CREATE TABLE household_visits (
    id                     bigserial PRIMARY KEY,
    household_id           bigint NOT NULL REFERENCES households (id),
    grid_id                bigint NOT NULL REFERENCES units (id),
    visited_on             date NOT NULL,
    month                  date NOT NULL CHECK (extract(day FROM month) = 1),
    mode                   text NOT NULL CHECK (mode IN ('in_person', 'phone')),
    rights_asked           boolean NOT NULL,
    rights_found           boolean NOT NULL,
    disputes_asked         boolean NOT NULL,
    disputes_found         boolean NOT NULL,
    violence_asked         boolean NOT NULL,
    violence_found         boolean NOT NULL,
    minor_assault_asked    boolean NOT NULL,
    minor_assault_found    boolean NOT NULL,
    notes                  text,
    lead_id                bigint REFERENCES leads (id),
    visited_by             bigint NOT NULL REFERENCES users (id),
    recorded_at            timestamptz NOT NULL,
    UNIQUE (household_id, visited_on)
);

CREATE TABLE visit_months (
    month       date PRIMARY KEY CHECK (extract(day FROM month) = 1),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    opened_at   timestamptz NOT NULL
);

CREATE TABLE visit_household_months (
    household_id    bigint NOT NULL REFERENCES households (id),
    month           date NOT NULL,
    first_visit_id  bigint NOT NULL REFERENCES household_visits (id),
    PRIMARY KEY (household_id, month)
);

-- Updated by every first visit of a household in a month: room on each page keeps those updates HOT
-- (no index touched: the indexed columns and the partial indexes' predicates never change on a visit).
CREATE TABLE visit_grid_months (
    grid_id        bigint NOT NULL REFERENCES units (id),
    month          date NOT NULL,
    path           bigint[] NOT NULL,
    due            integer NOT NULL DEFAULT 0 CHECK (due >= 0),
    done           integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    warned         boolean NOT NULL DEFAULT false,
    overdue_told   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (grid_id, month)
) WITH (fillfactor = 50);
CREATE INDEX visit_grid_months_subtree_idx ON visit_grid_months (month, path);
CREATE INDEX visit_grid_months_unwarned_idx ON visit_grid_months (month) WHERE NOT warned;
CREATE INDEX visit_grid_months_untold_idx ON visit_grid_months (month) WHERE NOT overdue_told;

CREATE TABLE visit_steps (
    unit_id  bigint NOT NULL REFERENCES units (id),
    month    date NOT NULL,
    step     text NOT NULL CHECK (step IN ('warning', 'overdue_village', 'overdue_township')),
    at       timestamptz NOT NULL,
    PRIMARY KEY (unit_id, month, step)
);

-- A household put on the register counts as due in every opened month that ends after it was created.
CREATE FUNCTION households_visit_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO visit_grid_months (grid_id, month, path, due)
    SELECT NEW.grid_id, vm.month, gu.path, 1
    FROM visit_months vm JOIN units gu ON gu.id = NEW.grid_id
    WHERE vm.ends_at > NEW.created_at
    ON CONFLICT (grid_id, month) DO UPDATE SET due = visit_grid_months.due + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER households_visit_due AFTER INSERT ON households FOR EACH ROW EXECUTE FUNCTION households_visit_due();

-- A visit is part of the record: never changed or removed by the application.
CREATE TRIGGER household_visits_append_only BEFORE UPDATE OR DELETE ON household_visits
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
REVOKE UPDATE, DELETE, TRUNCATE ON household_visits FROM huiyin_app;
