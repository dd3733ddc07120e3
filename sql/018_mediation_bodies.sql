-- The mediation network (调解网络) and its public map (家事调解地图): every mediation body and service
-- point — a village's family-mediation point (家事调解点 / 妇女议事会), a township's people's mediation
-- committee, a county's or city's marriage-and-family mediation committee, a women's federation
-- mediation studio — with where it is, how to call it and when it is open.
--
-- Design notes
-- * `code` is the registry's own number for a body: an import is idempotent on it (a re-import
--   updates the row in place, never duplicates it).
-- * A body belongs to a unit of the tree; its level is that unit's level, so it is not stored twice.
--   The public chooser (county, township) follows `units.path`.
-- * Coordinates are WGS-84 degrees, numeric(9,6) (about 0.1 m), range-checked. The nearest query needs
--   no PostGIS: a bounding box around the point, widened until it holds enough bodies, is read through
--   the btree on (latitude, longitude) and ordered by the haversine distance. A body farther than the
--   box's radius is never closer than one inside it, so the answer is exact.
-- * Everything here is public information: no case or person is linked to a body in this table.
CREATE TABLE mediation_bodies (
    id              bigserial PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
    kind            text NOT NULL CHECK (kind IN ('village_point', 'township_committee', 'county_committee',
                                                  'federation_studio', 'other')),
    unit_id         bigint NOT NULL REFERENCES units (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    address         text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
    latitude        numeric(9, 6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       numeric(9, 6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    phone           text CHECK (phone ~ '^[0-9+() -]{3,30}$'),
    hours           text CHECK (length(hours) <= 100),
    mediator_count  integer CHECK (mediator_count BETWEEN 0 AND 1000),
    mediators       text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mediation_bodies_position_idx ON mediation_bodies (latitude, longitude);
CREATE INDEX mediation_bodies_unit_idx ON mediation_bodies (unit_id);
-- The registry is kept by import; a body closed is re-imported with its new details, never deleted
-- under a referral that names it.
REVOKE DELETE, TRUNCATE ON mediation_bodies FROM huiyin_app;
