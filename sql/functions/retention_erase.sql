-- ============================================================================
-- retention_erase: erase one lead for a retention rule (the single erasure call of apply_retention)
-- ============================================================================
-- Through gdpr_erase, like an Art. 17 request: the compliance log and coaching turns are redacted
-- and the erasure is written to the erasure log (re-applied after a backup restore). The rule
-- decided the lead's time is over, so the legal hold is overridden (the rules that keep a lead
-- restrict it instead). Internal: only apply_retention calls it.
CREATE OR REPLACE FUNCTION salesflow.retention_erase(p_lead_id uuid, p_rule text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_rule IS NULL THEN
        RAISE EXCEPTION 'p_rule must name the retention rule' USING ERRCODE = '22023';
    END IF;
    PERFORM salesflow.gdpr_erase(p_lead_id, 'retention rule ' || p_rule, true);
END;
$$;
COMMENT ON FUNCTION salesflow.retention_erase(uuid, text) IS
'Internal: erase one lead for retention rule p_rule through gdpr_erase (redaction, erasure log, reapply).';
