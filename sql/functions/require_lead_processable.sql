-- ============================================================================
-- require_lead_processable: refuse processing a restricted lead (55000)
-- ============================================================================
-- For the API functions that process one lead (AI context, recommendations): a clear refusal
-- rather than silently empty output.
CREATE OR REPLACE FUNCTION salesflow.require_lead_processable(p_lead salesflow.leads, p_operation text)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF NOT salesflow.lead_is_processable(p_lead) THEN
        RAISE EXCEPTION 'lead % is restricted (GDPR Art. 18) since %: % is not allowed', p_lead.id, p_lead.restricted_at, p_operation
            USING ERRCODE = '55000',
                  HINT = 'A restricted lead is only kept and exported (salesflow gdpr export); an admin lifts it with salesflow gdpr unrestrict.';
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.require_lead_processable(salesflow.leads, text) IS
'Internal: 55000 when the lead is restricted (GDPR Art. 18), naming the refused operation; returns otherwise.';
