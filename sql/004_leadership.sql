-- Leadership ownership (领导包案) and extensions.
-- The accountable leader, separate from whoever handles the case; kept when a closed case is reopened.
ALTER TABLE cases ADD COLUMN leader_id bigint REFERENCES users (id);
CREATE INDEX cases_leader_idx ON cases (leader_id) WHERE leader_id IS NOT NULL;
-- An extension stops the clock it extends (state 'cancelled') and starts a new one from its due day;
-- a clock that is itself an extension cannot be extended again.
ALTER TABLE clocks ADD COLUMN extended_from bigint REFERENCES clocks (id);
-- A paused clock (e.g. a hearing during re-review) remembers the day it stopped counting.
ALTER TABLE clocks ADD COLUMN paused_on date;

-- Idempotency keys (which hold the first answer, query code included) and throttle counters are
-- working data, not the petition record: the sweep expires them.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
CREATE INDEX throttle_window_idx ON throttle (window_started);
