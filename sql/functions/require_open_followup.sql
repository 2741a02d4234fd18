-- ============================================================================
-- require_open_followup: refuse changing a follow-up that is no longer open (55000)
-- ============================================================================
-- complete, snooze and skip act on open follow-ups only; a done, skipped or cancelled one is in
-- the wrong state for them (55000), named in the message with what was asked.
CREATE OR REPLACE FUNCTION salesflow.require_open_followup(p_followup salesflow.followups, p_operation text)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_followup.status <> 'open' THEN
        RAISE EXCEPTION 'follow-up % is %, it cannot be %', p_followup.id, p_followup.status, p_operation
            USING ERRCODE = '55000',
                  HINT = 'Only open follow-ups change; plan a new one with salesflow followup add LEAD --due WHEN.';
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.require_open_followup(salesflow.followups, text) IS
'Internal: 55000 when the follow-up is not open, naming the refused operation; returns otherwise.';
