-- ============================================================================
-- get_team_overview: per team member, the figures a sales manager looks at first
-- ============================================================================
-- One row per user of the team (p_team_id; NULL = every team the caller may see, see list_teams):
--   open_leads          leads not won or lost
--   pipeline_value      sum of deal_value of those open leads (NULL values count 0)
--   overdue_followups   open follow-ups due before now()
--   replies_this_week   inbound activities (messages, calls, meetings from the lead; not notes)
--                       since Monday 00:00 of this ISO week (session time zone)
--   won_count, won_value  leads won (closed_at) in the last p_weeks ISO weeks, this week included
-- Scope: managers their own team (another or unknown team: 42501, no existence oracle), admins and
-- the owner any team (unknown: P0002), reps 42501 (list_teams). p_weeks 1..104 (22023).
-- SECURITY INVOKER: every count runs under the caller's row-level security. Index-backed per
-- member: leads_open_idx, leads_user_stage_idx, followups_open_due_idx, lead_activities_user_idx.
CREATE OR REPLACE FUNCTION salesflow.get_team_overview(p_team_id uuid DEFAULT NULL, p_weeks integer DEFAULT 4)
RETURNS TABLE (
    team_id uuid,
    team_name text,
    user_id uuid,
    display_name text,
    role text,
    open_leads bigint,
    pipeline_value numeric,
    overdue_followups bigint,
    replies_this_week bigint,
    won_count bigint,
    won_value numeric
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_teams uuid [];
    v_from timestamptz;
    v_week timestamptz := date_trunc('week', now());
BEGIN
    IF p_weeks IS NULL OR p_weeks NOT BETWEEN 1 AND 104 THEN
        RAISE EXCEPTION 'p_weeks must be between 1 and 104, got %', coalesce(p_weeks::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for 1 to 104 weeks (default 4).';
    END IF;
    v_from := v_week - (p_weeks - 1) * interval '1 week';
    SELECT coalesce(array_agg(t.team_id), '{}') INTO v_teams FROM salesflow.list_teams() AS t
    WHERE p_team_id IS NULL OR t.team_id = p_team_id;
    IF p_team_id IS NOT NULL AND cardinality(v_teams) = 0 THEN
        IF salesflow.current_user_role() = 'manager' THEN
            RAISE EXCEPTION 'team % is not your team', p_team_id
                USING ERRCODE = '42501', HINT = 'Managers see their own team (salesflow teams lists it).';
        END IF;
        RAISE EXCEPTION 'team % not found', p_team_id
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a team from salesflow.list_teams().';
    END IF;

    RETURN QUERY
    SELECT
        t.id,
        t.name,
        u.id,
        u.display_name,
        u.role,
        coalesce(o.n, 0),
        coalesce(o.value, 0),
        coalesce(f.n, 0),
        coalesce(a.n, 0),
        coalesce(w.n, 0),
        coalesce(w.value, 0)
    FROM salesflow.users AS u
    INNER JOIN salesflow.teams AS t ON u.team_id = t.id
    LEFT JOIN LATERAL (
        SELECT count(*) AS n, sum(coalesce(l.deal_value, 0)) AS value FROM salesflow.leads AS l
        WHERE l.user_id = u.id AND l.stage NOT IN ('won', 'lost')
    ) AS o ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM salesflow.followups AS fu
        WHERE fu.user_id = u.id AND fu.status = 'open' AND fu.due_at < now()
    ) AS f ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM salesflow.lead_activities AS la
        WHERE la.user_id = u.id AND la.occurred_at >= v_week AND la.direction = 'in' AND la.kind <> 'note'
    ) AS a ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS n, sum(coalesce(l.deal_value, 0)) AS value FROM salesflow.leads AS l
        WHERE l.user_id = u.id AND l.stage = 'won' AND l.closed_at >= v_from
    ) AS w ON true
    WHERE u.team_id = ANY(v_teams)
    ORDER BY t.name, t.id, (u.role = 'rep') DESC, u.display_name, u.id;
END;
$$;
COMMENT ON FUNCTION salesflow.get_team_overview(uuid, integer) IS
'Per team member: open leads, pipeline value, overdue follow-ups, replies this week, won count and value in p_weeks; '
'manager own team, admin/owner any, reps 42501. Args: team_id (NULL = all visible), weeks 1-104.';
