-- Decision support: daily figures per unit, kept by the sweep, read by every level through the tree.

-- The unit a contact or a case event belongs to is the unit that held the case at that moment, so a
-- transfer mid-month leaves the earlier work counted where it was done. Intake writes it in the same
-- statement; every other writer gets it from the case (the trigger), which is read before the row is
-- written, so a transfer's own event is counted at the unit the case went to.
ALTER TABLE contacts ADD COLUMN unit_id bigint REFERENCES units (id);
ALTER TABLE case_events ADD COLUMN unit_id bigint REFERENCES units (id);
UPDATE contacts c SET unit_id = k.unit_id FROM cases k WHERE k.id = c.case_id;
UPDATE case_events e SET unit_id = k.unit_id FROM cases k WHERE k.id = e.case_id;
ALTER TABLE contacts ALTER COLUMN unit_id SET NOT NULL;
ALTER TABLE case_events ALTER COLUMN unit_id SET NOT NULL;

CREATE FUNCTION case_row_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT unit_id INTO NEW.unit_id FROM cases WHERE id = NEW.case_id;
    RETURN NEW;
END
$$;
-- Only rows written without it: intake's own rows skip the function call.
CREATE TRIGGER contacts_unit BEFORE INSERT ON contacts FOR EACH ROW WHEN (NEW.unit_id IS NULL)
    EXECUTE FUNCTION case_row_unit();
CREATE TRIGGER case_events_unit BEFORE INSERT ON case_events FOR EACH ROW WHEN (NEW.unit_id IS NULL)
    EXECUTE FUNCTION case_row_unit();

-- A day's facts are found by time. These tables are written in time order, so a BRIN index finds a
-- day in a few pages and costs the writers next to nothing (a B-tree would cost every intake).
CREATE INDEX contacts_recorded_brin ON contacts USING brin (recorded_at);
CREATE INDEX case_events_at_brin ON case_events USING brin (at);
CREATE INDEX leads_reported_brin ON leads USING brin (reported_at);
CREATE INDEX household_visits_recorded_brin ON household_visits USING brin (recorded_at);
CREATE INDEX lead_dispatches_at_brin ON lead_dispatches USING brin (dispatched_at);
CREATE INDEX sittings_recorded_brin ON sittings USING brin (recorded_at);
CREATE INDEX police_incidents_created_brin ON police_incidents USING brin (created_at);
CREATE INDEX police_incident_follow_ups_recorded_brin ON police_incident_follow_ups USING brin (recorded_at);
-- Clocks are rewritten as they move, so their stop time gets a small partial B-tree instead.
CREATE INDEX clocks_stopped_idx ON clocks (stopped_at) WHERE stopped_at IS NOT NULL;

-- One row per unit, day, measure and dimension: the count of facts recorded that day in the unit's
-- whole subtree (the unit itself and every unit below). Units never move in the tree, so a county's
-- month is 30 days of its own rows, whatever the tree's size. Counts only: a sealed case adds to a
-- number and never to any text.
CREATE TABLE daily_figures (
    unit_id    bigint NOT NULL REFERENCES units (id),
    day        date NOT NULL,
    measure    text NOT NULL,
    dimension  text NOT NULL DEFAULT '',
    count      integer NOT NULL CHECK (count > 0),
    PRIMARY KEY (unit_id, measure, day, dimension)
);
CREATE INDEX daily_figures_day_idx ON daily_figures (day);

-- The days computed, and whether a day is final (computed after it ended, with a margin for the
-- transactions still open at midnight); a day not final is computed again.
CREATE TABLE daily_figure_days (
    day           date PRIMARY KEY,
    refreshed_at  timestamptz NOT NULL,
    final         boolean NOT NULL,
    rows          integer NOT NULL
);

