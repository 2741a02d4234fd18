-- ============================================================================
-- lead_is_contactable: processable and consent not withdrawn (outbound suggestions allowed)
-- ============================================================================
-- The rule for "contact this lead" suggestions (recommend_followup_actions, view_next_actions,
-- recommendations created by triggers): not restricted and no withdrawn consent. A lead whose consent
-- was never recorded (consent false, consent_withdrawn_at NULL) still gets suggestions; the
-- compliance check flags every outbound text to it (rule lead_no_consent). Inlined like
-- lead_is_processable.
CREATE OR REPLACE FUNCTION salesflow.lead_is_contactable(p_lead salesflow.leads)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT p_lead.restricted_at IS NULL AND p_lead.consent_withdrawn_at IS NULL;
$$;
COMMENT ON FUNCTION salesflow.lead_is_contactable(salesflow.leads) IS
'Internal: true unless the lead is restricted or has withdrawn consent (no outbound suggestions then); inlined by the planner.';
