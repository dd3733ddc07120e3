-- The person a matter is about (当事人), kept apart from the petitioner: a mother calls about her
-- 13-year-old daughter. Sealing and mandatory reports follow this person; when she is the petitioner
-- herself (or nobody else was named), the petitioner's own minority counts as before.

ALTER TABLE cases ADD COLUMN victim_relation text
    CHECK (victim_relation IN ('self', 'child', 'spouse', 'parent', 'relative', 'other'));
ALTER TABLE cases ADD COLUMN victim_birth_date date;
ALTER TABLE cases ADD COLUMN victim_age integer CHECK (victim_age BETWEEN 0 AND 120);
-- Under 18 on the day received, as the intake worked it out (ticked, by age or by birth date).
ALTER TABLE cases ADD COLUMN victim_is_minor boolean NOT NULL DEFAULT false;

-- Sealed from the start: the sensitive categories, a minor victim, and (as before) a minor petitioner,
-- whose own call is private whoever it is about.
CREATE OR REPLACE FUNCTION cases_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.category IN ('domestic_violence', 'sexual_assault', 'minors_rights')
       OR NEW.victim_is_minor
       OR EXISTS (SELECT 1 FROM petitioners WHERE id = NEW.petitioner_id AND is_minor) THEN
        NEW.sealed := true;
    END IF;
    RETURN NEW;
END
$$;

-- 强制报告 from the victim: MandatoryReporting.reasons(category:victimIsMinor:) in HuiyinCore.
CREATE OR REPLACE FUNCTION cases_mandatory_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reason text := CASE NEW.category WHEN 'sexual_assault' THEN 'minor_sexual_assault'
                                     WHEN 'domestic_violence' THEN 'violence_without_full_capacity' END;
BEGIN
    -- The victim is a minor (Victim.isMinor in HuiyinCore): her own facts, or the petitioner's when she
    -- is the petitioner herself or nobody else was named.
    IF reason IS NOT NULL
       AND (NEW.victim_is_minor
            OR (coalesce(NEW.victim_relation, 'self') = 'self'
                AND EXISTS (SELECT 1 FROM petitioners WHERE id = NEW.petitioner_id AND is_minor))) THEN
        INSERT INTO case_tasks (case_id, kind, reason, due_at, created_at)
        VALUES (NEW.id, 'mandatory_report', reason, NEW.created_at, NEW.created_at)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- A petitioner written by the same statement as her case (every intake writes both at once) is not
-- yet visible to the BEFORE trigger cases_seal; after the row is in, she is. So a minor petitioner's
-- case outside the sealed categories is sealed here (rare, hence an update rather than a second pass
-- for every case), and the cases this missed before are sealed now.
CREATE FUNCTION cases_seal_minor_petitioner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.sealed AND EXISTS (SELECT 1 FROM petitioners WHERE id = NEW.petitioner_id AND is_minor) THEN
        UPDATE cases SET sealed = true WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_seal_minor_petitioner AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION cases_seal_minor_petitioner();
UPDATE cases SET sealed = true
WHERE NOT sealed AND petitioner_id IN (SELECT id FROM petitioners WHERE is_minor);
