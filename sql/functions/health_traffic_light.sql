-- ============================================================================
-- health_traffic_light: green >= 70, yellow >= 40, red below (NULL stays NULL)
-- ============================================================================
-- No SET search_path on purpose (inlined into view_leads_scored; see lead_health_score.sql).
CREATE OR REPLACE FUNCTION salesflow.health_traffic_light(p_score numeric)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_score IS NULL THEN NULL::text
        WHEN p_score OPERATOR(pg_catalog.>=) 70::numeric THEN 'green'::text
        WHEN p_score OPERATOR(pg_catalog.>=) 40::numeric THEN 'yellow'::text
        ELSE 'red'::text
    END;
$$;
COMMENT ON FUNCTION salesflow.health_traffic_light(numeric) IS
'Traffic light of a 0-100 score: green >= 70, yellow >= 40, else red. Args: score.';
