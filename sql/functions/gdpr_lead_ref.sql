-- ============================================================================
-- gdpr_lead_ref: the keyed, non-reversible reference of a lead in the erasure log
-- ============================================================================
-- hex sha256(secret || 'salesflow-gdpr-lead:' || lead id) with the per-database secret of
-- salesflow.gdpr_secret (owner only). Without the secret nobody can compute it from a lead id
-- or test a guess; with it (the owner, after a restore) it finds the erased lead again.
CREATE OR REPLACE FUNCTION salesflow.gdpr_lead_ref(p_lead_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
STRICT
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_secret bytea;
BEGIN
    SELECT s.secret INTO v_secret FROM salesflow.gdpr_secret AS s;
    IF v_secret IS NULL THEN
        RAISE EXCEPTION 'salesflow.gdpr_secret is empty: erasure references cannot be computed'
            USING ERRCODE = '55000', HINT = 'Restore the row from the backup the erasure log belongs to (a new secret matches no earlier erasure).';
    END IF;
    RETURN encode(sha256(v_secret || convert_to('salesflow-gdpr-lead:' || p_lead_id::text, 'UTF8')), 'hex');
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_lead_ref(uuid) IS
'Internal: keyed sha256 of a lead id with the per-database secret (gdpr_log.lead_ref; gdpr_reapply matches it).';
