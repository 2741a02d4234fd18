-- ============================================================================
-- get_kpis: the original system's success metrics per week, as one jsonb
-- ============================================================================
-- For the users the caller may see (rep own, manager team, admin/owner all) or p_user_id alone,
-- over the last p_weeks ISO weeks (1..104, 22023 otherwise), this week included:
--   weeks[]: week (Monday), bant_assessments, profiles, recommendations_accepted,
--            recommendations_dismissed, scripts (compliance_logs content_type 'script'),
--            compliance_checks, violations (sum of violation entries), severity {none..critical},
--            decisions {allowed, flagged, blocked}
--   avg_health_open (view_leads_scored, open leads, as of the last refresh),
--   conversion_by_disg {D: rate, ...} (closed leads by latest DISG type, view_personality_insights),
--   avg_cycle_days_by_bant_light {green: days, ...} (leads won in the period, by latest BANT light),
--   totals over the period.
-- Week buckets use the session time zone (week_start). Index-backed per user (user_id, created_at).
CREATE OR REPLACE FUNCTION salesflow.get_kpis(p_weeks integer DEFAULT 8, p_user_id uuid DEFAULT NULL)
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
    v_weeks jsonb;
    v_result jsonb;
BEGIN
    IF p_weeks IS NULL OR p_weeks NOT BETWEEN 1 AND 104 THEN
        RAISE EXCEPTION 'p_weeks must be between 1 and 104, got %', coalesce(p_weeks::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for 1 to 104 weeks (default 8).';
    END IF;
    v_users := salesflow.caller_user_ids(p_user_id);
    IF v_users IS NULL THEN
        -- the owner without identity: everyone (an array keeps every filter below index-backed)
        SELECT coalesce(array_agg(u.id), '{}') INTO v_users FROM salesflow.users AS u;
    END IF;
    v_from := date_trunc('week', now()) - (p_weeks - 1) * interval '1 week';
    v_starts := ARRAY(SELECT g FROM generate_series(v_from, date_trunc('week', now()) + interval '1 week', interval '1 week') AS g);

    WITH weeks AS (
        SELECT g AS week FROM generate_series(v_from, date_trunc('week', now()), interval '1 week') AS g
    ),
    bant AS (
        SELECT salesflow.week_start(b.created_at, v_starts) AS week, count(*) AS n
        FROM salesflow.bant_assessments AS b
        WHERE b.created_at >= v_from AND b.user_id = ANY(v_users)
        GROUP BY 1
    ),
    prof AS (
        SELECT salesflow.week_start(p.created_at, v_starts) AS week, count(*) AS n
        FROM salesflow.personality_profiles AS p
        WHERE p.created_at >= v_from AND p.user_id = ANY(v_users)
        GROUP BY 1
    ),
    recs AS (
        SELECT
            salesflow.week_start(r.resolved_at, v_starts) AS week,
            count(*) FILTER (WHERE r.status = 'accepted') AS accepted,
            count(*) FILTER (WHERE r.status = 'dismissed') AS dismissed
        FROM salesflow.ai_recommendations AS r
        WHERE r.status IN ('accepted', 'dismissed') AND r.resolved_at >= v_from
          AND r.user_id = ANY(v_users)
        GROUP BY 1
    ),
    comp AS (
        SELECT
            salesflow.week_start(c.created_at, v_starts) AS week,
            count(*) AS checks,
            count(*) FILTER (WHERE c.content_type = 'script') AS scripts,
            coalesce(sum(jsonb_array_length(c.violations)), 0) AS violations,
            count(*) FILTER (WHERE c.max_severity = 'none') AS sev_none,
            count(*) FILTER (WHERE c.max_severity = 'low') AS sev_low,
            count(*) FILTER (WHERE c.max_severity = 'medium') AS sev_medium,
            count(*) FILTER (WHERE c.max_severity = 'high') AS sev_high,
            count(*) FILTER (WHERE c.max_severity = 'critical') AS sev_critical,
            count(*) FILTER (WHERE c.decision = 'allowed') AS allowed,
            count(*) FILTER (WHERE c.decision = 'flagged') AS flagged,
            count(*) FILTER (WHERE c.decision = 'blocked') AS blocked
        FROM salesflow.compliance_logs AS c
        WHERE c.created_at >= v_from AND c.user_id = ANY(v_users)
        GROUP BY 1
    )
    SELECT jsonb_agg(
        jsonb_build_object(
            'week', to_char(w.week, 'YYYY-MM-DD'),
            'bant_assessments', coalesce(b.n, 0),
            'profiles', coalesce(p.n, 0),
            'recommendations_accepted', coalesce(r.accepted, 0),
            'recommendations_dismissed', coalesce(r.dismissed, 0),
            'scripts', coalesce(c.scripts, 0),
            'compliance_checks', coalesce(c.checks, 0),
            'violations', coalesce(c.violations, 0),
            'severity', jsonb_build_object(
                'none', coalesce(c.sev_none, 0), 'low', coalesce(c.sev_low, 0), 'medium', coalesce(c.sev_medium, 0),
                'high', coalesce(c.sev_high, 0), 'critical', coalesce(c.sev_critical, 0)
            ),
            'decisions', jsonb_build_object(
                'allowed', coalesce(c.allowed, 0), 'flagged', coalesce(c.flagged, 0), 'blocked', coalesce(c.blocked, 0)
            )
        ) ORDER BY w.week
    )
    INTO v_weeks
    FROM weeks AS w
    LEFT JOIN bant AS b ON w.week = b.week
    LEFT JOIN prof AS p ON w.week = p.week
    LEFT JOIN recs AS r ON w.week = r.week
    LEFT JOIN comp AS c ON w.week = c.week;

    SELECT jsonb_build_object(
        'weeks', v_weeks,
        'from', to_char(v_from, 'YYYY-MM-DD'),
        'totals', (
            SELECT jsonb_object_agg(k.key, k.total) FROM (
                SELECT
                    e.key,
                    sum((e.value)::numeric) AS total
                FROM jsonb_array_elements(v_weeks) AS x (wk)
                CROSS JOIN LATERAL jsonb_each(x.wk) AS e
                WHERE jsonb_typeof(e.value) = 'number'
                GROUP BY e.key
            ) AS k
        ),
        'avg_health_open', (
            SELECT round(avg(v.health_score), 1) FROM salesflow.view_leads_scored AS v
            WHERE v.is_open AND v.user_id = ANY(v_users)
        ),
        -- closed leads by latest DISG type (view_personality_insights: per user x type x channel)
        'conversion_by_disg', coalesce((
            SELECT jsonb_object_agg(d.disg_type, d.rate) FROM (
                SELECT
                    v.disg_type,
                    round(sum(v.won)::numeric / nullif(sum(v.won) + sum(v.lost), 0), 4) AS rate
                FROM salesflow.view_personality_insights AS v
                WHERE v.user_id = ANY(v_users)
                GROUP BY v.disg_type
                HAVING sum(v.won) + sum(v.lost) > 0
            ) AS d
        ), '{}'::jsonb),
        'avg_cycle_days_by_bant_light', coalesce((
            SELECT jsonb_object_agg(d.light, d.days) FROM (
                SELECT
                    coalesce(v.bant_light, 'none') AS light,
                    round(avg(v.cycle_days), 1) AS days
                FROM salesflow.view_leads_scored AS v
                WHERE v.stage = 'won' AND v.user_id = ANY(v_users) AND v.closed_at >= v_from
                GROUP BY coalesce(v.bant_light, 'none')
            ) AS d
        ), '{}'::jsonb)
    )
    INTO v_result;
    RETURN v_result;
END;
$$;
COMMENT ON FUNCTION salesflow.get_kpis(integer, uuid) IS
'Success metrics per week (BANT, profiles, recommendations accepted/dismissed, scripts, violations, severities, decisions) '
'plus average health, conversion by DISG type, sales cycle by BANT light, for the visible users. Args: weeks 1-104, user_id.';
