-- The field page keeps reports saved without a signal encrypted on the phone, to a key pair of the
-- grid worker's that the server holds: the page stores only the public half and gets the private
-- half from /api/v1/me while she is signed in, in memory, to send them. A lost phone holds ciphertext.
CREATE TABLE field_keys (
    user_id     bigint PRIMARY KEY REFERENCES users (id),
    private_key bytea NOT NULL CHECK (length(private_key) = 32),   -- a P-256 scalar
    created_at  timestamptz NOT NULL
);
-- Made once, never changed: a report encrypted to it must stay readable until it is sent.
GRANT SELECT, INSERT ON field_keys TO huiyin_app;
REVOKE UPDATE, DELETE, TRUNCATE ON field_keys FROM huiyin_app;
