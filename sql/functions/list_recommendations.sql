-- ============================================================================
-- list_recommendations: the caller's recommendations, open ones by decayed priority
-- ============================================================================
-- Identity: a rep sees own leads' recommendations, a manager the team's, an admin all; without
-- identity (the trusted owner: CLI, cron) everything, a sales role without identity gets 42501.
-- SECURITY DEFINER with an explicit identity filter: under RLS the per-half-life index walks
-- below could not use their (non-leakproof) numeric conditions as index conditions. Recommendations assigned
-- to the caller (manager alerts) are included. Open rows are ordered by effective priority
-- (salesflow.effective_priority: base * 0.5^(age / half-life); ties: recommendation_rank, then
-- newest id); the open list without a lead reads them from an index (see below). Other statuses
-- by resolution time.
CREATE OR REPLACE FUNCTION salesflow.list_recommendations(
    p_status text DEFAULT 'open',
    p_limit integer DEFAULT 50,
    p_lead_id uuid DEFAULT NULL
)
RETURNS TABLE (
    id bigint,
    lead_id uuid,
    lead_name text,
    user_id uuid,
    assignee_id uuid,
    rec_type text,
    title text,
    reason text,
    action jsonb,
    base_priority numeric,
    effective_priority numeric,
    status text,
    source text,
    created_at timestamptz,
    expires_at timestamptz,
    resolved_at timestamptz,
    feedback text,
    feedback_rating integer
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
-- Each branch is its own statement whose generic plan is the right one (the to-do list's walk, one
-- lead through its index), so they are planned once per session, whatever the caller's setting:
-- planning the walk per call cost ~5 ms at 1M leads (p50 10 ms). The history without a lead
-- (rare; its OR conditions need the real arguments) is planned per call through EXECUTE.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_visible uuid[] := salesflow.visible_user_ids();
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('open', 'accepted', 'dismissed', 'done', 'expired', 'all') THEN
        RAISE EXCEPTION 'p_status must be open, accepted, dismissed, done, expired or all, got %', coalesce(quote_literal(p_status), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''open'' for the current to-do list, ''all'' for the history.';
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 1000, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Page through long lists with a smaller limit.';
    END IF;
    IF p_lead_id IS NOT NULL THEN
        PERFORM salesflow.lead_for_caller(p_lead_id);
    END IF;

    IF p_status = 'open' AND p_lead_id IS NULL THEN
        -- The to-do list without sorting every open row: for each visible owner (and for rows
        -- assigned to the caller) find the distinct half-lives with a skip scan, read the top
        -- p_limit rows of each by recommendation_rank (= effective-priority order within one
        -- half-life; indexes ai_recommendations_open_user_rank_idx / _assignee_rank_idx), then
        -- merge them by effective priority.
        RETURN QUERY
        WITH RECURSIVE owner_hl (uid, h) AS (
            SELECT vu.id, (
                SELECT min(r.half_life_hours) FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.user_id = vu.id
            )
            FROM unnest(CASE WHEN v_me IS NULL THEN ARRAY(SELECT u.id FROM salesflow.users AS u) ELSE v_visible END) AS vu (id)
            UNION ALL
            SELECT o.uid, (
                SELECT min(r.half_life_hours) FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.user_id = o.uid AND r.half_life_hours > o.h
            )
            FROM owner_hl AS o
            WHERE o.h IS NOT NULL
        ),

        assignee_hl (h) AS (
            SELECT (
                SELECT min(r.half_life_hours) FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.assignee_id = v_me
            )
            WHERE v_me IS NOT NULL
            UNION ALL
            SELECT (
                SELECT min(r.half_life_hours) FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.assignee_id = v_me AND r.half_life_hours > a.h
            )
            FROM assignee_hl AS a
            WHERE a.h IS NOT NULL
        ),

        -- whole rows, so nothing is looked up twice; a row both owned by a visible user and assigned
        -- to the caller comes from the owner branch only
        cand AS (
            SELECT top.*
            FROM owner_hl AS o
            CROSS JOIN LATERAL (
                SELECT r.*
                FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.user_id = o.uid AND r.half_life_hours = o.h
                ORDER BY salesflow.recommendation_rank(r.base_priority, r.created_at, r.half_life_hours) DESC, r.id DESC
                LIMIT p_limit
            ) AS top
            WHERE o.h IS NOT NULL
            UNION ALL
            SELECT top.*
            FROM assignee_hl AS a
            CROSS JOIN LATERAL (
                SELECT r.*
                FROM salesflow.ai_recommendations AS r
                WHERE r.status = 'open' AND r.assignee_id = v_me AND r.half_life_hours = a.h
                  AND NOT r.user_id = ANY (coalesce(v_visible, '{}'::uuid []))
                ORDER BY salesflow.recommendation_rank(r.base_priority, r.created_at, r.half_life_hours) DESC, r.id DESC
                LIMIT p_limit
            ) AS top
            WHERE a.h IS NOT NULL
        )

        SELECT
            r.id, r.lead_id, l.name, r.user_id, r.assignee_id, r.rec_type, r.title, r.reason, r.action,
            r.base_priority::numeric,
            round(salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), 2),
            r.status, r.source, r.created_at, r.expires_at, r.resolved_at, r.feedback, r.feedback_rating::integer
        FROM (
            -- the top p_limit before the leads join (an admin's candidates: p_limit per user and half-life)
            SELECT c.*
            FROM cand AS c
            ORDER BY
                salesflow.effective_priority(c.base_priority, c.created_at, c.half_life_hours, now()) DESC,
                salesflow.recommendation_rank(c.base_priority, c.created_at, c.half_life_hours) DESC,
                c.id DESC
            LIMIT p_limit
        ) AS r
        INNER JOIN salesflow.leads AS l ON r.lead_id = l.id
        WHERE salesflow.lead_is_processable(l)  -- not for restricted leads (GDPR Art. 18)
        ORDER BY
            salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()) DESC,
            salesflow.recommendation_rank(r.base_priority, r.created_at, r.half_life_hours) DESC,
            r.id DESC
        LIMIT p_limit;
        RETURN;
    END IF;

    IF p_lead_id IS NOT NULL THEN
        -- one lead (its access checked above): through ai_recommendations' lead index
        RETURN QUERY
        SELECT
            r.id, r.lead_id, l.name, r.user_id, r.assignee_id, r.rec_type, r.title, r.reason, r.action,
            r.base_priority::numeric,
            round(salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), 2),
            r.status, r.source, r.created_at, r.expires_at, r.resolved_at, r.feedback, r.feedback_rating::integer
        FROM salesflow.ai_recommendations AS r
        INNER JOIN salesflow.leads AS l ON r.lead_id = l.id
        WHERE r.lead_id = p_lead_id
          AND (p_status = 'all' OR r.status = p_status)
          AND salesflow.lead_is_processable(l)  -- not for restricted leads (GDPR Art. 18)
          AND (v_me IS NULL OR r.user_id = ANY (coalesce(v_visible, '{}'::uuid [])) OR r.assignee_id = v_me)
        ORDER BY
            CASE WHEN r.status = 'open'
                THEN salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()) END DESC NULLS LAST,
            CASE WHEN r.status = 'open'
                THEN salesflow.recommendation_rank(r.base_priority, r.created_at, r.half_life_hours) END DESC NULLS LAST,
            coalesce(r.resolved_at, r.updated_at) DESC,
            r.id DESC
        LIMIT p_limit;
        RETURN;
    END IF;

    -- the history of every visible lead: planned for the real arguments (EXECUTE)
    RETURN QUERY EXECUTE $q$
    SELECT
        r.id, r.lead_id, l.name, r.user_id, r.assignee_id, r.rec_type, r.title, r.reason, r.action,
        r.base_priority::numeric,
        round(salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), 2),
        r.status, r.source, r.created_at, r.expires_at, r.resolved_at, r.feedback, r.feedback_rating::integer
    FROM salesflow.ai_recommendations AS r
    INNER JOIN salesflow.leads AS l ON r.lead_id = l.id
    WHERE ($1 = 'all' OR r.status = $1)
      AND salesflow.lead_is_processable(l)  -- not for restricted leads (GDPR Art. 18)
      AND ($2 IS NULL OR r.user_id = ANY (coalesce($3, '{}'::uuid [])) OR r.assignee_id = $2)
    ORDER BY
        CASE WHEN r.status = 'open'
            THEN salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()) END DESC NULLS LAST,
        CASE WHEN r.status = 'open'
            THEN salesflow.recommendation_rank(r.base_priority, r.created_at, r.half_life_hours) END DESC NULLS LAST,
        coalesce(r.resolved_at, r.updated_at) DESC,
        r.id DESC
    LIMIT $4
    $q$ USING p_status, v_me, v_visible, p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.list_recommendations(text, integer, uuid) IS
'Recommendations the caller may see (status open/accepted/dismissed/done/expired/all, limit 1-1000, optional lead), open ones ordered by decayed priority.';
