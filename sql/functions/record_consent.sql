-- ============================================================================
-- record_consent: record that a lead gave or withdrew consent (source, wording), for the CLI
-- ============================================================================
-- Changes leads.consent (the trigger leads_consent_history writes the history row with this
-- source and wording); when the value does not change (a re-confirmation, or a withdrawal of a
-- consent that was never given) the history row is written here. Withdrawing sets
-- consent_withdrawn_at (no outbound suggestions from now on); giving consent clears it.
-- Anyone who may see the lead (rep: own); allowed on restricted leads too (withdrawal must
-- always work). Giving consent needs the wording consented to (GDPR Art. 7(1): demonstrable).
CREATE OR REPLACE FUNCTION salesflow.record_consent(
    p_lead_id uuid, p_consent boolean, p_source text DEFAULT 'cli', p_wording text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
    v_id bigint;
BEGIN
    IF p_consent IS NULL THEN
        RAISE EXCEPTION 'p_consent must be true (given) or false (withdrawn), got NULL'
            USING ERRCODE = '22023', HINT = 'salesflow gdpr consent LEAD --given | --withdrawn';
    END IF;
    IF p_source IS NULL OR p_source NOT IN ('sql', 'cli', 'import', 'whatsapp', 'api') THEN
        RAISE EXCEPTION 'p_source must be sql, cli, import, whatsapp or api, got %', coalesce(quote_literal(p_source), 'NULL')
            USING ERRCODE = '22023', HINT = 'Where the consent was given or withdrawn, e.g. ''whatsapp'' or ''cli''.';
    END IF;
    IF p_consent AND (p_wording IS NULL OR btrim(p_wording) = '') THEN
        RAISE EXCEPTION 'p_wording is required when consent is given'
            USING ERRCODE = '22023', HINT = 'Pass the exact text the person agreed to (GDPR Art. 7(1): consent must be demonstrable).';
    END IF;
    IF length(p_wording) > 4000 THEN
        RAISE EXCEPTION 'p_wording is % characters long (at most 4000)', length(p_wording)
            USING ERRCODE = '22023', HINT = 'Store the consent text itself, not a whole document.';
    END IF;
    IF v_lead.consent IS DISTINCT FROM p_consent THEN
        PERFORM set_config('salesflow.consent_source', p_source, true);
        PERFORM set_config('salesflow.consent_wording', coalesce(btrim(p_wording), ''), true);
        UPDATE salesflow.leads AS l SET consent = p_consent WHERE l.id = v_lead.id;
        PERFORM set_config('salesflow.consent_source', '', true);
        PERFORM set_config('salesflow.consent_wording', '', true);
        SELECT max(e.id) INTO v_id FROM salesflow.consent_events AS e WHERE e.lead_id = v_lead.id;
    ELSE
        IF NOT p_consent THEN
            UPDATE salesflow.leads AS l SET consent_withdrawn_at = coalesce(l.consent_withdrawn_at, now())
            WHERE l.id = v_lead.id;
        END IF;
        INSERT INTO salesflow.consent_events (lead_id, consent, previous, source, wording, changed_by)
        VALUES (v_lead.id, p_consent, v_lead.consent, p_source, nullif(btrim(p_wording), ''),
                coalesce(salesflow.current_user_id(), v_lead.user_id))
        RETURNING id INTO v_id;
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.record_consent(uuid, boolean, text, text) IS
'Record consent given (true, wording required) or withdrawn (false) for a lead the caller may see, with source '
'(sql, cli, import, whatsapp, api) and wording; returns the consent_events id. Withdrawal stops outbound suggestions at once.';
