-- ============================================================================
-- contact_window_sends: a lead's outbound messages as contact-window evidence
-- ============================================================================
-- The lead's latest 500 activities (not notes) through lead_activities_lead_idx. Each
-- outbound row: local weekday (0 = Sunday) and hour in p_timezone, channel, weight
-- 0.5^(age_days / 90), and replied = the next inbound comes within 24 h and before the next
-- outbound.
-- No SET search_path on purpose, like best_contact_windows: a LANGUAGE sql STABLE function
-- without SET clauses is inlined into its caller's LATERAL join (a function call per lead cost
-- ~0.2 ms each); every object is schema-qualified. The weight is computed in double precision
-- (numeric power() cost ~7 us a row).
CREATE OR REPLACE FUNCTION salesflow.contact_window_sends(p_lead_id uuid, p_timezone text)
RETURNS TABLE (wd integer, hr integer, channel text, w numeric, replied boolean)
LANGUAGE sql
STABLE
AS $$
    SELECT
        extract(DOW FROM s.occurred_at AT TIME ZONE p_timezone)::integer,
        extract(HOUR FROM s.occurred_at AT TIME ZONE p_timezone)::integer,
        s.channel,
        power(0.5::float8, greatest(date_part('epoch', now() - s.occurred_at), 0) / 86400.0 / 90)::numeric,
        coalesce(s.next_in <= s.occurred_at + interval '24 hours' AND (s.next_out IS NULL OR s.next_in <= s.next_out), false)
    FROM (
        SELECT
            a.occurred_at,
            a.direction,
            a.channel,
            min(a.occurred_at) FILTER (WHERE a.direction = 'in') OVER w AS next_in,
            min(a.occurred_at) FILTER (WHERE a.direction = 'out') OVER w AS next_out
        FROM (
            SELECT x.occurred_at, x.direction, x.channel
            FROM salesflow.lead_activities AS x
            WHERE x.lead_id = p_lead_id AND x.kind <> 'note'
            ORDER BY x.occurred_at DESC
            LIMIT 500
        ) AS a
        WINDOW w AS (ORDER BY a.occurred_at ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ) AS s
    WHERE s.direction = 'out';
$$;
COMMENT ON FUNCTION salesflow.contact_window_sends(uuid, text) IS
'Internal: the lead''s outbound messages as contact-window evidence (local weekday, hour, channel, decay weight, replied within 24 h).';
