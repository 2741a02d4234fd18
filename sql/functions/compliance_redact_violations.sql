-- ============================================================================
-- compliance_redact_violations: violations without snippets and free text (erasure)
-- ============================================================================
-- Keeps per violation only category, severity and rule_key (what was found, how bad, by which
-- rule); drops matched snippets, explanations and suggestions (they may quote the person).
CREATE OR REPLACE FUNCTION salesflow.compliance_redact_violations(p_violations jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_agg(
        jsonb_strip_nulls(jsonb_build_object(
            'category', v.value ->> 'category', 'severity', v.value ->> 'severity', 'rule_key', v.value ->> 'rule_key'
        )) ORDER BY v.ord
    ), '[]'::jsonb)
    FROM jsonb_array_elements(coalesce(p_violations, '[]'::jsonb)) WITH ORDINALITY AS v (value, ord);
$$;
COMMENT ON FUNCTION salesflow.compliance_redact_violations(jsonb) IS
'Internal: the violations array reduced to category, severity and rule_key per item (no snippets, no free text).';
