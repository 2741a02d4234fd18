-- ============================================================================
-- get_sales_kpis: the sales figures per week and period, as one jsonb
-- ============================================================================
-- For the users the caller may see (rep own, manager team, admin/owner all), narrowed to p_user_id
-- (must be visible, else 42501) and/or to the members of team p_team_id (managers: their own team,
-- else 42501; admins/owner: any, unknown P0002; reps 42501 — see list_teams), over the last p_weeks
-- ISO weeks (1..104, 22023), this week included. Week buckets use the session time zone.
--   pipeline_by_stage[]  open stages new..proposal: stage, leads, value (sum of deal_value, NULL = 0)
--   pipeline_value       their sum
--   weeks[]              week (Monday), won_count, won_value (leads won, by closed_at), lost_count,
--                        activities (all but notes), outbound, inbound
--   activities_by_rep[]  per user in scope (most active first): user_id, display_name, activities,
--                        outbound, inbound, calls, meetings, median_response_minutes
--   reply_times          median_response_minutes (rep answers the lead) and median_lead_reply_minutes
--                        (lead answers the rep), with their sample sizes
--   conversion_by_source[]  per lead source over ALL leads of the users: leads, open, won, lost,
--                        win_rate = won / (won + lost) (NULL before any close)
--   health_distribution  open leads by health traffic light {green, yellow, red, none}, as of the
--                        last drain (lead_scores)
--   totals               won_count, won_value, activities over the period
-- Reply times: the answers refresh_activity_answers keeps per lead (where "reply time" is defined),
-- as of the last drain (like the health distribution); an answer counts in the period when it
-- happened in it. Counts: lead_activities, live, by an index-only scan (user_id, occurred_at
-- INCLUDE direction, kind). Cost at 10,000 leads / 100,000 activities per rep, 8 weeks: README
-- (issue 15); the two window passes over ~30,000 activities that found the answers per call are gone.
-- SECURITY DEFINER because the health distribution reads lead_scores (reps may not); every
-- read is filtered to the checked users. Index-backed per user (user_id, ...) on each table.
CREATE OR REPLACE FUNCTION salesflow.get_sales_kpis(
    p_weeks integer DEFAULT 8, p_user_id uuid DEFAULT NULL, p_team_id uuid DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_users uuid [];
    v_from timestamptz;
    v_starts timestamptz [];  -- the week starts (Mondays 00:00, session time zone), then next Monday
    v_result jsonb;
BEGIN
    IF p_weeks IS NULL OR p_weeks NOT BETWEEN 1 AND 104 THEN
        RAISE EXCEPTION 'p_weeks must be between 1 and 104, got %', coalesce(p_weeks::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for 1 to 104 weeks (default 8).';
    END IF;
    v_users := salesflow.caller_user_ids(p_user_id);
    IF v_users IS NULL THEN
        SELECT coalesce(array_agg(u.id), '{}') INTO v_users FROM salesflow.users AS u;
    END IF;
    IF p_team_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM salesflow.list_teams() AS t WHERE t.team_id = p_team_id) THEN
            IF salesflow.current_user_role() = 'manager' THEN
                RAISE EXCEPTION 'team % is not your team', p_team_id
                    USING ERRCODE = '42501', HINT = 'Managers see their own team (salesflow teams lists it).';
            END IF;
            RAISE EXCEPTION 'team % not found', p_team_id
                USING ERRCODE = 'P0002', HINT = 'Pass the id of a team from salesflow.list_teams().';
        END IF;
        SELECT coalesce(array_agg(u.id), '{}') INTO v_users FROM salesflow.users AS u
        WHERE u.team_id = p_team_id AND u.id = ANY(v_users);
    END IF;
    v_from := date_trunc('week', now()) - (p_weeks - 1) * interval '1 week';
    v_starts := ARRAY(SELECT g FROM generate_series(v_from, date_trunc('week', now()) + interval '1 week', interval '1 week') AS g);

    WITH weeks AS (
        SELECT g AS week FROM generate_series(v_from, date_trunc('week', now()), interval '1 week') AS g
    ),
    mine AS MATERIALIZED (
        -- the users' leads, read once for the pipeline, the closes and the sources
        SELECT l.id, l.stage, l.source, l.deal_value, l.closed_at
        FROM salesflow.leads AS l
        WHERE l.user_id = ANY(v_users)
    ),
    closed AS (
        SELECT
            salesflow.week_start(l.closed_at, v_starts) AS week,
            count(*) FILTER (WHERE l.stage = 'won') AS won,
            sum(coalesce(l.deal_value, 0)) FILTER (WHERE l.stage = 'won') AS won_value,
            count(*) FILTER (WHERE l.stage = 'lost') AS lost
        FROM mine AS l
        WHERE l.stage IN ('won', 'lost') AND l.closed_at >= v_from
        GROUP BY 1
    ),
    act_counts AS (
        -- one pass (index-only) over the activities, counted per week and per user
        SELECT
            a.user_id,
            salesflow.week_start(a.occurred_at, v_starts) AS week,
            count(*) AS n,
            count(*) FILTER (WHERE a.direction = 'out') AS outbound,
            count(*) FILTER (WHERE a.direction = 'in') AS inbound,
            count(*) FILTER (WHERE a.kind = 'call') AS calls,
            count(*) FILTER (WHERE a.kind = 'meeting') AS meetings
        FROM salesflow.lead_activities AS a
        WHERE a.user_id = ANY(v_users) AND a.occurred_at >= v_from AND a.kind <> 'note'
        GROUP BY GROUPING SETS ((a.user_id), (salesflow.week_start(a.occurred_at, v_starts)))
    ),
    per_week AS (
        SELECT c.week, c.n, c.outbound, c.inbound FROM act_counts AS c WHERE c.user_id IS NULL
    ),
    valid_answers AS (
        SELECT x.user_id, x.direction, x.minutes
        FROM salesflow.activity_answers AS x
        WHERE x.user_id = ANY(v_users) AND x.answered_at >= v_from
    ),
    per_rep AS (
        SELECT
            u.id AS user_id,
            u.display_name,
            coalesce(c.n, 0) AS n,
            coalesce(c.outbound, 0) AS outbound,
            coalesce(c.inbound, 0) AS inbound,
            coalesce(c.calls, 0) AS calls,
            coalesce(c.meetings, 0) AS meetings
        FROM salesflow.users AS u
        LEFT JOIN act_counts AS c ON u.id = c.user_id AND c.week IS NULL
        WHERE u.id = ANY(v_users)
    ),
    rep_response AS (
        SELECT
            v.user_id,
            round((percentile_cont(0.5) WITHIN GROUP (ORDER BY v.minutes))::numeric, 1) AS median
        FROM valid_answers AS v WHERE v.direction = 'out'
        GROUP BY v.user_id
    ),
    open_stages (stage, ord) AS (
        VALUES ('new', 1), ('contacted', 2), ('replied', 3), ('meeting', 4), ('proposal', 5)
    ),
    pipeline AS (
        SELECT
            s.stage,
            s.ord,
            count(l.id) AS n,
            coalesce(sum(coalesce(l.deal_value, 0)), 0) AS value
        FROM open_stages AS s
        LEFT JOIN mine AS l ON s.stage = l.stage
        GROUP BY s.stage, s.ord
    ),
    sources AS (
        SELECT
            l.source,
            count(*) AS n,
            count(*) FILTER (WHERE l.stage NOT IN ('won', 'lost')) AS open,
            count(*) FILTER (WHERE l.stage = 'won') AS won,
            count(*) FILTER (WHERE l.stage = 'lost') AS lost
        FROM mine AS l
        GROUP BY l.source
    )
    SELECT jsonb_build_object(
        'from', to_char(v_from, 'YYYY-MM-DD'),
        'weeks_count', p_weeks,
        'pipeline_by_stage', (
            SELECT jsonb_agg(jsonb_build_object('stage', p.stage, 'leads', p.n, 'value', p.value) ORDER BY p.ord)
            FROM pipeline AS p
        ),
        'pipeline_value', (SELECT sum(p.value) FROM pipeline AS p),
        'weeks', (
            SELECT jsonb_agg(jsonb_build_object(
                'week', to_char(w.week, 'YYYY-MM-DD'),
                'won_count', coalesce(c.won, 0),
                'won_value', coalesce(c.won_value, 0),
                'lost_count', coalesce(c.lost, 0),
                'activities', coalesce(pw.n, 0),
                'outbound', coalesce(pw.outbound, 0),
                'inbound', coalesce(pw.inbound, 0)
            ) ORDER BY w.week)
            FROM weeks AS w
            LEFT JOIN closed AS c ON w.week = c.week
            LEFT JOIN per_week AS pw ON w.week = pw.week
        ),
        'activities_by_rep', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'user_id', r.user_id, 'display_name', r.display_name, 'activities', r.n, 'outbound', r.outbound,
                'inbound', r.inbound, 'calls', r.calls, 'meetings', r.meetings,
                'median_response_minutes', rr.median
            ) ORDER BY r.n DESC, r.display_name, r.user_id)
            FROM per_rep AS r
            LEFT JOIN rep_response AS rr ON r.user_id = rr.user_id
        ), '[]'::jsonb),
        'reply_times', (
            SELECT jsonb_build_object(
                'median_response_minutes',
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY v.minutes) FILTER (WHERE v.direction = 'out'))::numeric, 1),
                'responses', count(*) FILTER (WHERE v.direction = 'out'),
                'median_lead_reply_minutes',
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY v.minutes) FILTER (WHERE v.direction = 'in'))::numeric, 1),
                'lead_replies', count(*) FILTER (WHERE v.direction = 'in')
            )
            FROM valid_answers AS v
        ),
        'conversion_by_source', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'source', s.source, 'leads', s.n, 'open', s.open, 'won', s.won, 'lost', s.lost,
                'win_rate', round(s.won::numeric / nullif(s.won + s.lost, 0), 4)
            ) ORDER BY s.n DESC, s.source)
            FROM sources AS s
        ), '[]'::jsonb),
        'health_distribution', (
            -- the traffic light from the stored health score (its one formula): an index-only scan
            SELECT jsonb_build_object(
                'green', count(*) FILTER (WHERE salesflow.health_traffic_light(v.health_score) = 'green'),
                'yellow', count(*) FILTER (WHERE salesflow.health_traffic_light(v.health_score) = 'yellow'),
                'red', count(*) FILTER (WHERE salesflow.health_traffic_light(v.health_score) = 'red'),
                'none', count(*) FILTER (WHERE v.health_score IS NULL)
            )
            FROM salesflow.lead_scores AS v
            WHERE v.is_open AND v.user_id = ANY(v_users)
        ),
        'totals', (
            SELECT jsonb_build_object(
                'won_count', coalesce(sum(c.won), 0), 'won_value', coalesce(sum(c.won_value), 0),
                'lost_count', coalesce(sum(c.lost), 0),
                'activities', (SELECT coalesce(sum(pw.n), 0) FROM per_week AS pw)
            )
            FROM closed AS c
        )
    )
    INTO v_result;
    RETURN v_result;
END;
$$;
COMMENT ON FUNCTION salesflow.get_sales_kpis(integer, uuid, uuid) IS
'Sales figures: pipeline by stage, won/lost and activities per week, activities and response time per rep, median reply times, '
'conversion by source, health distribution; for the visible users, one user or one team. Args: weeks 1-104, user_id, team_id.';
