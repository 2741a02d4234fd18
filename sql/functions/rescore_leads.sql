-- requires: score_leads, rank_next_actions
-- ============================================================================
-- rescore_leads: recompute the lead_scores and lead_next_actions rows of the given leads (NULL: all)
-- ============================================================================
-- The one write path of the two tables: the drain (queued and stale leads), the full refresh (NULL)
-- and gdpr_erase call it. Delete, then insert what score_leads / rank_next_actions return now: a
-- lead that closed, was restricted or erased simply gets no new row. Scores first, next actions
-- read them. Readers see the old rows until the caller commits (they never wait).
-- force_custom_plan: each call is planned with its argument, so NULL plans as whole-table scans and
-- an array as index probes.
CREATE OR REPLACE FUNCTION salesflow.rescore_leads(p_lead_ids uuid[])
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_n bigint;
BEGIN
    IF p_lead_ids IS NULL THEN
        DELETE FROM salesflow.lead_next_actions;
        DELETE FROM salesflow.lead_scores;
    ELSE
        DELETE FROM salesflow.lead_next_actions AS x WHERE x.lead_id = ANY (p_lead_ids);
        DELETE FROM salesflow.lead_scores AS x WHERE x.lead_id = ANY (p_lead_ids);
    END IF;
    INSERT INTO salesflow.lead_scores SELECT s.* FROM salesflow.score_leads(p_lead_ids) AS s;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    INSERT INTO salesflow.lead_next_actions SELECT a.* FROM salesflow.rank_next_actions(p_lead_ids) AS a;
    RETURN v_n;
END;
$$;
COMMENT ON FUNCTION salesflow.rescore_leads(uuid[]) IS
'Internal: recomputes lead_scores and lead_next_actions for the given leads (NULL: all); returns the lead_scores rows written.';
