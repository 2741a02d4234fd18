-- ============================================================================
-- get_best_contact_window: when (weekday x hour, lead's local time) and how to reach a lead
-- ============================================================================
-- Evidence (contact_window_sends): the lead's latest 500 activities (index
-- lead_activities_lead_idx, never other leads). Every outbound message counts as "sent" in the bucket (weekday, hour) of its local
-- send time, weighted 0.5^(age_days / 90); it counts as "replied" when the lead's next inbound
-- message comes within 24 h and before the next outbound one.
-- Shrinkage (m = 10 pseudo-observations, global prior g = 0.30):
--   user prior for the bucket p0 = (R_ub + m*g) / (N_ub + m) from channel_performance_metrics
--     (sent/replied of the lead owner in that bucket, all channels); without a row for the
--     bucket the owner's overall rate (R_u + m*g) / (N_u + m);
--   lead probability p = (r + m*p0) / (n + m), confidence = n + m (n = weighted sends).
-- Quiet hours: only Monday-Saturday, 08:00-19:59 local (weekday 0 = Sunday as extract(dow)).
-- Ties prefer Tue-Thu 08 and 16 h. No history for lead and owner: those six buckets with
-- p = g, confidence = m, basis 'fallback'. basis per row: 'lead' (the lead has sends in the
-- bucket), 'user' (only the owner's statistics inform it), 'global' (only g), or 'fallback'.
-- channel: the one with the best shrunk reply rate for the lead (toward the owner's channel
-- rate); without any history email when the lead has an email but no phone, else whatsapp.
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
AS $$
#variable_conflict use_column
DECLARE
    c_m constant numeric := 10;
    c_global constant numeric := 0.30;
    v_lead salesflow.leads;
    v_sent_lead numeric;
    v_sent_user numeric;
    v_replied_user numeric;
    v_user_rate numeric;
    v_channel text;
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 72 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 72, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'There are 72 allowed windows (Mon-Sat, 8-20 h); ask for the top 3 or so.';
    END IF;
    v_lead := salesflow.lead_for_caller(p_lead_id);

    -- one pass for the totals and the best channel: lead rate per channel shrunk toward the
    -- owner's channel rate (itself shrunk toward g)
    WITH sends AS MATERIALIZED (
        SELECT s.channel, s.w, s.replied FROM salesflow.contact_window_sends(v_lead.id, v_lead.timezone) AS s
    ),
    um AS MATERIALIZED (
        SELECT cpm.channel, sum(cpm.sent)::numeric AS sent, sum(cpm.replied)::numeric AS replied
        FROM salesflow.channel_performance_metrics AS cpm
        WHERE cpm.user_id = v_lead.user_id
        GROUP BY cpm.channel
    ),
    tot AS (
        SELECT
            (SELECT coalesce(sum(sends.w), 0) FROM sends) AS n_lead,
            (SELECT coalesce(sum(um.sent), 0) FROM um) AS n_user,
            (SELECT coalesce(sum(um.replied), 0) FROM um) AS r_user
    )
    SELECT
        tot.n_lead, tot.n_user, tot.r_user,
        (
            SELECT ch.channel
            FROM (
                SELECT coalesce(l.channel, u.channel) AS channel,
                    (coalesce(l.r, 0) + c_m * coalesce((u.replied + c_m * c_global) / (u.sent + c_m),
                                                      (tot.r_user + c_m * c_global) / (tot.n_user + c_m)))
                    / (coalesce(l.n, 0) + c_m) AS p,
                    coalesce(l.n, 0) + coalesce(u.sent, 0) AS evidence
                FROM (
                    SELECT sends.channel, sum(sends.w) AS n, sum(sends.w) FILTER (WHERE sends.replied) AS r
                    FROM sends GROUP BY sends.channel
                ) AS l
                FULL JOIN (SELECT um.channel, um.sent, um.replied FROM um WHERE um.sent > 0) AS u ON u.channel = l.channel
            ) AS ch
            ORDER BY ch.p DESC, ch.evidence DESC, ch.channel
            LIMIT 1
        )
    INTO v_sent_lead, v_sent_user, v_replied_user, v_channel
    FROM tot;
    v_user_rate := (v_replied_user + c_m * c_global) / (v_sent_user + c_m);
    v_channel := coalesce(v_channel, CASE WHEN v_lead.phone IS NULL AND v_lead.email IS NOT NULL THEN 'email' ELSE 'whatsapp' END);

    IF v_sent_lead = 0 AND v_sent_user = 0 THEN
        RETURN QUERY
        SELECT f.wd, f.hr, v_channel, c_global, c_m,
            salesflow.weekday_label(f.wd, v_lead.language) || ' ' || lpad(f.hr::text, 2, '0') || ':00',
            'fallback'::text
        FROM (VALUES (2, 8, 1), (2, 16, 2), (3, 8, 3), (3, 16, 4), (4, 8, 5), (4, 16, 6)) AS f (wd, hr, ord)
        ORDER BY f.ord
        LIMIT p_limit;
        RETURN;
    END IF;

    RETURN QUERY
    WITH buckets AS (
        SELECT d.wd, h.hr
        FROM generate_series(1, 6) AS d (wd)
        CROSS JOIN generate_series(8, 19) AS h (hr)
    ),
    lead_b AS (
        SELECT s.wd, s.hr, sum(s.w) AS n, coalesce(sum(s.w) FILTER (WHERE s.replied), 0) AS r
        FROM salesflow.contact_window_sends(v_lead.id, v_lead.timezone) AS s GROUP BY s.wd, s.hr
    ),
    user_b AS (
        SELECT cpm.weekday::integer AS wd, cpm.hour::integer AS hr, sum(cpm.sent)::numeric AS sent, sum(cpm.replied)::numeric AS replied
        FROM salesflow.channel_performance_metrics AS cpm
        WHERE cpm.user_id = v_lead.user_id
        GROUP BY cpm.weekday, cpm.hour
    ),
    scored AS (
        SELECT
            b.wd, b.hr,
            coalesce(lb.n, 0) AS n,
            (coalesce(lb.r, 0) + c_m * coalesce((ub.replied + c_m * c_global) / (ub.sent + c_m), v_user_rate))
            / (coalesce(lb.n, 0) + c_m) AS p,
            CASE WHEN lb.n > 0 THEN 'lead' WHEN v_sent_user > 0 THEN 'user' ELSE 'global' END AS basis,
            CASE WHEN b.wd BETWEEN 2 AND 4 AND b.hr IN (8, 16) THEN 0 ELSE 1 END AS pref
        FROM buckets AS b
        LEFT JOIN lead_b AS lb ON lb.wd = b.wd AND lb.hr = b.hr
        LEFT JOIN user_b AS ub ON ub.wd = b.wd AND ub.hr = b.hr
    )
    SELECT sc.wd, sc.hr, v_channel, round(sc.p, 4), round(sc.n + c_m, 2),
        salesflow.weekday_label(sc.wd, v_lead.language) || ' ' || lpad(sc.hr::text, 2, '0') || ':00',
        sc.basis
    FROM scored AS sc
    ORDER BY round(sc.p, 6) DESC, sc.n DESC, sc.pref, sc.wd, sc.hr
    LIMIT p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.get_best_contact_window(uuid, integer) IS
'Best contact windows for a lead (lead, limit 1-72): weekday (0 = Sunday), local hour, channel, reply probability '
'(Bayesian shrinkage toward owner and global rates), confidence n + m, label, basis lead/user/global/fallback.';
