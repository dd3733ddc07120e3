-- Grids (网格) and the key-household register (重点户): the grassroots network's foundation.
--
-- Design notes
-- * A grid is a unit of a new sixth level, 'grid', below 'village' (the five levels so far end at
--   village). Being a unit, it has a path like every other, so every scope rule keeps holding
--   unchanged: whoever sits at a village, township, county, city or province sees the grids below
--   hers by the same `path @> ARRAY[v.unit_id]` test. The level list of `units_place` (the trigger
--   that checks a child sits exactly one level below its parent) gains 'grid'.
-- * A grid's profile (households, residents, children, elderly living alone, notes on women's groups
--   by building) lives in `grid_profiles`, one row per grid unit, written by the unit import's
--   optional columns. It is apart from `units` so the other levels carry no empty columns.
-- * Two roles join: 'grid_worker' (巾帼网格员) and 'information_officer' (妇情信息员). Such a user
--   sits at one grid (users.unit_id, her first) and is assigned to one or more grids in
--   `staff_grids`. For households she sees only the grids assigned to her (not the unit-subtree
--   test, which for a grid is the grid alone anyway); everyone else sees the households of the grids
--   in her unit's subtree. The village chair and the women's council work at the village, as staff
--   of that unit, so they see all its grids.
-- * `households`: the register per grid. The address and members are personal data: lists show them
--   masked (HuiyinCore PersonalDataMask), the whole record only on the audited read. Members carry
--   the victim model's fields (relation, age or birth date, minor). Why the household is on the
--   register: Jiangsu's 四必访 categories (text[] of closed values) and, separately and with history,
--   Changzhou's classification in `household_classifications` (grade A/B/C, colour red/orange/pink,
--   the reason, who set it, when, next review day); the household row keeps the current one.
-- * Sealing follows the case rule: a household with a domestic-violence or minor's matter
--   (`matters`) is sealed from the moment it exists or the matter is added, by trigger, whichever
--   path writes it. A sealed household opens only to the grid workers / information officers
--   assigned to its grid and to supervisors of units above the grid; anyone else in scope sees its
--   masked row only.
-- * Every read of a household writes one `household_reads` row (who, when, which view, masked),
--   append-only and not changeable by the application's role, like `case_reads`.

ALTER TABLE units DROP CONSTRAINT units_level_check;
ALTER TABLE units ADD CONSTRAINT units_level_check
    CHECK (level IN ('province', 'city', 'county', 'township', 'village', 'grid'));

CREATE OR REPLACE FUNCTION units_place() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent units%ROWTYPE;
    levels text[] := ARRAY['province', 'city', 'county', 'township', 'village', 'grid'];
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        RAISE EXCEPTION 'a unit does not move in the tree' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.parent_id IS NULL THEN
        NEW.path := ARRAY[NEW.id];
    ELSE
        SELECT * INTO parent FROM units WHERE id = NEW.parent_id;
        IF array_position(levels, NEW.level) IS DISTINCT FROM array_position(levels, parent.level) + 1 THEN
            RAISE EXCEPTION 'a % unit cannot sit under a % unit', NEW.level, parent.level USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent.path || NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TABLE grid_profiles (
    unit_id          bigint PRIMARY KEY REFERENCES units (id),
    households       integer CHECK (households >= 0),
    residents        integer CHECK (residents >= 0),
    children         integer CHECK (children >= 0),
    elderly_alone    integer CHECK (elderly_alone >= 0),
    womens_groups    text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('operator', 'reception', 'handler', 'supervisor', 'leader', 'admin', 'grid_worker', 'information_officer'));

CREATE TABLE staff_grids (
    user_id  bigint NOT NULL REFERENCES users (id),
    grid_id  bigint NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, grid_id)
);
CREATE INDEX staff_grids_grid_idx ON staff_grids (grid_id);

