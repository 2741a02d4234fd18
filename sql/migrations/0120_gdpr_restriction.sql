-- ============================================================================
-- 0120 gdpr restriction: restriction of processing (Art. 18), consent history, retention rules
-- ============================================================================
-- A restricted lead (restricted_at set) is kept for its legal period but excluded from scoring,
-- recommendations, AI calls, search, imports' updates and the normal exports (the DSGVO export
-- still includes it). Restriction columns are written only by restrict_lead / unrestrict_lead /
-- apply_retention (SECURITY DEFINER); grants.sql keeps them out of the sales roles' column grants.
-- consent_withdrawn_at is set by the consent trigger when consent is withdrawn (true -> false, or an
-- explicit record_consent(..., false)): from then on no outbound suggestions for the lead.
ALTER TABLE salesflow.leads
ADD COLUMN restricted_at timestamptz,
ADD COLUMN restricted_until timestamptz,
ADD COLUMN restriction_reason text CHECK (btrim(restriction_reason) <> '' AND length(restriction_reason) <= 500),
ADD COLUMN restricted_by uuid REFERENCES salesflow.users (id) ON DELETE SET NULL,
ADD COLUMN consent_withdrawn_at timestamptz,
ADD CONSTRAINT leads_restriction_check CHECK (
    (restricted_at IS NULL AND restricted_until IS NULL AND restriction_reason IS NULL AND restricted_by IS NULL)
    OR (restricted_at IS NOT NULL AND restriction_reason IS NOT NULL)
),
ADD CONSTRAINT leads_restricted_until_check CHECK (restricted_until IS NULL OR restricted_until > restricted_at);
COMMENT ON COLUMN salesflow.leads.restricted_at IS
'GDPR Art. 18: when processing of the lead was restricted (NULL: not restricted). Set by restrict_lead / apply_retention.';
COMMENT ON COLUMN salesflow.leads.restricted_until IS
'End of the legal keeping period of a restricted lead (NULL: open-ended); retention erases it afterwards.';
COMMENT ON COLUMN salesflow.leads.restriction_reason IS 'Why the lead is restricted (no personal data, e.g. "§257 HGB business letters").';
COMMENT ON COLUMN salesflow.leads.restricted_by IS 'The user who restricted the lead (NULL: the owner, cron or the retention run).';
COMMENT ON COLUMN salesflow.leads.consent_withdrawn_at IS
'When the lead withdrew consent (NULL: never withdrawn or given again since): no outbound suggestions.';

-- Hot paths test the columns directly (restricted_at IS NULL); these partial indexes find the few
-- restricted / withdrawn leads without scanning the table (retention, the live anti-joins).
CREATE INDEX leads_restricted_idx ON salesflow.leads (restricted_until, id) WHERE restricted_at IS NOT NULL;
CREATE INDEX leads_consent_withdrawn_idx ON salesflow.leads (consent_withdrawn_at, id) WHERE consent_withdrawn_at IS NOT NULL;

-- Every change of leads.consent (trigger leads_consent_history) and every explicit record_consent.
CREATE TABLE salesflow.consent_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id uuid NOT NULL REFERENCES salesflow.leads (id) ON DELETE CASCADE,
    consent boolean NOT NULL,
    previous boolean,
    source text NOT NULL CHECK (source IN ('sql', 'cli', 'import', 'whatsapp', 'api', 'seed', 'retention')),
    wording text CHECK (length(wording) <= 4000),
    changed_by uuid REFERENCES salesflow.users (id) ON DELETE SET NULL,
    db_role text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE salesflow.consent_events IS
'Consent history of a lead: when, by whom (current user, else the lead owner), source and the wording consented to. '
'Written by the leads_consent_history trigger only; read through salesflow.consent_history(lead).';
CREATE INDEX consent_events_lead_idx ON salesflow.consent_events (lead_id, changed_at, id);

-- Restriction log: restrict / unrestrict / retention actions (lead id, who, reason). Rows go with
-- the lead when it is erased (ON DELETE CASCADE): the erasure log of the export/erase branch is
-- the one that outlives it.
CREATE TABLE salesflow.restriction_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id uuid NOT NULL REFERENCES salesflow.leads (id) ON DELETE CASCADE,
    action text NOT NULL CHECK (action IN ('restrict', 'unrestrict')),
    reason text,
    restricted_until timestamptz,
    rule_key text,
    acted_by uuid REFERENCES salesflow.users (id) ON DELETE SET NULL,
    db_role text NOT NULL DEFAULT session_user,
    acted_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE salesflow.restriction_events IS
'Log of restrict_lead / unrestrict_lead / retention restrictions: lead, action, reason, until, rule, who, when.';
CREATE INDEX restriction_events_lead_idx ON salesflow.restriction_events (lead_id, acted_at);

-- Retention rules (conditions):
--   lost_inactive        erase     stage lost, no activity (nor close / creation) for `period`, not restricted
--   consent_withdrawn    restrict  consent withdrawn `period` ago: restricted until the legal periods end
--   business_letters     restrict  legal period of a lead with correspondence (activities): `period` from the
--                                  end of the calendar year of the last activity (§257 HGB / §147 AO: 6 years)
--   accounting_records   restrict  legal period of a won lead: `period` from the end of the year it closed (10 years)
--   restriction_expired  erase     restricted leads whose restricted_until lies `period` in the past
-- The two legal-period rules set restricted_until of restricted leads that have none, and give
-- restrict_lead / the consent rule their default end (the latest applicable end).
-- Retention rules: shipped defaults in sql/data/retention_rules.sql (an upsert that keeps admin
-- edits of enabled / period), applied by salesflow.apply_retention() (salesflow gdpr retention).
CREATE TABLE salesflow.retention_rules (
    rule_key text PRIMARY KEY CHECK (rule_key ~ '^[a-z][a-z0-9_]{1,59}$'),
    condition text NOT NULL CHECK (
        condition IN ('lost_inactive', 'consent_withdrawn', 'restriction_expired', 'business_letters', 'accounting_records')
    ),
    action text NOT NULL CHECK (action IN ('erase', 'restrict')),
    period interval NOT NULL CHECK (period >= interval '0' AND period <= interval '30 years'),
    from_year_end boolean NOT NULL DEFAULT false,
    enabled boolean NOT NULL DEFAULT true,
    description text NOT NULL CHECK (btrim(description) <> ''),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_rules_condition_action_check CHECK (
        (condition IN ('lost_inactive', 'restriction_expired') AND action = 'erase')
        OR (condition IN ('consent_withdrawn', 'business_letters', 'accounting_records') AND action = 'restrict')
    )
);
COMMENT ON TABLE salesflow.retention_rules IS
'Configurable retention rules (condition, action erase|restrict, period, from the end of the calendar year, enabled), '
'applied by salesflow.apply_retention(). Admins edit them; shipped defaults are re-upserted without overwriting edits.';
