-- ============================================================================
-- gdpr_legal_hold_until: until when the law requires keeping the lead (hook; NULL for now)
-- ============================================================================
-- Hook for the restriction/retention rules (issue 14 items 4-5, built separately): gdpr_erase
-- refuses a lead whose hold lies in the future unless p_override_retention with a reason. This
-- version knows no hold (leads has no restriction column yet) and returns NULL; the retention
-- work replaces its body (e.g. end of the 6/10-year period of §257 HGB / §147 AO).
CREATE OR REPLACE FUNCTION salesflow.gdpr_legal_hold_until(p_lead_id uuid)
RETURNS timestamptz
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT NULL::timestamptz WHERE p_lead_id IS NOT NULL;
$$;
COMMENT ON FUNCTION salesflow.gdpr_legal_hold_until(uuid) IS
'Internal hook: the end of a legal retention period that forbids erasing the lead (NULL: none); gdpr_erase checks it.';
