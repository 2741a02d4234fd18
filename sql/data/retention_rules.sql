-- ============================================================================
-- retention_rules: the shipped retention rules (salesflow gdpr retention)
-- ============================================================================
-- Re-runnable: a shipped rule is inserted when missing; an existing one gets the shipped
-- condition, action and description, but keeps what an admin may have changed (period,
-- from_year_end, enabled). Admins add their own rules with any key.
--   UPDATE salesflow.retention_rules SET period = interval '36 months' WHERE rule_key = 'lost_inactive_24m';
--   UPDATE salesflow.retention_rules SET enabled = false WHERE rule_key = 'lost_inactive_24m';
INSERT INTO salesflow.retention_rules AS r (rule_key, condition, action, period, from_year_end, description)
VALUES
(
    'lost_inactive_24m', 'lost_inactive', 'erase', interval '24 months', false,
    'Lost leads with no activity (nor close or creation) for 24 months are erased.'
),
(
    'consent_withdrawn', 'consent_withdrawn', 'restrict', interval '0', false,
    'Leads that withdrew consent are restricted until their legal keeping periods end (then erased).'
),
(
    'hgb_business_letters_6y', 'business_letters', 'restrict', interval '6 years', true,
    '§257 HGB / §147 AO: business letters (the correspondence) are kept 6 years from the end of the calendar year '
    'of the last activity; restricted leads are kept until then.'
),
(
    'hgb_accounting_records_10y', 'accounting_records', 'restrict', interval '10 years', true,
    '§257 HGB / §147 AO: accounting records of a won deal are kept 10 years from the end of the calendar year it closed; '
    'restricted leads are kept until then.'
),
(
    'restriction_expired', 'restriction_expired', 'erase', interval '0', false,
    'Restricted leads are erased once their restricted_until (the end of the legal period) has passed.'
)
ON CONFLICT (rule_key) DO UPDATE
    SET
        condition = excluded.condition, action = excluded.action, description = excluded.description,
        updated_at = CASE
            WHEN (r.condition, r.action, r.description) IS DISTINCT FROM (excluded.condition, excluded.action, excluded.description)
                THEN now()
            ELSE r.updated_at
        END;
