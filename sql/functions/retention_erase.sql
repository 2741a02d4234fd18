-- ============================================================================
-- retention_erase: erase one lead for a retention rule (the single erasure call of apply_retention)
-- ============================================================================
-- FOR NOW deletes the lead (DELETE FROM salesflow.leads; its activities, follow-ups, assessments,
-- profiles, memory, embeddings, recommendations, consent and restriction events cascade; compliance
-- logs and ai_calls keep their rows with lead_id NULL). AFTER THE MERGE with the export/erasure
-- branch (migration 0110) this must call salesflow.gdpr_erase(p_lead_id, 'retention: ' || p_rule, ...)
-- instead, so retention erasures also redact the compliance log and coaching turns and are written
-- to the erasure log (re-applied after a backup restore). Internal: only apply_retention calls it.
CREATE OR REPLACE FUNCTION salesflow.retention_erase(p_lead_id uuid, p_rule text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_rule IS NULL THEN
        RAISE EXCEPTION 'p_rule must name the retention rule' USING ERRCODE = '22023';
    END IF;
    DELETE FROM salesflow.leads AS l WHERE l.id = p_lead_id;
END;
$$;
COMMENT ON FUNCTION salesflow.retention_erase(uuid, text) IS
'Internal: erase one lead for retention rule p_rule. For now DELETE FROM leads (children cascade); '
'after the merge it must call salesflow.gdpr_erase(p_lead_id, reason, ...) (erasure log, log redaction).';
