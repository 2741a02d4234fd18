-- ============================================================================
-- ai_stale_leads: leads whose AI memory is missing or stale (the `ai memory --stale` work list)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.ai_stale_leads(p_limit integer DEFAULT 1000, p_user_id uuid DEFAULT NULL)
RETURNS TABLE (lead_id uuid, user_id uuid, has_memory boolean, stored_input_hash text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_visible uuid [];
BEGIN
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'p_limit % must be positive', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass a limit of 1 or more.';
    END IF;
    IF salesflow.require_identity() IS NOT NULL THEN
        v_visible := coalesce(salesflow.visible_user_ids(), '{}'::uuid []);
    END IF;
    RETURN QUERY
    SELECT l.id, l.user_id, s.lead_id IS NOT NULL, s.input_hash
    FROM salesflow.leads AS l
    LEFT JOIN salesflow.lead_context_summaries AS s ON l.id = s.lead_id
    WHERE
        (s.lead_id IS NULL OR s.is_stale)
        AND salesflow.lead_is_processable(l)  -- restricted leads (GDPR Art. 18) go to no model
        AND (p_user_id IS NULL OR l.user_id = p_user_id)
        AND (v_visible IS NULL OR l.user_id = ANY (v_visible))
        AND EXISTS (
            SELECT 1 FROM salesflow.lead_activities AS a
            WHERE a.lead_id = l.id AND a.body IS NOT NULL AND btrim(a.body) <> ''
        )
    ORDER BY s.stale_since NULLS FIRST, l.id
    LIMIT p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.ai_stale_leads(integer, uuid) IS
'Internal: work list of ai memory --stale: visible, not restricted leads with text activities and no or stale memory (p_limit, optional owner p_user_id).';
