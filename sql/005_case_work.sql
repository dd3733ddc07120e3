-- Case work: scope by unit subtree, logins and sessions, sealed cases, the read audit, written
-- notices, referrals, risk assessments, tasks (mandatory reports), and the application's own role.

-- Each unit knows its ancestry (root first, itself last), so "her unit and its subtree" is one
-- array containment test in every query, however deep the tree.
ALTER TABLE units ADD COLUMN path bigint[];
WITH RECURSIVE tree AS (
    SELECT id, ARRAY[id] AS path FROM units WHERE parent_id IS NULL
    UNION ALL SELECT u.id, tree.path || u.id FROM units u JOIN tree ON u.parent_id = tree.id
)
UPDATE units SET path = tree.path FROM tree WHERE units.id = tree.id;

CREATE FUNCTION units_place() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent units%ROWTYPE;
    levels text[] := ARRAY['province', 'city', 'county', 'township', 'village'];
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        RAISE EXCEPTION 'a unit does not move in the tree' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.parent_id IS NULL THEN
        NEW.path := ARRAY[NEW.id];
    ELSE
        SELECT * INTO parent FROM units WHERE id = NEW.parent_id;
        IF array_position(levels, NEW.level) IS DISTINCT FROM array_position(levels, parent.level) + 1 THEN
            RAISE EXCEPTION 'a % unit cannot sit under a % unit', NEW.level, parent.level USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent.path || NEW.id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER units_place BEFORE INSERT OR UPDATE OF parent_id ON units FOR EACH ROW EXECUTE FUNCTION units_place();
ALTER TABLE units ALTER COLUMN path SET NOT NULL;
CREATE INDEX units_path_idx ON units USING gin (path);

