-- ============================================================================
-- consent_history: the consent events of one lead, oldest first (for the DSGVO export)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.consent_history(p_lead_id uuid)
RETURNS TABLE (
    event_id bigint, consent boolean, previous boolean, source text, wording text, changed_by uuid, changed_at timestamptz
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
BEGIN
    RETURN QUERY
    SELECT e.id, e.consent, e.previous, e.source, e.wording, e.changed_by, e.changed_at
    FROM salesflow.consent_events AS e
    WHERE e.lead_id = v_lead.id
    ORDER BY e.changed_at, e.id;
END;
$$;
COMMENT ON FUNCTION salesflow.consent_history(uuid) IS
'Consent history of a lead the caller may see (also restricted ones): consent, previous value, source, wording, who, when; oldest first.';
