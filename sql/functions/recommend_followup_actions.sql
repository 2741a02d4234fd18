-- ============================================================================
-- recommend_followup_actions: ranked next best actions for one user (one row per lead)
-- ============================================================================
-- Candidates:
--   kind              priority                         urgency                          source
--   followup_overdue  80                               1.5 + 0.5 * min(1, hours overdue / 72)   LIVE
--   followup_due      80   (due within 24 h)           1.0 + 0.5 * (1 - hours until due / 24)   LIVE
--   <rec_type>        effective_priority of an open AI recommendation (owner's or assigned to
--                     the user; skipped once expired or below 5)   1.0 (1.3 when it expires within 24 h)   LIVE
--   hot_no_contact, bant_gap, ghosted, stalled, profile_lead: the lead-derived candidates, precomputed
--                     per lead by view_next_actions (formulas in its banner)        AS OF THE LAST REFRESH
-- score = priority x predicted conversion x urgency; predicted conversion from view_leads_scored
-- (0.5 for leads the view has not seen yet). The best candidate per lead wins; rows are ordered
-- by score.
-- Cost does not grow with the user's leads (target p99 <= 10 ms at 10,000 leads per rep; measured
-- ~6.5 ms p50 / < 9 ms p99 for the top 10 at ~4,700 open leads, 890 due follow-ups and 3,700 open
-- recommendations per rep, against ~60-70 ms for the version that scanned all open leads per call):
--   1. the top p_limit*4+10 rows of view_next_actions for the user (index user_id, score DESC);
--   2. follow-ups overdue by 72 h+ (urgency capped at 2.0, so they rank by conversion alone): walk the
--      user's leads by predicted conversion (lead_next_actions_user_pc_idx) and probe each for such a
--      follow-up, stopping after p_limit hits; follow-ups due between 72 h ago and 24 h ahead through
--      followups_open_due_idx, kept only where 80 x urgency can reach the p_limit-th score found so
--      far, their predicted conversions hashed from one index-only scan of the user's open leads
--      (lead_next_actions_user_pc_idx includes lead_id);
--   3. open recommendations, read only when the p_limit-th score so far is below 130 (base 100 x
--      urgency 1.3, the best any recommendation can score): the user's own per half-life through
--      ai_recommendations_open_user_rank_idx, only the range whose effective priority x 1.3 can reach
--      that score; those assigned to the user through _assignee_idx; decay computed now;
--   4. one row per lead (best score), a live check on leads, then reason, DISG tip and contact window
--      for the returned rows only: best_contact_windows() (the computation of get_best_contact_window)
--      over all of them in one call, each owner's statistics read once.
-- Restricted leads (GDPR Art. 18) and leads that withdrew consent are never returned: left out of
-- view_next_actions, and checked live on the leads table for every candidate (lead_is_contactable).
-- Staleness: the lead-derived candidates and predicted conversion are as of the last
-- refresh_all_ki_views() (a lead that got a reply, a stage change or a profile since then keeps its
-- old candidate until the next refresh; a new lead gets its lead-derived candidate at the next
-- refresh); due follow-ups and open recommendations are live, and a lead closed (won/lost) or
-- reassigned since the refresh is never returned for a lead-derived candidate. Follow-ups overdue
-- by 72 h+ are found through the leads open at the last refresh.
-- For the returned rows: channel and suggested_time from plan_action_slots (the one answer shared
-- with plan_day / `salesflow today`): channel by the rule of contact_channel (a follow-up keeps its
-- planned channel), time = a slot of the rep's working day (p_day, default the rep's today or the
-- next working day; 08:00-20:00 in users.timezone; p_capacity actions per hour slot, default 4) in
-- the lead's best window that has room, planned greedily in rank order; channel_rule and time_rule
-- say which rule applied. A DISG tip in the user's language. Reasons are in the user's language
-- (users.language).
-- Identity: with current_user_id() set, p_user_id defaults to the caller and must be visible
-- (rep: self, manager: team, admin: all) else 42501; without identity (owner, CLI, cron)
-- p_user_id is required. SECURITY DEFINER because it reads view_leads_scored and view_next_actions,
-- which reps may not select; every read is filtered to the checked user.
-- Before issue 12 it had no p_day / p_capacity (and fewer columns): the old signature goes.
DROP FUNCTION IF EXISTS salesflow.recommend_followup_actions(uuid, integer);
CREATE OR REPLACE FUNCTION salesflow.recommend_followup_actions(
    p_user_id uuid DEFAULT NULL, p_limit integer DEFAULT 10, p_day date DEFAULT NULL, p_capacity integer DEFAULT 4
)
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
    followup_id bigint,
    channel_rule text,
    time_rule text,
    plan_day date,
    lead_timezone text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
