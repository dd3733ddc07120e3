-- One window [a, b) of the decision benchmark's history (functions of decision-gen.sql): the cases
-- registered in it, the contacts or the case events recorded in it, each in time order.
-- psql variables: a, b (window), s, e (whole history), n (cases in all), and which table: one of
-- cases, contacts, events set to 1, the others to 0 (the three tables are written side by side, each
-- window after window, so each table is in time order however the three interleave).
-- Written with triggers off (session_replication_role = replica): every column a trigger would set
-- (sealed, visitors, the rows' unit_id) is written here as the trigger would have written it.
SET session_replication_role = replica;
SET work_mem = '256MB';

\if :cases
INSERT INTO cases (id, tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id, channel,
                   received_on, contact_count, created_at, updated_at, sealed, risk_grade, transfer_from_unit_id,
                   victim_is_minor, visitors)
SELECT c.i, 'BD' || lpad(c.i::text, 10, '0'), '\x00', '\x00', c.category, '压测事项', st.status,
       c.u1,
       benchgen.channel(c.i, 1), (c.t AT TIME ZONE 'Asia/Shanghai')::date, c.nc, c.t, c.t + st.after,
       c.category IN ('domestic_violence', 'sexual_assault', 'minors_rights') OR c.minor,
       CASE WHEN c.category = 'domestic_violence' THEN
            CASE WHEN benchgen.r(c.i, 20) < 0.2 THEN 'high' WHEN benchgen.r(c.i, 20) < 0.6 THEN 'medium' ELSE 'low' END END,
       CASE WHEN c.u1 <> c.u0 THEN c.u0 END,
       c.minor,
       CASE WHEN c.nc = 1 THEN benchgen.visitors(c.i, 1)
            ELSE greatest(benchgen.visitors(c.i, 1), benchgen.visitors(c.i, 2), benchgen.visitors(c.i, 3)) END
FROM benchgen.span(:'a', :'b', :'s', :'e', :n, interval '0') w,
     benchgen.cases(w.lo, w.hi, :'s', :'e', :n) c,
     LATERAL (SELECT CASE WHEN c.t + interval '25 days' < :'e' THEN 'closed'
                          WHEN c.t + interval '20 days' < :'e' THEN 'replied'
                          WHEN c.t + interval '1 day 1 hour' < :'e' THEN 'accepted' ELSE 'registered' END) s1(status),
     LATERAL (SELECT s1.status, CASE s1.status WHEN 'closed' THEN interval '25 days' WHEN 'replied' THEN interval '20 days'
                                               WHEN 'accepted' THEN interval '1 day 1 hour' ELSE interval '0' END) st(status, after)
WHERE c.t >= :'a' AND c.t < :'b'
ORDER BY c.i;

\endif

\if :contacts
-- Contact k of a case: the first at registration, repeats 10 and 20 days later (sooner near e).
-- (The cases are computed once, materialized, then expanded: inlined, each row would compute them again.)
INSERT INTO contacts (case_id, channel, summary, received_on, recorded_at, sub_line, letter_sender, letter_on_behalf,
                      visit_window, visitors, unit_id)
WITH c AS MATERIALIZED (
    SELECT c.* FROM benchgen.span(:'a', :'b', :'s', :'e', :n, interval '21 days') w, benchgen.cases(w.lo, w.hi, :'s', :'e', :n) c
)
SELECT c.i, x.ch, '压测来电来信来访', (x.at AT TIME ZONE 'Asia/Shanghai')::date, x.at,
       CASE WHEN x.ch = 'call' THEN 'main' END,
       CASE WHEN x.ch = 'letter' THEN '来信人' END, CASE WHEN x.ch = 'letter' THEN false END,
       CASE WHEN x.ch = 'visit' THEN '一号窗口' END, benchgen.visitors(c.i, x.k),
       CASE WHEN x.at >= c.t + interval '2 hours' THEN c.u1 ELSE c.u0 END
FROM c CROSS JOIN LATERAL (
    SELECT k, c.t + (k - 1) * least(interval '10 days', (:'e' - c.t) / 3), benchgen.channel(c.i, k)
    FROM generate_series(1, c.nc) AS k
) AS x(k, at, ch)
WHERE x.at >= :'a' AND x.at < :'b'
ORDER BY x.at, c.i;

\endif

\if :events
-- The events a case has by e: registered; a danger grade for domestic violence; the transfer and its
-- acceptance; accepted next day, replied after 20 days, closed after 25.
INSERT INTO case_events (case_id, at, actor, kind, from_status, to_status, detail, unit_id)
WITH c AS MATERIALIZED (
    SELECT c.* FROM benchgen.span(:'a', :'b', :'s', :'e', :n, interval '26 days') w, benchgen.cases(w.lo, w.hi, :'s', :'e', :n) c
)
SELECT c.i, c.t + x.after, 'staff', x.kind, x.from_status, x.to_status, x.detail, x.unit_id
FROM c CROSS JOIN LATERAL (VALUES
    (true, interval '0', 'registered', NULL, 'registered', c.u0, '{}'::jsonb),
    (c.category = 'domestic_violence', interval '1 hour', 'risk_assessed', NULL, NULL, c.u0,
     CASE WHEN benchgen.r(c.i, 20) < 0.2 THEN '{"grade": "high"}'::jsonb
          WHEN benchgen.r(c.i, 20) < 0.6 THEN '{"grade": "medium"}' ELSE '{"grade": "low"}' END),
    (c.u1 <> c.u0, interval '2 hours', 'transferred', 'registered', 'transferred', c.u1, '{}'),
    (c.u1 <> c.u0, interval '20 hours', 'transfer_accepted', 'transferred', 'registered', c.u1, '{}'),
    (true, interval '1 day 1 hour', 'accepted', 'registered', 'accepted', c.u1, '{}'),
    (true, interval '20 days', 'replied', 'accepted', 'replied', c.u1, '{}'),
    (true, interval '25 days', 'closed', 'replied', 'closed', c.u1, '{}')
) AS x(present, after, kind, from_status, to_status, unit_id, detail)
WHERE x.present AND c.t + x.after >= :'a' AND c.t + x.after < least(:'b'::timestamptz, :'e'::timestamptz)
ORDER BY c.t + x.after, c.i;
\endif