-- Console logins. The password hash names its KDF and parameters (scrypt$N$r$p$salt$key) so the
-- cost can be raised later without locking anyone out.
ALTER TABLE users ADD COLUMN password_hash text;
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Sessions live in PostgreSQL so every server instance sees a login and a logout at once.
CREATE TABLE sessions (
    id            bigserial PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE,
    user_id       bigint NOT NULL REFERENCES users (id),
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Who handles a case, whether it is sealed, its danger grade, and where a transfer came from.
ALTER TABLE cases ADD COLUMN handler_id bigint REFERENCES users (id);
ALTER TABLE cases ADD COLUMN sealed boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD COLUMN sealed_reason text;
ALTER TABLE cases ADD COLUMN risk_grade text CHECK (risk_grade IN ('low', 'medium', 'high'));
ALTER TABLE cases ADD COLUMN transfer_from_unit_id bigint REFERENCES units (id);
ALTER TABLE cases ADD COLUMN transfer_prior_status text;
CREATE INDEX cases_handler_idx ON cases (handler_id) WHERE handler_id IS NOT NULL;
CREATE INDEX cases_unit_id_idx ON cases (unit_id, id DESC);

-- Domestic violence, sexual assault and minors' cases are sealed from the moment they exist,
-- whichever path writes them; staff can seal any other case by hand.
CREATE FUNCTION cases_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.category IN ('domestic_violence', 'sexual_assault', 'minors_rights')
       OR EXISTS (SELECT 1 FROM petitioners WHERE id = NEW.petitioner_id AND is_minor) THEN
        NEW.sealed := true;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER cases_seal BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION cases_seal();
UPDATE cases SET sealed = true
WHERE category IN ('domestic_violence', 'sexual_assault', 'minors_rights')
   OR petitioner_id IN (SELECT id FROM petitioners WHERE is_minor);

-- Every read of a case, by API or console: who, when, which view, and the reason when a seal was broken.
CREATE TABLE case_reads (
    id                  bigserial PRIMARY KEY,
    case_id             bigint NOT NULL REFERENCES cases (id),
    user_id             bigint NOT NULL REFERENCES users (id),
    at                  timestamptz NOT NULL,
    view                text NOT NULL,
    masked              boolean NOT NULL,
    break_glass_reason  text,
    flagged             boolean NOT NULL DEFAULT false,
    CHECK (NOT flagged OR break_glass_reason IS NOT NULL)
);
CREATE INDEX case_reads_case_idx ON case_reads (case_id, id);
CREATE INDEX case_reads_flagged_idx ON case_reads (id) WHERE flagged;

-- Written notices (受理告知书, 不予受理告知书, 答复意见书): the text as issued, with its number (文号).
CREATE TABLE document_serials (
    unit_id  bigint NOT NULL REFERENCES units (id),
    kind     text NOT NULL,
    year     integer NOT NULL,
    last     integer NOT NULL,
    PRIMARY KEY (unit_id, kind, year)
);
CREATE TABLE documents (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    kind       text NOT NULL CHECK (kind IN ('acceptance_notice', 'decline_notice', 'reply')),
    number     text NOT NULL UNIQUE,
    title      text NOT NULL,
    body       text NOT NULL,
    unit_id    bigint NOT NULL REFERENCES units (id),
    issued_on  date NOT NULL,
    issued_at  timestamptz NOT NULL,
    issued_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX documents_case_idx ON documents (case_id, id);

-- Referrals to a lawyer, psychologist, mediator or the police, and what came of them.
CREATE TABLE referrals (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    kind         text NOT NULL CHECK (kind IN ('lawyer', 'psychologist', 'mediator', 'police')),
    referred_to  text NOT NULL,
    note         text,
    referred_at  timestamptz NOT NULL,
    referred_by  bigint NOT NULL REFERENCES users (id),
    outcome      text,
    outcome_at   timestamptz,
    outcome_by   bigint REFERENCES users (id)
);
CREATE INDEX referrals_case_idx ON referrals (case_id, id);

-- Domestic-violence danger assessments, as answered.
CREATE TABLE risk_assessments (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    answers      jsonb NOT NULL,
    score        integer NOT NULL,
    grade        text NOT NULL CHECK (grade IN ('low', 'medium', 'high')),
    assessed_at  timestamptz NOT NULL,
    assessed_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX risk_assessments_case_idx ON risk_assessments (case_id, id);

-- Work a case requires beyond its clocks: a mandatory report to the police (强制报告), the police
-- report and direct report (直报) a high-risk case needs, scheduled follow-up visits. Each once per reason.
CREATE TABLE case_tasks (
    id            bigserial PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    kind          text NOT NULL CHECK (kind IN ('mandatory_report', 'police_report', 'direct_report', 'follow_up')),
    reason        text NOT NULL,
    due_at        timestamptz NOT NULL,
    state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    done_at       timestamptz,
    done_by       bigint REFERENCES users (id),
    detail        jsonb NOT NULL DEFAULT '{}',
    escalated_at  timestamptz,
    created_at    timestamptz NOT NULL,
    UNIQUE (case_id, kind, reason)
);
CREATE INDEX case_tasks_escalation_idx ON case_tasks (due_at) WHERE state = 'open' AND escalated_at IS NULL;
CREATE INDEX case_tasks_open_idx ON case_tasks (case_id) WHERE state = 'open';

-- 强制报告: a minor's sexual-assault or domestic-violence case needs a police report at once, however
-- it was registered (one intake or a batch). The rule is MandatoryReporting.reasons in HuiyinCore;
-- a test checks that this trigger agrees with it. Other grounds are recorded by staff.
CREATE FUNCTION cases_mandatory_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reason text := CASE NEW.category WHEN 'sexual_assault' THEN 'minor_sexual_assault'
                                     WHEN 'domestic_violence' THEN 'violence_without_full_capacity' END;
BEGIN
    IF reason IS NOT NULL AND EXISTS (SELECT 1 FROM petitioners WHERE id = NEW.petitioner_id AND is_minor) THEN
        INSERT INTO case_tasks (case_id, kind, reason, due_at, created_at)
        VALUES (NEW.id, 'mandatory_report', reason, NEW.created_at, NEW.created_at)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_mandatory_report AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION cases_mandatory_report();

CREATE TRIGGER case_reads_append_only BEFORE UPDATE OR DELETE ON case_reads
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER case_reads_no_truncate BEFORE TRUNCATE ON case_reads
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER risk_assessments_append_only BEFORE UPDATE OR DELETE ON risk_assessments
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The role `huiyin serve` works as: it reads and writes the petition record but cannot rewrite
-- history. The audit of reads, events, contacts, notices and assessments take INSERT only; the
-- migration record is read-only. (The owner that migrates needs CREATEROLE once, or a DBA creates
-- the role beforehand.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huiyin_app') THEN
        CREATE ROLE huiyin_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created meanwhile by a migration of another database in the same cluster
END
$$;
GRANT USAGE ON SCHEMA public TO huiyin_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO huiyin_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO huiyin_app;
REVOKE UPDATE, DELETE, TRUNCATE ON case_reads, case_events, contacts, documents, risk_assessments FROM huiyin_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM huiyin_app;
-- Tables of later migrations get the same grants; those migrations revoke what they must.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO huiyin_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO huiyin_app;
