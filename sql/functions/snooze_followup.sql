-- ============================================================================
-- snooze_followup: move an open follow-up to a later time
-- ============================================================================
-- due_at := p_until (after now(), before 2100); it stays open. No snooze column: the new due
-- time is the whole state (the old one is not kept). Not open -> 55000; unknown or not visible
-- -> P0002; restricted lead -> 55000.
CREATE OR REPLACE FUNCTION salesflow.snooze_followup(p_followup_id bigint, p_until timestamptz)
RETURNS TABLE (followup_id bigint, lead_id uuid, status text, due_at timestamptz, channel text, note text, completed_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_row salesflow.followups;
BEGIN
    PERFORM salesflow.followup_due_check('p_until', p_until, true);
    v_row := salesflow.followup_for_caller(p_followup_id);
    PERFORM salesflow.require_open_followup(v_row, 'snoozed');
    PERFORM salesflow.require_lead_processable(l, 'snoozing a follow-up') FROM salesflow.leads AS l WHERE l.id = v_row.lead_id;

    RETURN QUERY
    UPDATE salesflow.followups AS f
    SET due_at = p_until
    WHERE f.id = v_row.id
    RETURNING f.id, f.lead_id, f.status, f.due_at, f.channel, f.note, f.completed_at;
END;
$$;
COMMENT ON FUNCTION salesflow.snooze_followup(bigint, timestamptz) IS
'Move an open follow-up to a later due time (id, until: in the future); 55000 when it is not open; returns the follow-up row.';
