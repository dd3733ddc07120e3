-- The key-household register can be exported as a spreadsheet like the case and clock lists, and
-- every such export is recorded in the same append-only `exports` table (who, when, filter, rows).
ALTER TABLE exports DROP CONSTRAINT exports_list_check;
ALTER TABLE exports ADD CONSTRAINT exports_list_check CHECK (list IN ('cases', 'clocks', 'households'));
