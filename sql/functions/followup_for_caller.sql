-- ============================================================================
-- followup_for_caller: the follow-up row, if the caller may see it (else P0002)
-- ============================================================================
-- The follow-up twin of lead_for_caller, shared by complete/snooze/skip_followup: the trusted
-- owner (CLI, cron) sees every follow-up, a sales session without identity gets 42501
-- (require_identity), otherwise the follow-up's user must be in visible_user_ids(). Unknown and
-- invisible ids give the same P0002 (no existence oracle). The row is locked (FOR UPDATE), so a
-- concurrent change waits instead of being overwritten.
CREATE OR REPLACE FUNCTION salesflow.followup_for_caller(p_followup_id bigint, p_arg text DEFAULT 'p_followup_id')
RETURNS salesflow.followups
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_row salesflow.followups;
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
BEGIN
    IF p_followup_id IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', p_arg
            USING ERRCODE = '22023', HINT = 'Pass the id of a follow-up (salesflow.followups.id, shown by salesflow lead LEAD).';
    END IF;
    SELECT f.* INTO v_row FROM salesflow.followups AS f WHERE f.id = p_followup_id FOR UPDATE;
    IF NOT FOUND
       OR (v_me IS NOT NULL AND NOT v_row.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid []))) THEN
        RAISE EXCEPTION 'follow-up % (%) not found or not visible', p_followup_id, p_arg
            USING ERRCODE = 'P0002',
                  HINT = 'Check the follow-up id; reps see their own follow-ups, managers their team''s, admins all.';
    END IF;
    RETURN v_row;
END;
$$;
COMMENT ON FUNCTION salesflow.followup_for_caller(bigint, text) IS
'Internal: the follow-up row (locked) when the caller may see it; 22023 for NULL, P0002 when unknown or not visible.';
