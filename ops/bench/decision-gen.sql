-- Generator of the decision-support benchmark's history (ops/bench-decision.sh), set-based.
-- Every value is a function of the case number i (a hash of i and a salt), so a window of time can
-- be written on its own: cases, contacts and events each in time order (the BRIN indexes on
-- recorded_at / at see the order production writes in). The functions live in schema benchgen,
-- dropped once the history is written, so the database ends with the production schema only.
--
-- The tree (explicit ids, the path trigger fills the paths): province 1; cities 2..15; counties
-- 101..220; townships 1001..2500; villages 10001..58365 (50,000 units). A child's parent is chosen by
-- its number modulo the parent level's size.

CREATE SCHEMA benchgen;

-- A uniform number in [0, 1) for case i and salt (0..31).
CREATE FUNCTION benchgen.r(i bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (hashint8(i * 32 + salt) & 2147483647)::double precision / 2147483648 $$;

-- Channel and head count of contact k (1..3) of case i: calls 55 %, letters 5 %, visits 20 %
-- (a twentieth of them collective, 5 or more people: 1 % of contacts), online 20 %.
-- (Single expressions, so that PostgreSQL inlines them: a function call per value is ten times slower.)
CREATE FUNCTION benchgen.channel(i bigint, k int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN benchgen.r(i, 5 + k) < 0.55 THEN 'call' WHEN benchgen.r(i, 5 + k) < 0.60 THEN 'letter'
                WHEN benchgen.r(i, 5 + k) < 0.80 THEN 'visit' ELSE 'online' END $$;
CREATE FUNCTION benchgen.visitors(i bigint, k int) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN benchgen.r(i, 5 + k) < 0.60 OR benchgen.r(i, 5 + k) >= 0.80 THEN NULL
                WHEN benchgen.r(i, 9 + k) < 0.05 THEN 5 + floor(benchgen.r(i, 13 + k) * 16)::integer
                ELSE 1 + floor(benchgen.r(i, 13 + k) * 3)::integer END $$;

-- Cases lo..hi of n spread evenly over [s, e). Unit: village 60 %, township 25 %, county 10 %,
-- city 4 %, province 1 %; one in 50 township cases is transferred 2 h after registration to one of
-- its villages (u1). Every eighth case is a repeat petition (3 contacts). Categories in shares seen
-- at women's federations; minors_rights and 4 % of the rest are about a minor.
CREATE FUNCTION benchgen.cases(lo bigint, hi bigint, s timestamptz, e timestamptz, n bigint)
RETURNS TABLE (i bigint, t timestamptz, u0 bigint, u1 bigint, category text, minor boolean, nc integer)
LANGUAGE sql STABLE AS $$
    SELECT g.i, g.t, g.u0,
           CASE WHEN g.u0 BETWEEN 1001 AND 2500 AND g.i % 50 = 7 AND g.t < e - interval '1 day'
                THEN g.u0 + 9000 + 1500 * (g.i % 32) ELSE g.u0 END,
           g.category,
           g.category = 'minors_rights' OR benchgen.r(g.i, 4) < 0.04,
           CASE WHEN g.i % 8 = 0 THEN 3 ELSE 1 END
    FROM (
        SELECT i, s + (e - s) * ((i - 1 + benchgen.r(i, 0)) / n) AS t,
               CASE WHEN l < 0.60 THEN 10001 + floor(benchgen.r(i, 2) * 48365)::bigint
                    WHEN l < 0.85 THEN 1001 + floor(benchgen.r(i, 2) * 1500)::bigint
                    WHEN l < 0.95 THEN 101 + floor(benchgen.r(i, 2) * 120)::bigint
                    WHEN l < 0.99 THEN 2 + floor(benchgen.r(i, 2) * 14)::bigint
                    ELSE 1 END AS u0,
               CASE WHEN c < 0.30 THEN 'marriage_family' WHEN c < 0.40 THEN 'domestic_violence'
                    WHEN c < 0.42 THEN 'sexual_assault' WHEN c < 0.47 THEN 'minors_rights'
                    WHEN c < 0.62 THEN 'labor_social_security' WHEN c < 0.77 THEN 'property_rights'
                    WHEN c < 0.85 THEN 'personal_rights' ELSE 'other' END AS category
        FROM generate_series(greatest(lo, 1), least(hi, n)) AS i,
             LATERAL (SELECT benchgen.r(i, 1) AS l, benchgen.r(i, 3) AS c) x
    ) g $$;

-- The case numbers whose rows may fall in [a, b): contacts and events come up to 26 days after the case.
CREATE FUNCTION benchgen.span(a timestamptz, b timestamptz, s timestamptz, e timestamptz, n bigint, lead interval,
                              OUT lo bigint, OUT hi bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT greatest(1, floor(extract(epoch FROM a - lead - s) / extract(epoch FROM e - s) * n)::bigint),
           least(n, ceil(extract(epoch FROM b - s) / extract(epoch FROM e - s) * n)::bigint + 1) $$;

-- The secondary indexes of the three big tables are dropped for the load and made again afterwards
-- from their own definitions (decision-finish.sql): built at once from sorted data, they take a
-- fraction of the time row-by-row insertion into ten indexes takes, and end the same. Indexes of
-- constraints (primary keys, unique) stay: their keys arrive in order.
CREATE TABLE benchgen.indexes AS
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename IN ('cases', 'contacts', 'case_events')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('public.%I', i.indexname)::regclass);
SELECT format('DROP INDEX public.%I', indexname) FROM benchgen.indexes \gexec
