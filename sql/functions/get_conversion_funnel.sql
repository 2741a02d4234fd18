-- ============================================================================
-- get_conversion_funnel: the five funnel steps for the users the caller may see
-- ============================================================================
-- Adds up view_conversion_microsteps over the visible users (rep: own, manager: team, admin and
-- the owner without identity: all) or over p_user_id alone (must be visible, else 42501).
-- median_days over several users is the average of their medians weighted by converted leads
-- (exact for one user). Every step is returned, with zeros when nobody reached it.
CREATE OR REPLACE FUNCTION salesflow.get_conversion_funnel(p_user_id uuid DEFAULT NULL)
RETURNS TABLE (
    step_no integer,
    from_stage text,
    to_stage text,
    reached bigint,
    converted bigint,
    conversion_rate numeric,
    median_days numeric
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_users uuid [];
BEGIN
    v_users := salesflow.caller_user_ids(p_user_id);

    RETURN QUERY
    WITH steps (step_no, from_stage, to_stage) AS (
        VALUES (1, 'new', 'contacted'), (2, 'contacted', 'replied'), (3, 'replied', 'meeting'),
        (4, 'meeting', 'proposal'), (5, 'proposal', 'won')
    ),
    agg AS (
        SELECT
            m.step_no,
            sum(m.reached)::bigint AS reached,
            sum(m.converted)::bigint AS converted,
            sum(m.median_days * m.converted) FILTER (WHERE m.median_days IS NOT NULL)
            / nullif(sum(m.converted) FILTER (WHERE m.median_days IS NOT NULL), 0) AS median_days
        FROM salesflow.view_conversion_microsteps AS m
        WHERE v_users IS NULL OR m.user_id = ANY(v_users)
        GROUP BY m.step_no
    )
    SELECT
        s.step_no,
        s.from_stage,
        s.to_stage,
        coalesce(a.reached, 0),
        coalesce(a.converted, 0),
        coalesce(round(a.converted::numeric / nullif(a.reached, 0), 4), 0),
        round(a.median_days, 2)
    FROM steps AS s
    LEFT JOIN agg AS a ON s.step_no = a.step_no
    ORDER BY s.step_no;
END;
$$;
COMMENT ON FUNCTION salesflow.get_conversion_funnel(uuid) IS
'Funnel steps new->contacted->replied->meeting->proposal->won (reached, converted, rate, median days) for the visible users or one user. Args: user_id.';