-- the ranking query takes longer to plan than to run: plan it once per session, not per call
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_user uuid := coalesce(p_user_id, v_me);
    v_lang text;
    v_tz text;
    v_k integer;  -- precomputed rows read, and ranked rows kept before the live lead check
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 200, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for the top 10 or so; the list is ranked.';
    END IF;
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'p_user_id is required when no current user is set'
            USING ERRCODE = '22023', HINT = 'Pass the user''s uuid, or SET salesflow.user_id first.';
    END IF;
    IF p_capacity IS NULL OR p_capacity NOT BETWEEN 1 AND 50 THEN
        RAISE EXCEPTION 'p_capacity must be between 1 and 50 actions per hour slot, got %', coalesce(p_capacity::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'The default is 4 actions per hour slot.';
    END IF;
    SELECT u.language, u.timezone INTO v_lang, v_tz FROM salesflow.users AS u WHERE u.id = v_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'p_user_id % is not a known user', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;
    IF NOT isfinite(p_day) OR p_day > (now() AT TIME ZONE v_tz)::date + 90 THEN
        RAISE EXCEPTION 'p_day % is too far ahead (plan at most 90 days ahead)', p_day
            USING ERRCODE = '22023', HINT = 'Pass a day from today on, up to 90 days ahead, or NULL for the next working day.';
    END IF;
    IF p_day < (now() AT TIME ZONE v_tz)::date THEN
        RAISE EXCEPTION 'p_day % is in the past (today is % in %)', p_day, (now() AT TIME ZONE v_tz)::date, v_tz
            USING ERRCODE = '22023', HINT = 'Plan today or a later day; leave p_day NULL for the next working day.';
    END IF;
    IF extract(DOW FROM p_day) = 0 THEN
        RAISE EXCEPTION 'p_day % is a Sunday, a quiet day without contact windows', p_day
            USING ERRCODE = '22023', HINT = 'Plan a day from Monday to Saturday.';
    END IF;
    IF v_me IS NOT NULL AND NOT v_user = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])) THEN
        RAISE EXCEPTION 'user % may not see the actions of user % (p_user_id)', v_me, v_user
            USING ERRCODE = '42501', HINT = 'Reps see their own actions, managers their team''s, admins everyone''s.';
    END IF;
    v_k := p_limit * 4 + 10;

    RETURN QUERY
    WITH RECURSIVE pre AS MATERIALIZED (
        -- lead-derived candidates as of the last refresh: the user's top rows, lead still open and the user's
        SELECT
            v.lead_id, v.action_type AS kind, v.priority::float8 AS priority, v.urgency::float8 AS urgency,
            NULL::text AS channel, NULL::bigint AS recommendation_id, NULL::bigint AS followup_id,
            v.predicted_conversion::float8 AS pc, v.score::float8 AS score
        FROM (
            SELECT v0.* FROM salesflow.view_next_actions AS v0
            WHERE v0.user_id = v_user AND v0.score IS NOT NULL
            ORDER BY v0.score DESC NULLS LAST
            LIMIT v_k
        ) AS v
        -- a scalar subquery: one primary-key probe per row, never a scan of the user's leads
        WHERE (
            SELECT l.stage NOT IN ('won', 'lost') FROM salesflow.leads AS l WHERE l.id = v.lead_id AND l.user_id = v_user
        )
    ),
    -- LIVE: follow-ups due within 24 h or overdue, the earliest per lead, in two parts (fu = a + b)
    fb AS MATERIALIZED (
        -- (b) overdue by 72 h or more: urgency is capped at 2.0, so they rank by predicted conversion
        -- alone; walk the user's leads by conversion (lead_next_actions_user_pc_idx), probe each for
        -- such a follow-up (followups_lead_idx) and stop after p_limit hits
        (
        SELECT
            v.lead_id, 'followup_overdue' AS kind, 80::float8 AS priority, 2.0::float8 AS urgency, o.channel,
            NULL::bigint AS recommendation_id, o.id AS followup_id,
            v.predicted_conversion::float8 AS pc, 160 * v.predicted_conversion::float8 AS score
        FROM salesflow.view_next_actions AS v
        CROSS JOIN LATERAL (
            SELECT f1.id, f1.channel
            FROM salesflow.followups AS f1
            WHERE f1.lead_id = v.lead_id AND f1.user_id = v_user AND f1.status = 'open'
              AND f1.due_at <= now() - interval '72 hours'
            ORDER BY f1.due_at
            LIMIT 1
        ) AS o
        WHERE v.user_id = v_user
        ORDER BY v.predicted_conversion DESC
        LIMIT p_limit
        )
    ),
    tb AS (
        -- the p_limit-th best score (one row per lead) of the precomputed rows and part (b), 0 with fewer leads
        SELECT salesflow.kth_best_lead_score(array_agg(c.lead_id), array_agg(c.score), p_limit) AS t
        FROM (SELECT p.lead_id, p.score FROM pre AS p UNION ALL SELECT f.lead_id, f.score FROM fb AS f) AS c
    ),
    fa AS MATERIALIZED (
        -- (a) due between 72 h ago and 24 h ahead (urgency still moving): read through followups_open_due_idx;
        -- 80 x urgency bounds the score (conversion <= 1): only those that can reach tb
        SELECT f.*
        FROM (
            SELECT DISTINCT ON (f0.lead_id)
                f0.lead_id,
                CASE WHEN f0.due_at <= now() THEN 'followup_overdue' ELSE 'followup_due' END AS kind,
                80::float8 AS priority,
                CASE WHEN f0.due_at <= now()
                    THEN 1.5 + 0.5 * least(1, date_part('epoch', now() - f0.due_at) / 3600 / 72)
                    ELSE 1.0 + 0.5 * (1 - date_part('epoch', f0.due_at - now()) / 3600 / 24)
                END AS urgency,
                f0.channel, f0.id AS followup_id
            FROM salesflow.followups AS f0
            WHERE f0.user_id = v_user AND f0.status = 'open'
              AND f0.due_at > now() - interval '72 hours' AND f0.due_at <= now() + interval '24 hours'
            ORDER BY f0.lead_id, f0.due_at
        ) AS f
        WHERE f.priority * f.urgency >= (SELECT tb.t FROM tb)
    ),
    fu AS MATERIALIZED (
        -- their predicted conversions: the user's open leads in one index-only scan of
        -- lead_next_actions_user_pc_idx, hashed (one probe per follow-up cost three times as much);
        -- a lead not there (closed, not contactable, not drained yet) probes view_leads_scored
        SELECT g.*, g.priority * g.urgency * g.pc AS score
        FROM (
            SELECT
                f.lead_id, f.kind, f.priority, f.urgency, f.channel, NULL::bigint AS recommendation_id, f.followup_id,
                coalesce(vn.pc, (
                    SELECT x.predicted_conversion::float8 FROM salesflow.view_leads_scored AS x
                    WHERE x.lead_id = f.lead_id LIMIT 1
                ), 0.5) AS pc
            FROM fa AS f
            LEFT JOIN (
                SELECT v.lead_id, v.predicted_conversion::float8 AS pc
                FROM salesflow.view_next_actions AS v WHERE v.user_id = v_user
            ) AS vn ON f.lead_id = vn.lead_id
        ) AS g
        UNION ALL
        SELECT fb.* FROM fb
    ),
    threshold AS (
        -- the p_limit-th best score (one row per lead) so far, 0 with fewer leads: a recommendation
        -- scores at most effective priority x 1.3 (conversion <= 1), so below it it cannot make the list
        SELECT salesflow.kth_best_lead_score(array_agg(c.lead_id), array_agg(c.score), p_limit) AS t
        FROM (SELECT p.lead_id, p.score FROM pre AS p UNION ALL SELECT f.lead_id, f.score FROM fu AS f) AS c
    ),
    rec_hl (h) AS (
        -- the distinct half-lives of the user's open recommendations (a skip scan: a handful of probes)
        SELECT (
            SELECT min(x.half_life_hours) FROM salesflow.ai_recommendations AS x
            WHERE x.user_id = v_user AND x.status = 'open'
        )
        WHERE (SELECT th.t FROM threshold AS th) < 130
        UNION ALL
        SELECT (
            SELECT min(x.half_life_hours) FROM salesflow.ai_recommendations AS x
            WHERE x.user_id = v_user AND x.status = 'open' AND x.half_life_hours > r.h
        )
        FROM rec_hl AS r
        WHERE r.h IS NOT NULL
    ),
    rc AS (
        -- LIVE: open AI recommendations on the user's leads (not assigned to someone else) and those
        -- assigned to the user on other users' leads (e.g. manager alerts); not read at all when
        -- even base 100 x 1.3 cannot reach the threshold;
        -- ep = effective_priority() in double precision: base * 0.5^(age h / half-life h).
        -- The user's own: per half-life only the rows with ep >= max(5, threshold / 1.3), an index
        -- range on recommendation_rank (ep >= X  <=>  rank >= log2(X) + now in half-lives), not all
        -- of the user's open rows.
        SELECT
            r.lead_id, r.rec_type AS kind, r.ep AS priority, r.urgency, NULL::text AS channel, r.id AS recommendation_id,
            NULL::bigint AS followup_id, coalesce(vs.pc, 0.5) AS pc, r.ep * r.urgency * coalesce(vs.pc, 0.5) AS score
        FROM (
            SELECT
                x.id, x.lead_id, x.rec_type, x.user_id,
                x.base_priority::float8
                * power(0.5::float8, greatest(date_part('epoch', now() - x.created_at), 0) / 3600 / x.half_life_hours::float8) AS ep,
                CASE WHEN x.expires_at < now() + interval '24 hours' THEN 1.3 ELSE 1.0 END AS urgency
            FROM rec_hl AS hl
            -- LATERAL: one index range scan per half-life (a join would read all the user's open rows)
            CROSS JOIN LATERAL (
                SELECT x0.*
                FROM salesflow.ai_recommendations AS x0
                WHERE x0.user_id = v_user AND x0.status = 'open' AND x0.half_life_hours = hl.h
                  AND salesflow.recommendation_rank(x0.base_priority, x0.created_at, x0.half_life_hours)
                  >= ln(greatest((SELECT th.t FROM threshold AS th) / 1.3, 5)) / ln(2.0::float8)
                  + date_part('epoch', now()) / 3600.0 / hl.h::float8 - 1e-9
                ORDER BY salesflow.recommendation_rank(x0.base_priority, x0.created_at, x0.half_life_hours) DESC
            ) AS x
            WHERE hl.h IS NOT NULL
              AND (x.assignee_id IS NULL OR x.assignee_id = v_user)
              AND (x.expires_at IS NULL OR x.expires_at > now())
            UNION ALL
            SELECT
                x.id, x.lead_id, x.rec_type, x.user_id,
                x.base_priority::float8
                * power(0.5::float8, greatest(date_part('epoch', now() - x.created_at), 0) / 3600 / x.half_life_hours::float8),
                CASE WHEN x.expires_at < now() + interval '24 hours' THEN 1.3 ELSE 1.0 END
            FROM salesflow.ai_recommendations AS x
            WHERE x.assignee_id = v_user AND x.user_id <> v_user AND x.status = 'open'
              AND (x.expires_at IS NULL OR x.expires_at > now())
        ) AS r
        LEFT JOIN LATERAL (
            SELECT x.predicted_conversion::float8 AS pc, x.is_open
            FROM salesflow.view_leads_scored AS x WHERE x.lead_id = r.lead_id LIMIT 1
        ) AS vs ON true
        WHERE r.ep >= 5 AND r.ep * r.urgency >= (SELECT th.t FROM threshold AS th)
          AND (r.user_id <> v_user OR vs.is_open OR vs.is_open IS NULL)
    ),
    best AS (
        SELECT DISTINCT ON (c.lead_id) c.*
        FROM (
            SELECT p.* FROM pre AS p
            UNION ALL
            SELECT f.* FROM fu AS f
            UNION ALL
            SELECT r.* FROM rc AS r
        ) AS c
        ORDER BY c.lead_id, c.score DESC, c.priority DESC
    ),
    top AS (
        -- live check on the leads table: a recommendation on the user's lead needs it still open
        SELECT b.*, l.name, l.timezone
        FROM (SELECT b0.* FROM best AS b0 ORDER BY b0.score DESC, b0.urgency DESC, b0.lead_id LIMIT v_k) AS b
        INNER JOIN salesflow.leads AS l ON l.id = b.lead_id
        WHERE (b.recommendation_id IS NULL OR l.user_id <> v_user OR l.stage NOT IN ('won', 'lost'))
          -- live: no outbound suggestion for a restricted lead or one that withdrew consent
          AND salesflow.lead_is_contactable(l)
        ORDER BY b.score DESC, b.urgency DESC, b.lead_id
        LIMIT p_limit
    ),
    ord AS (
        SELECT t0.*, row_number() OVER (ORDER BY t0.score DESC, t0.urgency DESC, t0.lead_id)::integer AS rn
        FROM top AS t0
    ),
    win AS (
        -- channel and time of the returned rows in one pass (plan_action_slots: best_contact_windows
        -- over all of them, each owner's statistics read once; slots planned in rank order)
        SELECT pl.*
        FROM salesflow.plan_action_slots(
            v_user, p_day, p_capacity,
            ARRAY(SELECT o.lead_id FROM ord AS o ORDER BY o.rn),
            ARRAY(SELECT o.kind FROM ord AS o ORDER BY o.rn),
            ARRAY(SELECT o.followup_id FROM ord AS o ORDER BY o.rn),
            ARRAY(SELECT o.channel FROM ord AS o ORDER BY o.rn)
        ) AS pl
    )
    SELECT
        t.lead_id, t.name, t.kind,
        salesflow.next_action_reason(t.kind, v_lang, t.lead_id, t.recommendation_id, t.followup_id),
        round(t.score::numeric, 2), round(t.priority::numeric, 2), round(t.pc::numeric, 3), round(t.urgency::numeric, 3),
        coalesce(w.channel, t.channel),
        w.suggested_time,
        salesflow.disg_tip(w.disg_type, v_lang),
        t.recommendation_id, t.followup_id,
        w.channel_rule, w.time_rule, w.plan_day, t.timezone
    FROM ord AS t
    LEFT JOIN win AS w ON w.ord = t.rn
    ORDER BY t.score DESC, t.urgency DESC, t.lead_id;
END;
$$;
COMMENT ON FUNCTION salesflow.recommend_followup_actions(uuid, integer, date, integer) IS
'Next best actions for a user (user, default the caller; limit 1-200; day, default the next working day; capacity '
'per hour slot, default 4): one row per lead, score = decayed priority x predicted conversion x urgency, with reason, '
'channel and suggested time (planned, plan_action_slots), DISG tip. Lead-derived '
'candidates (hot, ghosted, stalled, BANT gap, profile) are as of the last refresh; follow-ups and recommendations are live.';
