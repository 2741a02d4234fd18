-- ============================================================================
-- restrict_lead: restrict processing of a lead (GDPR Art. 18), logged
-- ============================================================================
-- Sets restricted_at (kept on a re-restriction), restricted_until (p_until, default the end of the
-- legal keeping period, legal_keep_until(); NULL when none applies: open-ended), the reason and who,
-- and logs it in restriction_events. From then on the lead is excluded from scoring,
-- recommendations, AI calls, search, import updates and the normal exports (lead_is_processable).
-- Admins only (require_admin; cron and the CLI as the owner): managers and reps get 42501 — a
-- restriction takes the lead out of the team's pipeline and is decided like an erasure.
CREATE OR REPLACE FUNCTION salesflow.restrict_lead(p_lead_id uuid, p_reason text, p_until timestamptz DEFAULT NULL)
RETURNS TABLE (lead_id uuid, restricted_at timestamptz, restricted_until timestamptz, restriction_reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads;
    v_until timestamptz;
BEGIN
    PERFORM salesflow.require_admin('restrict_lead');
    v_lead := salesflow.lead_for_caller(p_lead_id);
    IF p_reason IS NULL OR btrim(p_reason) = '' OR length(p_reason) > 500 THEN
        RAISE EXCEPTION 'p_reason must be 1-500 characters, got %', coalesce(quote_literal(left(p_reason, 40)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Say why, without personal data, e.g. ''Art. 18 request 2026-12-01'' or ''§257 HGB''.';
    END IF;
    IF p_until IS NOT NULL AND (p_until <= now() OR p_until > now() + interval '30 years') THEN
        RAISE EXCEPTION 'p_until must lie in the future and at most 30 years ahead, got %', p_until
            USING ERRCODE = '22023', HINT = 'Pass the end of the legal keeping period, or NULL for the one the retention rules give.';
    END IF;
    v_until := coalesce(p_until, salesflow.legal_keep_until(v_lead));
    IF v_until <= now() THEN
        v_until := NULL;  -- the legal period is over already: open-ended until an admin decides
    END IF;
    UPDATE salesflow.leads AS l
    SET restricted_at = coalesce(l.restricted_at, now()), restricted_until = v_until,
        restriction_reason = btrim(p_reason), restricted_by = salesflow.current_user_id()
    WHERE l.id = v_lead.id;
    INSERT INTO salesflow.restriction_events (lead_id, action, reason, restricted_until, acted_by)
    VALUES (v_lead.id, 'restrict', btrim(p_reason), v_until, salesflow.current_user_id());
    RETURN QUERY
    SELECT l.id, l.restricted_at, l.restricted_until, l.restriction_reason FROM salesflow.leads AS l WHERE l.id = v_lead.id;
END;
$$;
COMMENT ON FUNCTION salesflow.restrict_lead(uuid, text, timestamptz) IS
'GDPR Art. 18: restrict processing of a lead (reason 1-500 characters, until: future, default the legal keeping period); '
'admins only (42501). Logged in restriction_events. Returns the restriction.';
