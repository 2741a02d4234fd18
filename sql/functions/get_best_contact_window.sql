-- ============================================================================
-- get_best_contact_window: when (weekday x hour, lead's local time) and how to reach a lead
-- ============================================================================
-- requires: best_contact_windows
-- The computation (evidence, shrinkage m = 10 toward the owner's and the global rate g = 0.30,
-- quiet hours, tie order, fallback Tue-Thu 8 and 16 h, channel by the one rule contact_channel)
-- is best_contact_windows(), shared with recommend_followup_actions / plan_day; this function
-- checks the caller may see the lead and adds the label in the lead's language.
CREATE OR REPLACE FUNCTION salesflow.get_best_contact_window(p_lead_id uuid, p_limit integer DEFAULT 3)
RETURNS TABLE (
    weekday integer,
    hour integer,
    channel text,
    probability numeric,
    confidence numeric,
    local_label text,
    basis text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
-- best_contact_windows() is inlined into the query below, which takes longer to plan than to run:
-- plan it once per session, not per call
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads;
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 72 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 72, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'There are 72 allowed windows (Mon-Sat, 8-20 h); ask for the top 3 or so.';
    END IF;
    v_lead := salesflow.lead_for_caller(p_lead_id);

    RETURN QUERY
    SELECT w.weekday, w.hour, w.channel, w.probability, w.confidence,
        salesflow.weekday_label(w.weekday, v_lead.language) || ' ' || lpad(w.hour::text, 2, '0') || ':00',
        w.basis
    -- planned: the lead's earliest open follow-up's channel, as the day plan and the lead's
    -- suggestion take it (contact_channel), so every screen names the same channel
    FROM salesflow.best_contact_windows(ARRAY[v_lead.id], p_limit, ARRAY[(
        SELECT f.channel FROM salesflow.followups AS f
        WHERE f.lead_id = v_lead.id AND f.status = 'open' AND f.channel IS NOT NULL
        ORDER BY f.due_at
        LIMIT 1
    )]) AS w
    ORDER BY w.window_rank;
END;
$$;
COMMENT ON FUNCTION salesflow.get_best_contact_window(uuid, integer) IS
'Best contact windows for a lead (lead, limit 1-72): weekday (0 = Sunday), local hour, channel, reply probability '
'(Bayesian shrinkage toward owner and global rates), confidence n + m, label, basis lead/user/global/fallback.';
