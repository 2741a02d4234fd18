-- ============================================================================
-- mark_lead_memory_current: clear the stale flag when the memory input did not change
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.mark_lead_memory_current(p_lead_id uuid, p_input_hash text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.lead_context_summaries AS s
    SET is_stale = false, stale_since = NULL, updated_at = now()
    WHERE
        s.lead_id = p_lead_id
        AND s.input_hash = p_input_hash
        AND (salesflow.require_identity() IS NULL OR s.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])));
    RETURN FOUND;
END;
$$;
COMMENT ON FUNCTION salesflow.mark_lead_memory_current(uuid, text) IS
'Internal: AUTO-MEMORY cache hit: clears is_stale of the lead''s memory when its input_hash equals p_input_hash; true when it did.';
