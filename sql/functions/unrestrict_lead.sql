-- ============================================================================
-- unrestrict_lead: lift the restriction of a lead, logged (admins only)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.unrestrict_lead(p_lead_id uuid, p_reason text DEFAULT NULL)
RETURNS TABLE (lead_id uuid, restricted_at timestamptz, restricted_until timestamptz, restriction_reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads;
BEGIN
    PERFORM salesflow.require_admin('unrestrict_lead');
    v_lead := salesflow.lead_for_caller(p_lead_id);
    IF length(p_reason) > 500 THEN
        RAISE EXCEPTION 'p_reason is % characters long (at most 500)', length(p_reason)
            USING ERRCODE = '22023', HINT = 'Say briefly why the restriction ends.';
    END IF;
    IF salesflow.lead_is_processable(v_lead) THEN
        RAISE EXCEPTION 'lead % is not restricted', v_lead.id
            USING ERRCODE = '22023', HINT = 'Nothing to lift; restricted leads: SELECT id FROM salesflow.leads WHERE restricted_at IS NOT NULL.';
    END IF;
    UPDATE salesflow.leads AS l
    SET restricted_at = NULL, restricted_until = NULL, restriction_reason = NULL, restricted_by = NULL
    WHERE l.id = v_lead.id;
    INSERT INTO salesflow.restriction_events (lead_id, action, reason, acted_by)
    VALUES (v_lead.id, 'unrestrict', nullif(btrim(p_reason), ''), salesflow.current_user_id());
    RETURN QUERY
    SELECT l.id, l.restricted_at, l.restricted_until, l.restriction_reason FROM salesflow.leads AS l WHERE l.id = v_lead.id;
END;
$$;
COMMENT ON FUNCTION salesflow.unrestrict_lead(uuid, text) IS
'Lift the GDPR Art. 18 restriction of a lead (optional reason); admins only (42501), 22023 when it is not restricted. Logged.';
