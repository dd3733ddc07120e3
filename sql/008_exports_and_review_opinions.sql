-- Every bulk export (a case list or a clock list as a spreadsheet) is recorded: who, when, which
-- list, with which filter and how many rows. Like the case read audit, the application's role may
-- append to it but never change or remove a row.
CREATE TABLE exports (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    at         timestamptz NOT NULL,
    list       text NOT NULL CHECK (list IN ('cases', 'clocks')),
    filter     jsonb NOT NULL,
    row_count  integer NOT NULL CHECK (row_count >= 0)
);
CREATE INDEX exports_user_idx ON exports (user_id, id);
CREATE TRIGGER exports_append_only BEFORE UPDATE OR DELETE ON exports
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER exports_no_truncate BEFORE TRUNCATE ON exports
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
GRANT SELECT, INSERT ON exports TO huiyin_app;
GRANT USAGE, SELECT ON SEQUENCE exports_id_seq TO huiyin_app;
REVOKE UPDATE, DELETE, TRUNCATE ON exports FROM huiyin_app;

-- The review (复查意见书) and re-review (复核意见书) opinions are numbered documents like the others.
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check
    CHECK (kind IN ('acceptance_notice', 'decline_notice', 'reply', 'review_opinion', 'rereview_opinion'));
