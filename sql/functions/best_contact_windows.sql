-- requires: contact_window_sends, contact_channel, blend_lead_disg
-- ============================================================================
-- best_contact_windows: the best contact windows of a set of leads (the formula, once)
-- ============================================================================
-- The one computation behind get_best_contact_window (one lead) and recommend_followup_actions
-- (the returned rows, in one pass). Per lead, its top p_limit rows (rank 1 = best):
-- Evidence (contact_window_sends): the lead's latest 500 activities. Every outbound message counts
-- as "sent" in the bucket (weekday, hour) of its local send time, weighted 0.5^(age_days / 90); it
-- counts as "replied" when the lead's next inbound message comes within 24 h and before the next
-- outbound one.
-- Shrinkage (m = 10 pseudo-observations, global prior g = 0.30; written once, in CTE prior):
--   user prior for the bucket p0 = (R_ub + m*g) / (N_ub + m) from channel_performance_metrics
--     (sent/replied of the lead owner in that bucket, all channels); without a row for the
--     bucket the owner's overall rate (R_u + m*g) / (N_u + m);
--   lead probability p = (r + m*p0) / (n + m), confidence = n + m (n = weighted sends).
-- Quiet hours: only Monday-Saturday, 08:00-19:59 local (weekday 0 = Sunday as extract(dow)).
-- Order: round(p, 6) desc, n desc, Tue-Thu 08 and 16 h first, weekday, hour. No history for lead
-- and owner: Tue-Thu 8 and 16 h with p = g, confidence = m, basis 'fallback'. basis per row:
-- 'lead' (the lead has sends in the bucket), 'user' (only the owner's statistics inform it),
-- 'global' (only g), or 'fallback'.
-- channel and channel_rule (the same on every row of a lead): contact_channel(), the one channel
-- rule (its header): p_planned[i] (a follow-up's channel, aligned with p_lead_ids) first, then the
-- learned channel (best shrunk reply rate for the lead toward the owner's channel rate) when the
-- lead has >= 3 weighted sends on it, the DISG preference, the last inbound channel, the owner's
-- history, a default. disg_type: the lead's blended primary DISG type (blend_lead_disg), NULL unprofiled.
-- Cost: each lead's sends read once (contact_window_sends), each owner's statistics read once for
-- all its leads (primary key of channel_performance_metrics), one sort of all the leads' 72 rows.
-- No SET search_path on purpose: a LANGUAGE sql STABLE function without SET clauses is inlined into
-- the calling query (get_best_contact_window plans it once per session with its own statement; a
-- separate function call with a custom plan per call cost ~3 ms of planning, three times the
-- run time). Only pg_catalog built-ins and schema-qualified salesflow objects are used, and the
-- callers pin search_path. Internal (no grant): no access check, the callers check the caller may
-- see the leads.
-- Before issue 12 it had no p_planned and no channel_rule/disg_type columns: the old signature goes.
DROP FUNCTION IF EXISTS salesflow.best_contact_windows(uuid[], integer);
CREATE OR REPLACE FUNCTION salesflow.best_contact_windows(p_lead_ids uuid[], p_limit integer, p_planned text[] DEFAULT NULL)
RETURNS TABLE (
    lead_id uuid,
    window_rank integer,
    weekday integer,
    hour integer,
    channel text,
    probability numeric,
    confidence numeric,
    basis text,
    channel_rule text,
    disg_type text
)
LANGUAGE sql
STABLE
AS $$
    WITH prior AS (
        SELECT
            10::numeric AS m,
            0.30::numeric AS g
    ),

    ld AS MATERIALIZED (
        SELECT
            l.id,
            l.user_id,
            l.timezone,
            l.phone,
            l.email,
            l.language,
            p_planned[array_position(p_lead_ids, l.id)] AS planned,
            (SELECT dg.primary_type FROM salesflow.blend_lead_disg(l.id) AS dg) AS disg_type,
            (
                SELECT a.channel FROM salesflow.lead_activities AS a
                WHERE a.lead_id = l.id AND a.direction = 'in' AND a.kind <> 'note'
                ORDER BY a.occurred_at DESC
                LIMIT 1
            ) AS last_inbound
        FROM salesflow.leads AS l
        WHERE l.id = ANY(p_lead_ids)
    ),

    sends AS MATERIALIZED (
        SELECT
            ld.id AS lead_id,
            s.wd,
            s.hr,
            s.channel,
            s.w,
            s.replied
        FROM ld
        CROSS JOIN LATERAL salesflow.contact_window_sends(ld.id, ld.timezone) AS s
    ),

    owner_cpm AS MATERIALIZED (
        -- each owner's rows once, through the primary key (user_id first): OFFSET 0 keeps the
        -- LATERAL an index probe per owner (flattened, a generic plan hash-joins the whole table)
        SELECT
            u.user_id,
            cpm.channel,
            cpm.weekday::integer AS wd,
            cpm.hour::integer AS hr,
            cpm.sent,
            cpm.replied
        FROM (SELECT DISTINCT ld.user_id FROM ld) AS u
        CROSS JOIN LATERAL (
            SELECT
                c.channel,
                c.weekday,
                c.hour,
                c.sent,
                c.replied
            FROM salesflow.channel_performance_metrics AS c
            WHERE c.user_id = u.user_id
            OFFSET 0
        ) AS cpm
    ),

    owner_channel AS MATERIALIZED (
        SELECT
            o.user_id,
            o.channel,
            sum(o.sent)::numeric AS sent,
            sum(o.replied)::numeric AS replied
        FROM owner_cpm AS o
        GROUP BY o.user_id, o.channel
        HAVING sum(o.sent) > 0
    ),

    owner_bucket AS (
        -- the bucket prior p0 of each owner's bucket with sends, computed once per owner, not per lead
        SELECT
            o.user_id,
            o.wd,
            o.hr,
            (sum(o.replied)::numeric + pr.m * pr.g) / (sum(o.sent)::numeric + pr.m) AS p0
        FROM owner_cpm AS o
        CROSS JOIN prior AS pr
        GROUP BY o.user_id, o.wd, o.hr, pr.m, pr.g
    ),

    lead_bucket AS (
        SELECT
            s.lead_id,
            s.wd,
            s.hr,
            sum(s.w) AS n,
            coalesce(sum(s.w) FILTER (WHERE s.replied), 0) AS r
        FROM sends AS s
        GROUP BY s.lead_id, s.wd, s.hr
    ),

    lead_rate AS MATERIALIZED (
        SELECT
            ld.id AS lead_id,
            ld.user_id,
            ld.phone,
            ld.email,
            ld.language,
            ld.planned,
            ld.disg_type,
            ld.last_inbound,
            coalesce((SELECT sum(s.w) FROM sends AS s WHERE s.lead_id = ld.id), 0) AS n_lead,
            coalesce(ot.n_user, 0) AS n_user,
            (coalesce(ot.r_user, 0) + pr.m * pr.g) / (coalesce(ot.n_user, 0) + pr.m) AS user_rate
        FROM ld
        CROSS JOIN prior AS pr
        -- the owner's totals (channels without sends have no replies either: CHECK replied <= sent)
        CROSS JOIN LATERAL (
            SELECT
                sum(oc.sent) AS n_user,
                sum(oc.replied) AS r_user
            FROM owner_channel AS oc
            WHERE oc.user_id = ld.user_id
        ) AS ot
    ),

    lead_tot AS MATERIALIZED (
        -- channel: the lead's rate per channel shrunk toward the owner's channel rate (itself
        -- shrunk toward g), once per lead
        SELECT
            lt.*,
            cc.channel,
            cc.channel_rule
        FROM lead_rate AS lt
        CROSS JOIN prior AS pr
        LEFT JOIN LATERAL (
            SELECT
                ch.channel,
                ch.lead_n
            FROM (
                SELECT
                    coalesce(l2.channel, u2.channel) AS channel,
                    (
                        coalesce(l2.r, 0)
                        + pr.m * coalesce((u2.replied + pr.m * pr.g) / (u2.sent + pr.m), lt.user_rate)
                    ) / (coalesce(l2.n, 0) + pr.m) AS p,
                    coalesce(l2.n, 0) AS lead_n,
                    coalesce(l2.n, 0) + coalesce(u2.sent, 0) AS evidence
                FROM (
                    SELECT
                        s.channel,
                        sum(s.w) AS n,
                        sum(s.w) FILTER (WHERE s.replied) AS r
                    FROM sends AS s
                    WHERE s.lead_id = lt.lead_id
                    GROUP BY s.channel
                ) AS l2
                FULL JOIN (
                    SELECT
                        oc.channel,
                        oc.sent,
                        oc.replied
                    FROM owner_channel AS oc
                    WHERE oc.user_id = lt.user_id
                ) AS u2 ON l2.channel = u2.channel
            ) AS ch
            ORDER BY ch.p DESC, ch.evidence DESC, ch.channel ASC
            LIMIT 1
        ) AS lc ON true
        CROSS JOIN LATERAL salesflow.contact_channel(
            lt.planned, lc.channel, lc.lead_n, lt.disg_type, lt.language, lt.phone, lt.email, lt.last_inbound
        ) AS cc
    ),

    scored AS (
        -- the 72 allowed buckets of each lead with history (its own or its owner's) ...
        SELECT
            lt.lead_id,
            b.wd,
            h.hr,
            coalesce(lb.n, 0) AS n,
            -- without sends of the lead in the bucket p = (0 + m * p0) / (0 + m) = p0
            CASE
                WHEN lb.n IS NULL THEN coalesce(ub.p0, lt.user_rate)
                ELSE (lb.r + pr.m * coalesce(ub.p0, lt.user_rate)) / (lb.n + pr.m)
            END AS p,
            CASE WHEN lb.n > 0 THEN 'lead' WHEN lt.n_user > 0 THEN 'user' ELSE 'global' END AS basis
        FROM lead_tot AS lt
        CROSS JOIN prior AS pr
        CROSS JOIN generate_series(1, 6) AS b (wd)
        CROSS JOIN generate_series(8, 19) AS h (hr)
        LEFT JOIN lead_bucket AS lb ON lt.lead_id = lb.lead_id AND b.wd = lb.wd AND h.hr = lb.hr
        LEFT JOIN owner_bucket AS ub ON lt.user_id = ub.user_id AND b.wd = ub.wd AND h.hr = ub.hr
        WHERE lt.n_lead > 0 OR lt.n_user > 0
        UNION ALL
        -- ... and the fallback of a lead without any
        SELECT
            lt.lead_id,
            f.wd,
            f.hr,
            0 AS n,
            pr.g AS p,
            'fallback' AS basis
        FROM lead_tot AS lt
        CROSS JOIN prior AS pr
        CROSS JOIN (VALUES (2, 8), (2, 16), (3, 8), (3, 16), (4, 8), (4, 16)) AS f (wd, hr)
        WHERE lt.n_lead = 0 AND lt.n_user = 0
    ),

    ranked AS (
        -- every lead's rows ranked in one sort (a top-N sort per lead in a LATERAL rebuilt the
        -- bucket joins once per lead)
        SELECT
            sc.lead_id,
            sc.wd,
            sc.hr,
            sc.n,
            sc.p,
            sc.basis,
            row_number() OVER (
                PARTITION BY sc.lead_id
                ORDER BY
                    round(sc.p, 6) DESC, sc.n DESC,
                    CASE WHEN sc.wd BETWEEN 2 AND 4 AND sc.hr IN (8, 16) THEN 0 ELSE 1 END ASC,
                    sc.wd ASC, sc.hr ASC
            )::integer AS window_rank
        FROM scored AS sc
    )

    SELECT
        lt.lead_id,
        w.window_rank,
        w.wd AS weekday,
        w.hr AS hour,
        lt.channel,
        CASE WHEN w.basis = 'fallback' THEN w.p ELSE round(w.p, 4) END AS probability,
        CASE WHEN w.basis = 'fallback' THEN pr.m ELSE round(w.n + pr.m, 2) END AS confidence,
        w.basis,
        lt.channel_rule,
        lt.disg_type
    FROM ranked AS w
    INNER JOIN lead_tot AS lt ON w.lead_id = lt.lead_id
    CROSS JOIN prior AS pr
    WHERE w.window_rank <= p_limit
    ORDER BY lt.lead_id, w.window_rank;
$$;
COMMENT ON FUNCTION salesflow.best_contact_windows(uuid[], integer, text[]) IS
'Internal: the top p_limit contact windows of each lead in p_lead_ids (weekday, local hour, channel and rule by '
'contact_channel, shrunk reply probability, confidence n + m, basis, DISG type): the formula of '
'get_best_contact_window, recommend_followup_actions and get_lead_intelligence, once. No access check.';
