-- ============================================================================
-- recommend_followup_actions: ranked next best actions for one user (one row per lead)
-- ============================================================================
-- Candidates (open leads of the user unless noted; reads only partial indexes, the per-lead
-- counters in lead_engagement and view_leads_scored — never all of the user's activities):
--   kind              priority                         urgency
--   followup_overdue  80                               1.5 + 0.5 * min(1, hours overdue / 72)
--   followup_due      80   (due within 24 h)           1.0 + 0.5 * (1 - hours until due / 24)
--   <rec_type>        effective_priority of an open AI recommendation (owner's or assigned to
--                     the user; skipped once expired or below 5)        1.0 (1.3 when it expires within 24 h)
--   hot_no_contact    70   (health >= 70 or BANT green, no outbound for 7 days)
--                                                      1.0 + min(0.5, (days since outbound - 7) / 28)
--   bant_gap          60   (stage meeting/proposal, no BANT or a dimension <= 3)  1.1 (proposal 1.3)
--   ghosted           45   (3+ outbound since the last inbound)                 0.9
--   stalled           35   (no stage change for 14 days)  0.6 + min(0.6, days since contact / 60)
--   profile_lead      30   (3+ inbound, no DISG profile, no open/dismissed profiling rec) 0.8
-- score = priority x predicted conversion x urgency; predicted conversion from view_leads_scored
-- (0.5 for leads the view has not seen yet). The best candidate per lead wins; rows are ordered
-- by score. For the returned rows only: channel and suggested_time from get_best_contact_window
-- (earliest of its top three windows; follow-ups keep their planned channel) and a DISG tip in
-- the user's language. Reasons are in the user's language (users.language).
-- Identity: with current_user_id() set, p_user_id defaults to the caller and must be visible
-- (rep: self, manager: team, admin: all) else 42501; without identity (owner, CLI, cron)
-- p_user_id is required. SECURITY DEFINER because it reads view_leads_scored, which reps may
-- not select; every read is filtered to the checked user.
CREATE OR REPLACE FUNCTION salesflow.recommend_followup_actions(p_user_id uuid DEFAULT NULL, p_limit integer DEFAULT 10)
RETURNS TABLE (
    lead_id uuid,
    lead_name text,
    action_type text,
    reason text,
    score numeric,
    priority numeric,
    predicted_conversion numeric,
    urgency numeric,
    channel text,
    suggested_time timestamptz,
    disg_tip text,
    recommendation_id bigint,
    followup_id bigint
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.current_user_id();
    v_user uuid := coalesce(p_user_id, v_me);
    v_lang text;
    v_de boolean;
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 200, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for the top 10 or so; the list is ranked.';
    END IF;
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'p_user_id is required when no current user is set'
            USING ERRCODE = '22023', HINT = 'Pass the user''s uuid, or SET salesflow.user_id first.';
    END IF;
    SELECT u.language INTO v_lang FROM salesflow.users AS u WHERE u.id = v_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'p_user_id % is not a known user', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;
    IF v_me IS NOT NULL AND NOT v_user = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])) THEN
        RAISE EXCEPTION 'user % may not see the actions of user % (p_user_id)', v_me, v_user
            USING ERRCODE = '42501', HINT = 'Reps see their own actions, managers their team''s, admins everyone''s.';
    END IF;
    v_de := v_lang = 'de';

    RETURN QUERY
    WITH my_leads AS (
        SELECT
            l.id, l.stage, l.created_at,
            le.inbound_count, le.outbound_count, le.last_inbound_at, le.last_outbound_at, le.bant_light, le.disg_type
        FROM salesflow.leads AS l
        LEFT JOIN salesflow.lead_engagement AS le ON le.lead_id = l.id AND le.user_id = v_user
        WHERE l.user_id = v_user AND l.stage NOT IN ('won', 'lost')
    ),
    scored AS (
        SELECT vs.lead_id, vs.health_score, vs.predicted_conversion::float8 AS pc
        FROM salesflow.view_leads_scored AS vs
        WHERE vs.user_id = v_user AND vs.is_open
    ),
    recent_stage AS (
        SELECT DISTINCT e.lead_id
        FROM salesflow.lead_stage_events AS e
        WHERE e.user_id = v_user AND e.changed_at > now() - interval '14 days'
    ),
    latest_bant AS (
        SELECT DISTINCT ON (x.lead_id) x.lead_id, least(x.budget, x.authority, x.need, x.timeline) AS weakest_score
        FROM salesflow.bant_assessments AS x
        INNER JOIN my_leads AS ml ON ml.id = x.lead_id AND ml.stage IN ('meeting', 'proposal')
        ORDER BY x.lead_id, x.created_at DESC, x.id DESC
    ),
    cand (lead_id, kind, priority, urgency, channel, recommendation_id, followup_id) AS (
        -- follow-ups due within 24 h or overdue (earliest per lead)
        (
            SELECT DISTINCT ON (f.lead_id)
                f.lead_id,
                CASE WHEN f.due_at <= now() THEN 'followup_overdue' ELSE 'followup_due' END,
                80::float8,
                CASE WHEN f.due_at <= now()
                    THEN 1.5 + 0.5 * least(1, date_part('epoch', now() - f.due_at) / 3600 / 72)
                    ELSE 1.0 + 0.5 * (1 - date_part('epoch', f.due_at - now()) / 3600 / 24)
                END,
                f.channel, NULL::bigint, f.id
            FROM salesflow.followups AS f
            WHERE f.user_id = v_user AND f.status = 'open' AND f.due_at <= now() + interval '24 hours'
            ORDER BY f.lead_id, f.due_at
        )
        UNION ALL
        -- open AI recommendations on the user's open leads (not assigned to someone else);
        -- ep = effective_priority() in double precision: base * 0.5^(age h / half-life h)
        SELECT r.lead_id, r.rec_type, r.ep, CASE WHEN r.expires_at < now() + interval '24 hours' THEN 1.3 ELSE 1.0 END, NULL, r.id, NULL
        FROM (
            SELECT
                x.id, x.lead_id, x.rec_type, x.expires_at,
                x.base_priority::float8
                * power(0.5::float8, greatest(date_part('epoch', now() - x.created_at), 0) / 3600 / x.half_life_hours::float8) AS ep
            FROM salesflow.ai_recommendations AS x
            WHERE x.user_id = v_user AND x.status = 'open' AND (x.assignee_id IS NULL OR x.assignee_id = v_user)
              AND (x.expires_at IS NULL OR x.expires_at > now())
        ) AS r
        INNER JOIN my_leads AS ml ON ml.id = r.lead_id
        WHERE r.ep >= 5
        UNION ALL
        -- open AI recommendations assigned to this user on other users' leads (e.g. manager alerts)
        SELECT r.lead_id, r.rec_type, r.ep, CASE WHEN r.expires_at < now() + interval '24 hours' THEN 1.3 ELSE 1.0 END, NULL, r.id, NULL
        FROM (
            SELECT
                x.id, x.lead_id, x.rec_type, x.expires_at,
                x.base_priority::float8
                * power(0.5::float8, greatest(date_part('epoch', now() - x.created_at), 0) / 3600 / x.half_life_hours::float8) AS ep
            FROM salesflow.ai_recommendations AS x
            WHERE x.assignee_id = v_user AND x.user_id <> v_user AND x.status = 'open'
              AND (x.expires_at IS NULL OR x.expires_at > now())
        ) AS r
        WHERE r.ep >= 5
        UNION ALL
        -- hot leads without recent outreach
        SELECT
            ml.id, 'hot_no_contact', 70,
            1.0 + least(0.5, greatest(0, coalesce(date_part('epoch', now() - ml.last_outbound_at) / 86400, 35) - 7) / 28),
            NULL, NULL, NULL
        FROM my_leads AS ml
        LEFT JOIN scored AS sc ON sc.lead_id = ml.id
        WHERE (sc.health_score >= 70 OR ml.bant_light = 'green')
          AND (ml.last_outbound_at IS NULL OR ml.last_outbound_at < now() - interval '7 days')
        UNION ALL
        -- BANT gaps late in the funnel
        SELECT ml.id, 'bant_gap', 60, CASE WHEN ml.stage = 'proposal' THEN 1.3 ELSE 1.1 END, NULL, NULL, NULL
        FROM my_leads AS ml
        LEFT JOIN latest_bant AS lb ON lb.lead_id = ml.id
        WHERE ml.stage IN ('meeting', 'proposal') AND (lb.lead_id IS NULL OR lb.weakest_score <= 3)
        UNION ALL
        -- ghosted: three or more outbound since the last inbound (index probe, stops at 3)
        SELECT ml.id, 'ghosted', 45, 0.9, NULL, NULL, NULL
        FROM my_leads AS ml
        WHERE ml.outbound_count >= 3
          AND (ml.last_inbound_at IS NULL OR ml.last_outbound_at > ml.last_inbound_at)
          AND (
              SELECT count(*) FROM (
                  SELECT 1 FROM salesflow.lead_activities AS a
                  WHERE a.lead_id = ml.id AND a.direction = 'out' AND a.kind <> 'note'
                    AND a.occurred_at > coalesce(ml.last_inbound_at, '-infinity'::timestamptz)
                  LIMIT 3
              ) AS o
          ) = 3
        UNION ALL
        -- stalled in stage
        SELECT
            ml.id, 'stalled', 35,
            0.6 + least(0.6, coalesce(date_part('epoch', now() - greatest(ml.last_inbound_at, ml.last_outbound_at)) / 86400, 36) / 60),
            NULL, NULL, NULL
        FROM my_leads AS ml
        WHERE ml.created_at < now() - interval '14 days'
          AND NOT EXISTS (SELECT 1 FROM recent_stage AS rs WHERE rs.lead_id = ml.id)
        UNION ALL
        -- enough messages to profile, no DISG profile, no open or dismissed profiling suggestion
        SELECT ml.id, 'profile_lead', 30, 0.8, NULL, NULL, NULL
        FROM my_leads AS ml
        WHERE ml.inbound_count >= 3 AND ml.disg_type IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM salesflow.ai_recommendations AS r
              WHERE r.lead_id = ml.id AND r.user_id = v_user AND r.rec_type = 'profile_lead' AND r.status IN ('open', 'dismissed')
          )
    ),
    best AS (
        SELECT DISTINCT ON (c.lead_id)
            c.*,
            coalesce(sc.pc, 0.5) AS pc,
            c.priority * coalesce(sc.pc, 0.5) * c.urgency AS score
        FROM cand AS c
        LEFT JOIN scored AS sc ON sc.lead_id = c.lead_id
        ORDER BY c.lead_id, c.priority * coalesce(sc.pc, 0.5) * c.urgency DESC, c.priority DESC
    ),
    top AS (
        SELECT b.*
        FROM best AS b
        ORDER BY b.score DESC, b.urgency DESC, b.lead_id
        LIMIT p_limit
    )
    SELECT
        t.lead_id, l.name, t.kind,
        salesflow.next_action_reason(t.kind, v_lang, t.lead_id, t.recommendation_id, t.followup_id),
        round(t.score::numeric, 2), round(t.priority::numeric, 2), round(t.pc::numeric, 3), round(t.urgency::numeric, 3),
        coalesce(t.channel, w.channel), w.suggested_time,
        salesflow.disg_tip(d.primary_type, v_lang),
        t.recommendation_id, t.followup_id
    FROM top AS t
    INNER JOIN salesflow.leads AS l ON l.id = t.lead_id
    LEFT JOIN LATERAL (
        SELECT min(cw.channel) AS channel,
            min(salesflow.next_local_occurrence(cw.weekday, cw.hour, l.timezone, now())) AS suggested_time
        FROM salesflow.get_best_contact_window(t.lead_id, 3) AS cw
    ) AS w ON true
    LEFT JOIN LATERAL (SELECT g.primary_type FROM salesflow.get_lead_disg(t.lead_id) AS g) AS d ON true
    ORDER BY t.score DESC, t.urgency DESC, t.lead_id;
END;
$$;
COMMENT ON FUNCTION salesflow.recommend_followup_actions(uuid, integer) IS
'Next best actions for a user (user, default the caller; limit 1-200): one row per lead, score = decayed '
'priority x predicted conversion x urgency, with reason, channel, suggested time and DISG tip.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.recommend_followup_actions(uuid, integer)', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
