-- After the history is written (decision-window.sql): the dropped indexes again, from their own
-- definitions, then the generator's schema goes, so the database has the production schema only.
SET maintenance_work_mem = '1GB';
SELECT indexdef FROM benchgen.indexes \gexec
DROP SCHEMA benchgen CASCADE;
