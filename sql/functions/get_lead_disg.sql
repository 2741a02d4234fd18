-- ============================================================================
-- get_lead_disg: the lead's DISG profile, blended over all its stored profiles
-- ============================================================================
-- The blend (source weight x confidence x recency over the stored profiles) is blend_lead_disg;
-- this checks the caller may see the lead (lead_for_caller). No profile: no row.
-- requires: blend_lead_disg
CREATE OR REPLACE FUNCTION salesflow.get_lead_disg(p_lead_id uuid)
RETURNS TABLE (
    primary_type text,
    secondary_type text,
    d_score numeric,
    i_score numeric,
    s_score numeric,
    g_score numeric,
    confidence numeric,
    sources jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
BEGIN
    v_lead := salesflow.lead_for_caller(p_lead_id);
    RETURN QUERY SELECT b.* FROM salesflow.blend_lead_disg(v_lead.id) AS b;
END;
$$;
COMMENT ON FUNCTION salesflow.get_lead_disg(uuid) IS
'Blended DISG profile of a lead (lead): all its profiles weighted by source (questionnaire '
'1.0, manual 0.9, ai 0.8, heuristic 0.4) x confidence x recency; no row when unprofiled.';
