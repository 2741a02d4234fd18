-- ============================================================================
-- lead_for_caller: the lead row, if the caller may see it (else P0002)
-- ============================================================================
-- Shared guard of the API. For the trusted owner (require_identity() NULL: CLI, cron) every
-- lead is visible; a sales session without identity gets 42501; otherwise the lead's owner must be in
-- visible_user_ids() (rep: own, manager: team, admin: all). Works the same under RLS
-- (SECURITY INVOKER callers) and inside SECURITY DEFINER callers, which bypass RLS.
CREATE OR REPLACE FUNCTION salesflow.lead_for_caller(p_lead_id uuid, p_arg text DEFAULT 'p_lead_id')
RETURNS salesflow.leads
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
BEGIN
    IF p_lead_id IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', p_arg
            USING ERRCODE = '22023', HINT = 'Pass the uuid of a lead (salesflow.leads.id).';
    END IF;
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = p_lead_id;
    IF NOT FOUND
       OR (v_me IS NOT NULL
           AND NOT v_lead.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid []))) THEN
        RAISE EXCEPTION 'lead % (%) not found or not visible', p_lead_id, p_arg
            USING ERRCODE = 'P0002',
                  HINT = 'Check the lead id; reps see their own leads, managers their team''s, admins all.';
    END IF;
    RETURN v_lead;
END;
$$;
COMMENT ON FUNCTION salesflow.lead_for_caller(uuid, text) IS
'Internal: the lead row when the caller may see it; 22023 for NULL, P0002 when unknown or not visible.';