-- Replaces one day's figures with a fresh count of what was recorded in [day_start, day_end).
CREATE FUNCTION refresh_daily_figures(p_day date, p_start timestamptz, p_end timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    DELETE FROM daily_figures WHERE day = p_day;
    INSERT INTO daily_figures (unit_id, day, measure, dimension, count)
    SELECT a.unit_id, p_day, f.measure, f.dimension, sum(f.n)::integer
    FROM (
        -- Contacts: by channel, by the matter's category, about a minor, collective visits, repeats.
        SELECT c.unit_id, x.measure, x.dimension, count(*) AS n
        FROM contacts c JOIN cases k ON k.id = c.case_id
        CROSS JOIN LATERAL (VALUES
            ('contacts_by_channel', c.channel),
            ('contacts_by_category', k.category),
            (CASE WHEN k.victim_is_minor THEN 'contacts_minor' END, ''),
            (CASE WHEN c.channel = 'visit' AND c.visitors >= 5 THEN 'collective_visits' END, ''),
            (CASE WHEN EXISTS (SELECT 1 FROM contacts p WHERE p.case_id = c.case_id AND p.id < c.id)
                  THEN 'repeat_contacts' END, k.category)
        ) AS x(measure, dimension)
        WHERE c.recorded_at >= p_start AND c.recorded_at < p_end AND x.measure IS NOT NULL
        GROUP BY 1, 2, 3
        UNION ALL
        -- Case events: the steps of a case's life, new matters by category, danger grades.
        SELECT e.unit_id, x.measure, x.dimension, count(*)
        FROM case_events e JOIN cases k ON k.id = e.case_id
        CROSS JOIN LATERAL (VALUES
            (CASE WHEN e.kind IN ('registered', 'accepted', 'declined', 'transferred', 'transfer_accepted', 'replied',
                                  'closed', 'reopened', 'review_requested', 'rereview_requested', 'leader_assigned',
                                  'reminder_sent', 'notice_issued', 'mandatory_report_required')
                  THEN 'case_events' END, e.kind),
            (CASE WHEN e.kind = 'registered' THEN 'cases_by_category' END, k.category),
            (CASE WHEN e.kind = 'risk_assessed' THEN 'risk_assessed' END, coalesce(e.detail ->> 'grade', '')),
            (CASE WHEN e.kind = 'risk_assessed' AND e.detail ->> 'grade' = 'high' AND k.category = 'domestic_violence'
                  THEN 'high_risk_domestic_violence' END, '')
        ) AS x(measure, dimension)
        WHERE e.at >= p_start AND e.at < p_end AND x.measure IS NOT NULL
        GROUP BY 1, 2, 3
        UNION ALL
        -- Legal clocks stopped: on time or late, by the unit answerable.
        SELECT unit_id, 'clocks_stopped', state, count(*)
        FROM clocks WHERE stopped_at >= p_start AND stopped_at < p_end AND state IN ('met', 'breached')
        GROUP BY 1, 3
        UNION ALL
        -- The grassroots network: visits recorded, leads by kind, council decisions, dispatches.
        SELECT grid_id, 'visits', mode, count(*) FROM household_visits
        WHERE recorded_at >= p_start AND recorded_at < p_end GROUP BY 1, 3
        UNION ALL
        SELECT grid_id, 'visits_with_findings', '', count(*) FROM household_visits
        WHERE recorded_at >= p_start AND recorded_at < p_end
          AND (rights_found OR disputes_found OR violence_found OR minor_assault_found) GROUP BY 1
        UNION ALL
        SELECT l.grid_id, x.measure, x.dimension, count(*)
        FROM leads l CROSS JOIN LATERAL (VALUES
            ('leads_by_kind', l.kind),
            (CASE WHEN cardinality(l.mandatory_reports) > 0 THEN 'leads_mandatory' END, '')
        ) AS x(measure, dimension)
        WHERE l.reported_at >= p_start AND l.reported_at < p_end AND x.measure IS NOT NULL
        GROUP BY 1, 2, 3
        UNION ALL
        SELECT s.village_id, 'lead_decisions', d.decision, count(*)
        FROM sittings s JOIN lead_decisions d ON d.sitting_id = s.id
        WHERE s.recorded_at >= p_start AND s.recorded_at < p_end GROUP BY 1, 3
        UNION ALL
        SELECT from_unit_id, 'dispatches', '', count(*) FROM lead_dispatches
        WHERE dispatched_at >= p_start AND dispatched_at < p_end GROUP BY 1
        UNION ALL
        -- Police domestic-violence incidents received and followed up (on time or late).
        SELECT unit_id, 'police_incidents', '', count(*) FROM police_incidents
        WHERE created_at >= p_start AND created_at < p_end GROUP BY 1
        UNION ALL
        SELECT i.unit_id, 'incident_follow_ups', CASE WHEN f.on_time THEN 'on_time' ELSE 'late' END, count(*)
        FROM police_incident_follow_ups f JOIN police_incidents i ON i.id = f.incident_id
        WHERE f.recorded_at >= p_start AND f.recorded_at < p_end GROUP BY 1, 3
    ) AS f(unit_id, measure, dimension, n)
    JOIN units u ON u.id = f.unit_id
    CROSS JOIN LATERAL unnest(u.path) AS a(unit_id)
    GROUP BY a.unit_id, f.measure, f.dimension;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

-- Early warnings: one row per warning raised (the daily pass; unique per unit, series and day so a
-- second pass the same day writes nothing).
CREATE TABLE early_warnings (
    id            bigserial PRIMARY KEY,
    unit_id       bigint NOT NULL REFERENCES units (id),
    series        text NOT NULL,
    week_ending   date NOT NULL,       -- the last day of the 7 days tested
    observed      integer NOT NULL,
    expected      double precision NOT NULL,
    variance      double precision NOT NULL,
    p_value       double precision NOT NULL,
    baseline      integer[] NOT NULL,  -- the weekly counts before, newest first
    raised_at     timestamptz NOT NULL,
    UNIQUE (unit_id, series, week_ending)
);
CREATE INDEX early_warnings_unit_idx ON early_warnings (unit_id, series, week_ending DESC);
CREATE INDEX early_warnings_week_idx ON early_warnings (week_ending);

-- One pass a day, whichever instance sweeps first.
CREATE TABLE warning_passes (
    day          date PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    series       integer,
    warnings     integer
);

ALTER TABLE notifications ADD COLUMN warning_id bigint REFERENCES early_warnings (id);

-- The monthly report (月报) of a unit and month, kept as first generated once the month has closed.
CREATE TABLE monthly_reports (
    unit_id       bigint NOT NULL REFERENCES units (id),
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    body          jsonb NOT NULL,
    generated_at  timestamptz NOT NULL,
    PRIMARY KEY (unit_id, month)
);

-- The cases a report names and the analysis page lists, found by unit and time without reading the
-- others. A new case with one contact and no high grade enters neither, so most intakes do not pay for them.
CREATE INDEX cases_notable_idx ON cases (unit_id, updated_at)
    WHERE risk_grade = 'high' OR leader_id IS NOT NULL OR contact_count >= 3 OR visitors >= 5;
CREATE INDEX cases_repeat_unit_idx ON cases (unit_id, updated_at) WHERE contact_count >= 2;

-- A monthly report downloaded as a spreadsheet is an export like any other, recorded.
ALTER TABLE exports DROP CONSTRAINT exports_list_check;
ALTER TABLE exports ADD CONSTRAINT exports_list_check CHECK (list IN ('cases', 'clocks', 'households', 'monthly_report'));