-- Only a grid can be assigned.
CREATE FUNCTION staff_grids_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.grid_id AND level = 'grid') THEN
        RAISE EXCEPTION 'unit % is not a grid', NEW.grid_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER staff_grids_check BEFORE INSERT OR UPDATE ON staff_grids FOR EACH ROW EXECUTE FUNCTION staff_grids_check();

CREATE TABLE households (
    id                    bigserial PRIMARY KEY,
    grid_id               bigint NOT NULL REFERENCES units (id),
    address               text NOT NULL,
    head_name             text NOT NULL,
    phone                 text,
    categories            text[] NOT NULL DEFAULT '{}' CHECK (categories <@ ARRAY[
                              'woman_entrepreneur_in_difficulty', 'family_in_hardship',
                              'empty_nest_or_left_behind', 'petitioner_family_dispute']::text[]),
    matters               text[] NOT NULL DEFAULT '{}' CHECK (matters <@ ARRAY['domestic_violence', 'minor']::text[]),
    notes                 text,
    sealed                boolean NOT NULL DEFAULT false,
    grade                 text CHECK (grade IN ('A', 'B', 'C')),
    colour                text CHECK (colour IN ('red', 'orange', 'pink')),
    classification_reason text,
    classified_by         bigint REFERENCES users (id),
    classified_at         timestamptz,
    review_on             date,
    created_by            bigint NOT NULL REFERENCES users (id),
    created_at            timestamptz NOT NULL
);
CREATE INDEX households_grid_idx ON households (grid_id, id DESC);

CREATE FUNCTION households_grid_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.grid_id AND level = 'grid') THEN
        RAISE EXCEPTION 'unit % is not a grid', NEW.grid_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER households_grid_check BEFORE INSERT OR UPDATE OF grid_id ON households
    FOR EACH ROW EXECUTE FUNCTION households_grid_check();

-- Sealed like a case of the same kind, whichever path writes it; a seal is never lifted by an update.
CREATE FUNCTION households_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.matters && ARRAY['domestic_violence', 'minor']::text[] THEN
        NEW.sealed := true;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.sealed THEN
        NEW.sealed := true;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER households_seal BEFORE INSERT OR UPDATE ON households FOR EACH ROW EXECUTE FUNCTION households_seal();

CREATE TABLE household_members (
    id            bigserial PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id),
    position      smallint NOT NULL,
    name          text NOT NULL,
    relation      text NOT NULL CHECK (relation IN ('self', 'child', 'spouse', 'parent', 'relative', 'other')),
    birth_date    date,
    age           smallint CHECK (age BETWEEN 0 AND 150),
    is_minor      boolean NOT NULL DEFAULT false,
    UNIQUE (household_id, position)
);

-- Changzhou's classification, with its history: the household row carries the latest.
CREATE TABLE household_classifications (
    id            bigserial PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id),
    grade         text NOT NULL CHECK (grade IN ('A', 'B', 'C')),
    colour        text NOT NULL CHECK (colour IN ('red', 'orange', 'pink')),
    reason        text NOT NULL,
    set_by        bigint NOT NULL REFERENCES users (id),
    set_at        timestamptz NOT NULL,
    review_on     date NOT NULL
);
CREATE INDEX household_classifications_household_idx ON household_classifications (household_id, id);

-- Every read of a household: who, when, which view, whether she saw it masked.
CREATE TABLE household_reads (
    id            bigserial PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    at            timestamptz NOT NULL,
    view          text NOT NULL,
    masked        boolean NOT NULL
);
CREATE INDEX household_reads_household_idx ON household_reads (household_id, id);

CREATE TRIGGER household_reads_append_only BEFORE UPDATE OR DELETE ON household_reads
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER household_reads_no_truncate BEFORE TRUNCATE ON household_reads
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER household_classifications_append_only BEFORE UPDATE OR DELETE ON household_classifications
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

GRANT SELECT, INSERT ON household_reads, household_classifications TO huiyin_app;
REVOKE UPDATE, DELETE, TRUNCATE ON household_reads, household_classifications FROM huiyin_app;
