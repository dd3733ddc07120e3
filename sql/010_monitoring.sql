-- The application role may read replication and archiving figures for /metrics (pg_monitor: statistics
-- views, no data). Granting a predefined role needs a superuser or its admin; a schema owner without
-- that leaves it to the DBA (`GRANT pg_monitor TO huiyin_app`) and /metrics shows the lag as unknown.
DO $$
BEGIN
    IF NOT pg_has_role('huiyin_app', 'pg_monitor', 'MEMBER') THEN
        GRANT pg_monitor TO huiyin_app;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_monitor not granted to huiyin_app (needs a superuser): replication lag stays unknown in /metrics';
END
$$;
