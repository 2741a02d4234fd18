-- ============================================================================
-- compliance_verdict: max severity and decision of a list of violations (THE decision rule)
-- ============================================================================
-- The one definition of severity -> decision: any critical -> blocked, any high -> flagged,
-- else allowed (medium and low are warnings); max_severity 'none' for an empty list.
-- check_compliance and log_ai_output_compliance (rules, consent rule and LLM findings merged)
-- both decide through it; the CLI shows what they return and decides nothing itself.
-- requires: compliance_severity_rank
CREATE OR REPLACE FUNCTION salesflow.compliance_verdict(p_violations jsonb, OUT max_severity text, OUT decision text)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT
        coalesce(w.severity, 'none'),
        CASE w.severity WHEN 'critical' THEN 'blocked' WHEN 'high' THEN 'flagged' ELSE 'allowed' END
    FROM (
        SELECT (
            SELECT v.value ->> 'severity'
            FROM jsonb_array_elements(coalesce(p_violations, '[]'::jsonb)) AS v (value)
            ORDER BY salesflow.compliance_severity_rank(v.value ->> 'severity') DESC NULLS LAST
            LIMIT 1
        ) AS severity
    ) AS w;
$$;
COMMENT ON FUNCTION salesflow.compliance_verdict(jsonb) IS
'LIABILITY-SHIELD decision rule: (max_severity, decision) of a violations array; critical -> blocked, high -> flagged, else allowed.';
-- check_compliance (SECURITY INVOKER, callable by the sales roles) calls it
