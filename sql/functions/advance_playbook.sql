-- ============================================================================
-- advance_playbook: mark the current step of a running playbook done
-- ============================================================================
-- current_step counts completed steps (0 .. number of steps). Completing the last step sets
-- status 'completed', completed_at and the outcome; the completion trigger then recommends the
-- next playbook or the closing step. p_outcome (optional, <= 200 characters) is stored on
-- every call, so it holds the latest outcome.
CREATE OR REPLACE FUNCTION salesflow.advance_playbook(p_execution_id bigint, p_outcome text DEFAULT NULL)
RETURNS TABLE (execution_id bigint, current_step integer, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.require_identity();
    v_exec salesflow.playbook_executions;
BEGIN
    IF p_execution_id IS NULL THEN
        RAISE EXCEPTION 'p_execution_id must not be NULL'
            USING ERRCODE = '22023', HINT = 'Pass the id returned by salesflow.start_playbook.';
    END IF;
    IF p_outcome IS NOT NULL AND (btrim(p_outcome) = '' OR length(p_outcome) > 200) THEN
        RAISE EXCEPTION 'p_outcome must be 1-200 characters, got %', quote_literal(left(p_outcome, 40))
            USING ERRCODE = '22023', HINT = 'Use a short outcome such as ''meeting_booked'' or ''no_reply'', or NULL.';
    END IF;
    SELECT x.* INTO v_exec FROM salesflow.playbook_executions AS x WHERE x.id = p_execution_id FOR UPDATE;
    IF NOT FOUND OR (v_me IS NOT NULL AND NOT v_exec.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid []))) THEN
        RAISE EXCEPTION 'playbook execution % (p_execution_id) not found or not visible', p_execution_id
            USING ERRCODE = 'P0002', HINT = 'See the running playbooks of a lead in salesflow.get_lead_intelligence(lead).';
    END IF;
    IF v_exec.status <> 'running' THEN
        RAISE EXCEPTION 'playbook execution % is %, only running executions advance', p_execution_id, v_exec.status
            USING ERRCODE = '22023', HINT = 'Start the playbook again with salesflow.start_playbook(lead, key).';
    END IF;

    RETURN QUERY
    UPDATE salesflow.playbook_executions AS x
    SET current_step = x.current_step + 1,
        status = CASE WHEN x.current_step + 1 >= jsonb_array_length(x.steps) THEN 'completed' ELSE 'running' END,
        completed_at = CASE WHEN x.current_step + 1 >= jsonb_array_length(x.steps) THEN now() END,
        outcome = coalesce(p_outcome, x.outcome)
    WHERE x.id = p_execution_id
    RETURNING x.id, x.current_step, x.status;
END;
$$;
COMMENT ON FUNCTION salesflow.advance_playbook(bigint, text) IS
'Complete the current step of a running playbook execution (execution id, optional outcome); the last step completes it; returns id, steps done, status.';
