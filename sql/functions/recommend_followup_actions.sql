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
        SELECT l.id, l.name, l.stage, l.created_at
        FROM salesflow.leads AS l
        WHERE l.user_id = v_user AND l.stage NOT IN ('won', 'lost')
    ),
    sig AS (
        SELECT
            ml.id, ml.name, ml.stage, ml.created_at,
            le.inbound_count, le.outbound_count, le.last_inbound_at, le.last_outbound_at,
            le.bant_score, le.bant_light, le.disg_type,
            vs.health_score, vs.predicted_conversion AS pc
        FROM my_leads AS ml
        LEFT JOIN salesflow.lead_engagement AS le ON le.lead_id = ml.id
        LEFT JOIN salesflow.view_leads_scored AS vs ON vs.lead_id = ml.id AND vs.user_id = v_user AND vs.is_open
    ),
    recent_stage AS (
        SELECT DISTINCT e.lead_id
        FROM salesflow.lead_stage_events AS e
        WHERE e.user_id = v_user AND e.changed_at > now() - interval '14 days'
    ),
    cand AS (
        -- follow-ups due within 24 h or overdue
        (SELECT DISTINCT ON (f.lead_id)
            f.lead_id,
            CASE WHEN f.due_at <= now() THEN 'followup_overdue' ELSE 'followup_due' END AS action_type,
            CASE WHEN f.due_at <= now()
                THEN format(CASE WHEN v_de THEN 'Follow-up seit %s überfällig%s' ELSE 'Follow-up overdue by %s%s' END,
                    CASE WHEN now() - f.due_at >= interval '1 day'
                        THEN floor(extract(EPOCH FROM now() - f.due_at) / 86400)::text || CASE WHEN v_de THEN ' Tag(en)' ELSE ' day(s)' END
                        ELSE ceil(extract(EPOCH FROM now() - f.due_at) / 3600)::text || CASE WHEN v_de THEN ' Stunde(n)' ELSE ' hour(s)' END
                    END,
                    coalesce(': ' || f.note, ''))
                ELSE format(CASE WHEN v_de THEN 'Follow-up fällig %s%s' ELSE 'Follow-up due %s%s' END,
                    to_char(f.due_at AT TIME ZONE u.timezone, 'YYYY-MM-DD HH24:MI'), coalesce(': ' || f.note, ''))
            END AS reason,
            80::numeric AS priority,
            CASE WHEN f.due_at <= now()
                THEN 1.5 + 0.5 * least(1, extract(EPOCH FROM now() - f.due_at) / 3600 / 72)
                ELSE 1.0 + 0.5 * (1 - extract(EPOCH FROM f.due_at - now()) / 3600 / 24)
            END::numeric AS urgency,
            f.channel,
            NULL::bigint AS recommendation_id,
            f.id AS followup_id
        FROM salesflow.followups AS f
        INNER JOIN salesflow.users AS u ON u.id = v_user
        WHERE f.user_id = v_user AND f.status = 'open' AND f.due_at <= now() + interval '24 hours'
        ORDER BY f.lead_id, f.due_at)
        UNION ALL
        -- open AI recommendations: the owner's own, or assigned to this user
        SELECT
            r.lead_id, r.rec_type, r.title || coalesce(' – ' || r.reason, ''),
            salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()),
            CASE WHEN r.expires_at < now() + interval '24 hours' THEN 1.3 ELSE 1.0 END,
            NULL, r.id, NULL
        FROM salesflow.ai_recommendations AS r
        INNER JOIN salesflow.leads AS l ON l.id = r.lead_id
        WHERE r.status = 'open'
          AND ((r.user_id = v_user AND (r.assignee_id IS NULL OR r.assignee_id = v_user)) OR r.assignee_id = v_user)
          AND (r.expires_at IS NULL OR r.expires_at > now())
          AND (l.stage NOT IN ('won', 'lost') OR r.assignee_id = v_user)
          AND salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()) >= 5
        UNION ALL
        -- hot leads without recent outreach
        SELECT
            s.id, 'hot_no_contact',
            CASE WHEN s.last_outbound_at IS NULL
                THEN format(CASE WHEN v_de THEN 'Heißer Lead (Health %s, BANT %s), aber noch nie angeschrieben'
                                 ELSE 'Hot lead (health %s, BANT %s) but never contacted' END,
                    coalesce(s.health_score::text, '–'), coalesce(s.bant_light, '–'))
                ELSE format(CASE WHEN v_de THEN 'Heißer Lead (Health %s, BANT %s) ohne Kontakt seit %s Tagen'
                                 ELSE 'Hot lead (health %s, BANT %s) without contact for %s days' END,
                    coalesce(s.health_score::text, '–'), coalesce(s.bant_light, '–'),
                    floor(extract(EPOCH FROM now() - s.last_outbound_at) / 86400))
            END,
            70, (1.0 + least(0.5, greatest(0, coalesce(extract(EPOCH FROM now() - s.last_outbound_at) / 86400, 35) - 7) / 28))::numeric,
            NULL, NULL, NULL
        FROM sig AS s
        WHERE (s.health_score >= 70 OR s.bant_light = 'green')
          AND (s.last_outbound_at IS NULL OR s.last_outbound_at < now() - interval '7 days')
        UNION ALL
        -- BANT gaps late in the funnel
        SELECT
            s.id, 'bant_gap',
            CASE WHEN b.id IS NULL
                THEN format(CASE WHEN v_de THEN 'Stufe %s, aber noch keine BANT-Einschätzung' ELSE 'Stage %s but no BANT assessment yet' END, s.stage)
                ELSE format(CASE WHEN v_de THEN 'Stufe %s, BANT-Lücke bei %s (%s/10)' ELSE 'Stage %s, BANT gap in %s (%s/10)' END,
                    s.stage, salesflow.bant_weakest(b.budget, b.authority, b.need, b.timeline),
                    least(b.budget, b.authority, b.need, b.timeline))
            END,
            60, CASE WHEN s.stage = 'proposal' THEN 1.3 ELSE 1.1 END,
            NULL, NULL, NULL
        FROM sig AS s
        LEFT JOIN LATERAL (
            SELECT x.id, x.budget, x.authority, x.need, x.timeline
            FROM salesflow.bant_assessments AS x
            WHERE x.lead_id = s.id
            ORDER BY x.created_at DESC, x.id DESC
            LIMIT 1
        ) AS b ON true
        WHERE s.stage IN ('meeting', 'proposal')
          AND (b.id IS NULL OR least(b.budget, b.authority, b.need, b.timeline) <= 3)
        UNION ALL
        -- ghosted: three or more outbound since the last inbound
        SELECT
            s.id, 'ghosted',
            format(CASE WHEN v_de THEN '%s Nachrichten ohne Antwort seit %s – Reaktivierung versuchen'
                        ELSE '%s messages without a reply since %s – try to re-engage' END,
                '3+', coalesce(to_char(s.last_inbound_at, 'YYYY-MM-DD'), CASE WHEN v_de THEN 'Beginn' ELSE 'the start' END)),
            45, 0.9, NULL, NULL, NULL
        FROM sig AS s
        WHERE s.outbound_count >= 3
          AND (s.last_inbound_at IS NULL OR s.last_outbound_at > s.last_inbound_at)
          AND (
              SELECT count(*) FROM (
                  SELECT 1 FROM salesflow.lead_activities AS a
                  WHERE a.lead_id = s.id AND a.direction = 'out' AND a.kind <> 'note'
                    AND a.occurred_at > coalesce(s.last_inbound_at, '-infinity'::timestamptz)
                  LIMIT 3
              ) AS o
          ) = 3
        UNION ALL
        -- stalled in stage
        SELECT
            s.id, 'stalled',
            format(CASE WHEN v_de THEN 'Seit über 14 Tagen in Stufe %s, letzter Kontakt %s'
                        ELSE 'In stage %s for more than 14 days, last contact %s' END,
                s.stage, coalesce(to_char(greatest(s.last_inbound_at, s.last_outbound_at), 'YYYY-MM-DD'),
                                  CASE WHEN v_de THEN 'nie' ELSE 'never' END)),
            35,
            (0.6 + least(0.6, coalesce(extract(EPOCH FROM now() - greatest(s.last_inbound_at, s.last_outbound_at)) / 86400, 36) / 60))::numeric,
            NULL, NULL, NULL
        FROM sig AS s
        WHERE s.created_at < now() - interval '14 days'
          AND NOT EXISTS (SELECT 1 FROM recent_stage AS rs WHERE rs.lead_id = s.id)
        UNION ALL
        -- enough messages to profile, no DISG profile
        SELECT
            s.id, 'profile_lead',
            format(CASE WHEN v_de THEN '%s Nachrichten erhalten, aber noch kein DISG-Profil'
                        ELSE '%s messages received but no DISG profile yet' END, s.inbound_count),
            30, 0.8, NULL, NULL, NULL
        FROM sig AS s
        WHERE s.inbound_count >= 3 AND s.disg_type IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM salesflow.ai_recommendations AS r
              WHERE r.lead_id = s.id AND r.rec_type = 'profile_lead' AND r.status IN ('open', 'dismissed')
          )
    ),
    best AS (
        SELECT DISTINCT ON (c.lead_id)
            c.*,
            coalesce(vs.predicted_conversion, 0.5) AS pc,
            round(c.priority * coalesce(vs.predicted_conversion, 0.5) * c.urgency, 2) AS score
        FROM cand AS c
        LEFT JOIN salesflow.view_leads_scored AS vs ON vs.lead_id = c.lead_id
        ORDER BY c.lead_id, c.priority * coalesce(vs.predicted_conversion, 0.5) * c.urgency DESC, c.priority DESC
    ),
    top AS (
        SELECT b.*, l.name AS lead_name, l.timezone
        FROM best AS b
        INNER JOIN salesflow.leads AS l ON l.id = b.lead_id
        ORDER BY b.score DESC, b.urgency DESC, b.lead_id
        LIMIT p_limit
    )
    SELECT
        t.lead_id, t.lead_name, t.action_type, t.reason, t.score, round(t.priority, 2), t.pc, round(t.urgency, 3),
        coalesce(t.channel, w.channel), w.suggested_time,
        salesflow.disg_tip(d.primary_type, v_lang),
        t.recommendation_id, t.followup_id
    FROM top AS t
    LEFT JOIN LATERAL (
        SELECT min(cw.channel) AS channel,
            min(salesflow.next_local_occurrence(cw.weekday, cw.hour, t.timezone, now())) AS suggested_time
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
