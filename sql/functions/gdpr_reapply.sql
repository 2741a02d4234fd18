-- ============================================================================
-- gdpr_reapply: erase again, after a restore from backup, every lead erased before
-- ============================================================================
-- The references are the erase rows of gdpr_log plus p_lead_refs (the log kept outside the
-- database, e.g. `salesflow gdpr reapply --refs FILE`, for a backup older than the erasure).
-- A lead whose gdpr_lead_ref matches is erased again with gdpr_erase (action 'reapply';
-- legal holds are overridden: the erasure was decided already). Admin only. One row per
-- reference: whether a lead was found and erased, and the counts.
CREATE OR REPLACE FUNCTION salesflow.gdpr_reapply(p_lead_refs text[] DEFAULT NULL)
RETURNS TABLE (lead_ref text, erased boolean, counts jsonb)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_refs text[];
    v_bad text;
    v_result jsonb;
    r record;
BEGIN
    PERFORM salesflow.require_admin('gdpr_reapply');
    SELECT t INTO v_bad FROM unnest(coalesce(p_lead_refs, '{}'::text[])) AS t WHERE t IS NULL OR t !~ '^[0-9a-f]{64}$' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'p_lead_refs: % is not a lead reference (64 lower-case hex digits)', coalesce(quote_literal(v_bad), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the lead_ref values of the erasure log (salesflow gdpr erase prints them).';
    END IF;
    SELECT array_agg(DISTINCT x.ref ORDER BY x.ref) INTO v_refs
    FROM (
        SELECT g.lead_ref AS ref FROM salesflow.gdpr_log AS g WHERE g.action IN ('erase', 'reapply')
        UNION
        SELECT unnest(coalesce(p_lead_refs, '{}'::text[]))
    ) AS x;
    FOR r IN
        WITH m AS MATERIALIZED (SELECT l.id, salesflow.gdpr_lead_ref(l.id) AS ref FROM salesflow.leads AS l)
        SELECT x.ref, m.id
        FROM unnest(coalesce(v_refs, '{}'::text[])) AS x (ref)
        LEFT JOIN m ON x.ref = m.ref
        ORDER BY x.ref
    LOOP
        lead_ref := r.ref;
        IF r.id IS NULL THEN
            erased := false;
            counts := '{}'::jsonb;
        ELSE
            v_result := salesflow.gdpr_erase(r.id, 'reapplied after a restore (salesflow gdpr reapply)', true, 'reapply');
            erased := true;
            counts := v_result -> 'counts';
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_reapply(text[]) IS
'After a restore from backup (admin only): erases again every lead whose gdpr_lead_ref is in the erasure log or p_lead_refs; '
'one row per reference (lead_ref, erased, counts).';
