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
--   no PostGIS: `mediation_nearest` reads a bounding box around the point through the btree on
--   (latitude, longitude), keeps the bodies within the box's radius by haversine distance, and widens
--   the radius (×4 from 5 km) until `limit` of them are found. A body outside the radius is never nearer
--   than one inside it, so the answer is exact. In PL/pgSQL so that one round trip answers and its
--   plans are kept per connection.
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
-- Great-circle metres on the mean sphere (IUGG radius), as Haversine.metres computes them in Swift.
CREATE FUNCTION mediation_distance(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    2 * 6371008.8 * asin(least(1, sqrt(power(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))));

-- The `p_limit` bodies nearest to (p_lat, p_lon), nearest first, ties by id.
CREATE FUNCTION mediation_nearest(p_lat float8, p_lon float8, p_limit integer)
RETURNS TABLE (body_id bigint, distance_m float8) LANGUAGE plpgsql STABLE ROWS 10 AS $$
DECLARE
    radius float8 := 5000;
    angle float8;
    dlat float8;
    ratio float8;
    dlon float8;
    min_lon numeric;
    max_lon numeric;
    ids bigint[];
    ds float8[];
BEGIN
    WHILE radius <= 5120000 LOOP
        angle := radius / 6371008.8;
        -- A little slack so rounding never leaves a body on the edge outside the box.
        dlat := degrees(angle) * 1.000001 + 1e-6;
        ratio := sin(angle) / cos(radians(p_lat));
        -- Every longitude when the circle takes in a pole or crosses the ±180° meridian.
        min_lon := -180;
        max_lon := 180;
        IF p_lat + dlat < 90 AND p_lat - dlat > -90 AND ratio < 1 THEN
            dlon := degrees(asin(ratio)) * 1.000001 + 1e-6;
            IF p_lon - dlon > -180 AND p_lon + dlon < 180 THEN
                min_lon := p_lon - dlon;
                max_lon := p_lon + dlon;
            END IF;
        END IF;
        SELECT array_agg(n.id ORDER BY n.d, n.id), array_agg(n.d ORDER BY n.d, n.id) INTO ids, ds
        FROM (SELECT c.id, c.d FROM (
                  SELECT b.id, mediation_distance(p_lat, p_lon, b.latitude::float8, b.longitude::float8) AS d
                  FROM mediation_bodies b
                  WHERE b.latitude BETWEEN (p_lat - dlat)::numeric AND (p_lat + dlat)::numeric
                    AND b.longitude BETWEEN min_lon AND max_lon) c
              WHERE c.d <= radius ORDER BY c.d, c.id LIMIT p_limit) n;
        IF coalesce(cardinality(ids), 0) = p_limit THEN
            RETURN QUERY SELECT * FROM unnest(ids, ds);
            RETURN;
        END IF;
        radius := radius * 4;
    END LOOP;
    RETURN QUERY SELECT b.id, mediation_distance(p_lat, p_lon, b.latitude::float8, b.longitude::float8) AS d
                 FROM mediation_bodies b ORDER BY d, b.id LIMIT p_limit;
END
$$;

-- The registry is kept by import; a body closed is re-imported with its new details, never deleted
-- under a referral that names it.
REVOKE DELETE, TRUNCATE ON mediation_bodies FROM huiyin_app;
