-- The legal-aid green channel (法律援助绿色通道): a case referred to a lawyer or legal-aid centre for
-- aid, with its own clock: the aid is decided within the rule set's `legal_aid_decision_within`
-- (7 days by default, as 法律援助法 Art. 43 gives the legal-aid body to decide an application). The
-- clock is a grassroots due owed by the case's unit, so the same sweep warns it and escalates it.
ALTER TABLE referrals DROP CONSTRAINT referrals_kind_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_kind_check CHECK (kind IN ('lawyer', 'psychologist', 'mediator', 'police', 'legal_aid'));
ALTER TABLE referrals ADD COLUMN decision_due_on date;
ALTER TABLE referrals ADD COLUMN aid_decision text CHECK (aid_decision IN ('granted', 'refused', 'withdrawn'));
ALTER TABLE referrals ADD CONSTRAINT referrals_legal_aid_check
    CHECK ((kind = 'legal_aid') = (decision_due_on IS NOT NULL) AND (aid_decision IS NULL OR kind = 'legal_aid'));
-- The figures count decisions per unit and period.
CREATE INDEX referrals_legal_aid_idx ON referrals (referred_at) WHERE kind = 'legal_aid';

ALTER TABLE grassroots_dues DROP CONSTRAINT grassroots_dues_kind_check;
ALTER TABLE grassroots_dues ADD CONSTRAINT grassroots_dues_kind_check
    CHECK (kind IN ('visit', 'deliberation', 'dispatch_sign', 'follow_up', 'incident_follow_up', 'legal_aid_decision'));
ALTER TABLE grassroots_dues ADD COLUMN case_id bigint REFERENCES cases (id);
ALTER TABLE grassroots_dues ADD COLUMN referral_id bigint REFERENCES referrals (id);
CREATE INDEX grassroots_dues_referral_idx ON grassroots_dues (referral_id) WHERE referral_id IS NOT NULL;
