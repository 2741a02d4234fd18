-- ============================================================================
-- start_playbook: run a playbook for a lead (its steps are copied into the execution)
-- ============================================================================
-- One running execution per (lead, playbook): starting it again is refused (22023). An open
-- playbook_next_step recommendation that suggested this playbook is marked done.
CREATE OR REPLACE FUNCTION salesflow.start_playbook(p_lead_id uuid, p_playbook_key text)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_steps jsonb;
    v_running bigint;
    v_id bigint;
BEGIN
    IF p_playbook_key IS NULL THEN
        RAISE EXCEPTION 'p_playbook_key must not be NULL'
            USING ERRCODE = '22023', HINT = 'Pass a key from salesflow.playbooks, e.g. ''erstkontakt''.';
    END IF;
    PERFORM salesflow.check_text_length('p_playbook_key', p_playbook_key, 200, 'Pass a key from salesflow.playbooks, e.g. erstkontakt.');
    v_lead := salesflow.lead_for_caller(p_lead_id);
    PERFORM salesflow.require_lead_processable(v_lead, 'starting a playbook');  -- GDPR Art. 18: 55000 when restricted
    SELECT p.steps INTO v_steps FROM salesflow.playbooks AS p WHERE p.key = p_playbook_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'playbook % (p_playbook_key) not found', quote_literal(p_playbook_key)
            USING ERRCODE = 'P0002',
                  HINT = 'Known playbooks: ' || coalesce((SELECT string_agg(p.key, ', ' ORDER BY p.key) FROM salesflow.playbooks AS p), 'none');
    END IF;
    IF v_lead.stage IN ('won', 'lost') THEN
        RAISE EXCEPTION 'lead % is closed (stage %); playbooks run on open leads', v_lead.id, v_lead.stage
            USING ERRCODE = '22023', HINT = 'Reopen the lead (change its stage) before starting a playbook.';
    END IF;
    SELECT x.id INTO v_running FROM salesflow.playbook_executions AS x
    WHERE x.lead_id = v_lead.id AND x.playbook_key = p_playbook_key AND x.status = 'running';
    IF FOUND THEN
        RAISE EXCEPTION 'playbook % already runs for lead % (execution %)', quote_literal(p_playbook_key), v_lead.id, v_running
            USING ERRCODE = '22023', HINT = 'Advance that execution with salesflow.advance_playbook(' || v_running || ').';
    END IF;

    INSERT INTO salesflow.playbook_executions (lead_id, user_id, playbook_key, steps)
    VALUES (v_lead.id, v_lead.user_id, p_playbook_key, v_steps)
    RETURNING id INTO v_id;

    UPDATE salesflow.ai_recommendations AS r
    SET status = 'done', resolved_at = now(), feedback = coalesce(r.feedback, 'playbook started')
    WHERE r.lead_id = v_lead.id AND r.rec_type = 'playbook_next_step' AND r.status = 'open'
      AND r.action ->> 'playbook_key' = p_playbook_key;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.start_playbook(uuid, text) IS
'Start a playbook for an open lead (lead, playbook key); one running execution per lead and playbook; returns the execution id.';
