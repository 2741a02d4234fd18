-- ============================================================================
-- skip_followup: mark an open follow-up skipped (not done, not planned any more)
-- ============================================================================
-- status skipped, completed_at stays NULL (nothing was done); the reason is appended to the
-- note as "skipped: <reason>". Not open -> 55000; unknown or not visible -> P0002; restricted
-- lead -> 55000.
CREATE OR REPLACE FUNCTION salesflow.skip_followup(p_followup_id bigint, p_reason text DEFAULT NULL)
RETURNS TABLE (followup_id bigint, lead_id uuid, status text, due_at timestamptz, channel text, note text, completed_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_row salesflow.followups;
BEGIN
    IF p_reason IS NOT NULL AND btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'p_reason must not be blank' USING ERRCODE = '22023', HINT = 'Leave the reason out (NULL) or say why.';
    END IF;
    PERFORM salesflow.check_text_length('p_reason', p_reason, 4000, 'Keep the reason short.', false);
    v_row := salesflow.followup_for_caller(p_followup_id);
    PERFORM salesflow.require_open_followup(v_row, 'skipped');
    PERFORM salesflow.require_lead_processable(l, 'skipping a follow-up') FROM salesflow.leads AS l WHERE l.id = v_row.lead_id;

    RETURN QUERY
    UPDATE salesflow.followups AS f
    SET status = 'skipped', note = nullif(concat_ws(E'\n', f.note, 'skipped: ' || btrim(p_reason)), '')
    WHERE f.id = v_row.id
    RETURNING f.id, f.lead_id, f.status, f.due_at, f.channel, f.note, f.completed_at;
END;
$$;
COMMENT ON FUNCTION salesflow.skip_followup(bigint, text) IS
'Mark an open follow-up skipped (id, optional reason appended to the note); 55000 when it is not open; returns the follow-up row.';
