-- ============================================================================
-- lead_is_processable: false for a restricted lead (GDPR Art. 18), the one place of the rule
-- ============================================================================
-- A restricted lead is kept (storage, the DSGVO export) but not processed: no scoring,
-- recommendations, AI calls, search, import updates or normal exports. Every reader tests this.
-- A plain SQL expression without SET or SECURITY DEFINER, so the planner inlines it into a column
-- test (restricted_at IS NULL): no per-row function call in the scoring views or the RPC hot paths,
-- and NOT lead_is_processable(l) matches the partial index leads_restricted_idx.
CREATE OR REPLACE FUNCTION salesflow.lead_is_processable(p_lead salesflow.leads)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT p_lead.restricted_at IS NULL;
$$;
COMMENT ON FUNCTION salesflow.lead_is_processable(salesflow.leads) IS
'Internal: true unless the lead is restricted (GDPR Art. 18, leads.restricted_at set); inlined by the planner.';
