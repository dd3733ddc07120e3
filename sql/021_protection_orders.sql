-- Personal-safety protection orders (人身安全保护令, 反家庭暴力法 Ch. 4) the court issued for a woman the
-- federation is helping: recorded on her case, on her household of the grassroots register, or both.
--
-- Design notes
-- * The protected person is a reference, never a copy: the case's petitioner, the case's victim (当事人,
--   kept on the case since 007), or a member of the household. No name is stored on the order.
-- * Sealing follows the case or household it belongs to (both sealed for domestic violence from the
--   start): the order has no `sealed` of its own, so it can never disagree with its matter.
-- * Its expiry is a clock: a grassroots due of kind 'protection_order_expiry' owed by the case's unit (or
--   the household's grid), due on the expiry day. The sweep warns it `protection_order_warn_before`
--   ahead so an extension can be applied for (Art. 30: the court may extend it on application before it
--   expires), and tells the unit and the one above once it has expired. An extension meets that due and
--   opens the next one on the new day.
-- * A violation raises the case to high risk, tells its handlers and adds a police-report task
--   (case_tasks, one per violation); an order on a household only adds the task to the household's open
--   lead, or a new lead when it has none, and tells the grid and the village above it.

CREATE TABLE protection_orders (
    id                   bigserial PRIMARY KEY,
    case_id              bigint REFERENCES cases (id),
    household_id         bigint REFERENCES households (id),
    court                text NOT NULL CHECK (length(court) BETWEEN 1 AND 100),
    order_no             text NOT NULL CHECK (length(order_no) BETWEEN 1 AND 64),
    protected_person     text NOT NULL CHECK (protected_person IN ('petitioner', 'victim', 'household_member')),
    household_member_id  bigint REFERENCES household_members (id),
    issued_on            date NOT NULL,
    effective_from       date NOT NULL,
    expires_on           date NOT NULL,
    measures             text[] NOT NULL CHECK (cardinality(measures) >= 1 AND measures <@ ARRAY[
                             'no_violence', 'no_harassment_or_contact', 'move_out', 'other']::text[]),
    other_measure        text,
    counselling_ordered  boolean NOT NULL DEFAULT false,
    recorded_by          bigint NOT NULL REFERENCES users (id),
    recorded_at          timestamptz NOT NULL,
    UNIQUE (court, order_no),
    CHECK (case_id IS NOT NULL OR household_id IS NOT NULL),
    CHECK (effective_from >= issued_on AND expires_on > effective_from),
    CHECK ((protected_person = 'household_member') = (household_member_id IS NOT NULL)),
    CHECK (protected_person = 'household_member' OR case_id IS NOT NULL),
    CHECK (('other' = ANY (measures)) = (other_measure IS NOT NULL))
);
CREATE INDEX protection_orders_case_idx ON protection_orders (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX protection_orders_household_idx ON protection_orders (household_id) WHERE household_id IS NOT NULL;
CREATE INDEX protection_orders_expiry_idx ON protection_orders (expires_on);

-- The protected member belongs to the order's household: checked, not trusted.
CREATE FUNCTION protection_orders_member_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.household_member_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM household_members WHERE id = NEW.household_member_id AND household_id = NEW.household_id) THEN
        RAISE EXCEPTION 'member % is not of household %', NEW.household_member_id, NEW.household_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER protection_orders_member_check BEFORE INSERT OR UPDATE ON protection_orders
    FOR EACH ROW EXECUTE FUNCTION protection_orders_member_check();

-- Each extension the court granted: the expiry it replaced and the new one, append-only.
CREATE TABLE protection_order_extensions (
    id                  bigserial PRIMARY KEY,
    order_id            bigint NOT NULL REFERENCES protection_orders (id),
    ruled_on            date NOT NULL,
    previous_expires_on date NOT NULL,
    expires_on          date NOT NULL CHECK (expires_on > previous_expires_on),
    note                text,
    recorded_by         bigint NOT NULL REFERENCES users (id),
    recorded_at         timestamptz NOT NULL
);
CREATE INDEX protection_order_extensions_order_idx ON protection_order_extensions (order_id, id);

-- Each violation reported, with the police-report task it made (on the case, or on a lead).
CREATE TABLE protection_order_violations (
    id            bigserial PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES protection_orders (id),
    occurred_on   date NOT NULL,
    what          text NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),
    case_task_id  bigint REFERENCES case_tasks (id),
    lead_id       bigint REFERENCES leads (id),
    lead_task_id  bigint REFERENCES lead_tasks (id),
    reported_by   bigint NOT NULL REFERENCES users (id),
    reported_at   timestamptz NOT NULL,
    CHECK (case_task_id IS NOT NULL OR lead_task_id IS NOT NULL)
);
CREATE INDEX protection_order_violations_order_idx ON protection_order_violations (order_id, id);

CREATE TRIGGER protection_order_extensions_append_only BEFORE UPDATE OR DELETE ON protection_order_extensions
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER protection_order_violations_append_only BEFORE UPDATE OR DELETE ON protection_order_violations
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
REVOKE UPDATE, DELETE, TRUNCATE ON protection_order_extensions, protection_order_violations FROM huiyin_app;

ALTER TABLE grassroots_dues DROP CONSTRAINT grassroots_dues_kind_check;
ALTER TABLE grassroots_dues ADD CONSTRAINT grassroots_dues_kind_check
    CHECK (kind IN ('visit', 'deliberation', 'dispatch_sign', 'follow_up', 'incident_follow_up', 'legal_aid_decision',
                    'protection_order_expiry'));
ALTER TABLE grassroots_dues ADD COLUMN protection_order_id bigint REFERENCES protection_orders (id);
CREATE INDEX grassroots_dues_protection_order_idx ON grassroots_dues (protection_order_id) WHERE protection_order_id IS NOT NULL;
