-- ============================================================================
-- next_local_occurrence: the next moment at weekday/hour local time, from p_from on
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.next_local_occurrence(p_weekday integer, p_hour integer, p_timezone text, p_from timestamptz)
RETURNS timestamptz
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE WHEN c.t > p_from THEN c.t ELSE (c.local_t + interval '7 days') AT TIME ZONE p_timezone END
    FROM (
        SELECT x.local_t, x.local_t AT TIME ZONE p_timezone AS t
        FROM (
            SELECT date_trunc('day', p_from AT TIME ZONE p_timezone)
                + make_interval(days => (p_weekday - extract(DOW FROM p_from AT TIME ZONE p_timezone)::integer + 7) % 7,
                                hours => p_hour) AS local_t
        ) AS x
    ) AS c;
$$;
COMMENT ON FUNCTION salesflow.next_local_occurrence(integer, integer, text, timestamptz) IS
'Internal: the first time after p_from that is weekday p_weekday (0 = Sunday), p_hour:00 in time zone p_timezone.';
