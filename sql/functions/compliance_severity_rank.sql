-- ============================================================================
-- compliance_severity_rank: order of the LIABILITY-SHIELD severities
-- ============================================================================
-- none 0 < low 1 < medium 2 < high 3 < critical 4; NULL for anything else. Sorts violations
-- in check_compliance and finds the worst one in compliance_verdict.
CREATE OR REPLACE FUNCTION salesflow.compliance_severity_rank(p_severity text)
RETURNS integer
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT array_position(ARRAY['none', 'low', 'medium', 'high', 'critical'], p_severity) - 1;
$$;
COMMENT ON FUNCTION salesflow.compliance_severity_rank(text) IS
'Internal: severity order none 0, low 1, medium 2, high 3, critical 4 (NULL if unknown).';
-- check_compliance (SECURITY INVOKER, callable by the sales roles) calls it
