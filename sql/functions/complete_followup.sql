-- ============================================================================
-- complete_followup: mark an open follow-up done
-- ============================================================================
-- status done, completed_at now(); p_note is appended to the follow-up's note (one line per
-- event, so the plan and the result stay readable). Not open -> 55000; unknown or not visible
-- -> P0002 (followup_for_caller); restricted lead -> 55000.
CREATE OR REPLACE FUNCTION salesflow.complete_followup(p_followup_id bigint, p_note text DEFAULT NULL)
RETURNS TABLE (followup_id bigint, lead_id uuid, status text, due_at timestamptz, channel text, note text, completed_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_row salesflow.followups;
BEGIN
    IF p_note IS NOT NULL AND btrim(p_note) = '' THEN
        RAISE EXCEPTION 'p_note must not be blank' USING ERRCODE = '22023', HINT = 'Leave the note out (NULL) or say how it went.';
    END IF;
    PERFORM salesflow.check_text_length('p_note', p_note, 4000, 'Keep the note short.', false);
    v_row := salesflow.followup_for_caller(p_followup_id);
    PERFORM salesflow.require_open_followup(v_row, 'marked done');
    PERFORM salesflow.require_lead_processable(l, 'completing a follow-up') FROM salesflow.leads AS l WHERE l.id = v_row.lead_id;

    RETURN QUERY
    UPDATE salesflow.followups AS f
    SET status = 'done', completed_at = now(), note = nullif(concat_ws(E'\n', f.note, btrim(p_note)), '')
    WHERE f.id = v_row.id
    RETURNING f.id, f.lead_id, f.status, f.due_at, f.channel, f.note, f.completed_at;
END;
$$;
COMMENT ON FUNCTION salesflow.complete_followup(bigint, text) IS
'Mark an open follow-up done (id, optional note appended); 55000 when it is not open; returns the follow-up row.';
