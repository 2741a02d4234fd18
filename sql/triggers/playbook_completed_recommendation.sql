-- ============================================================================
-- playbook_completed_recommendation: a completed playbook -> 'playbook_next_step'
-- ============================================================================
-- Row-level AFTER UPDATE OF status (playbook runs change one at a time). For an open lead:
--   outcome says no reply / no interest / lost (de or en) and the run was not 'reaktivierung'
--       -> suggest the 'reaktivierung' playbook;
--   else the playbook's next_playbook_key (not already running) -> suggest that playbook;
--   else -> the closing step: record the result, ask for the decision or a referral.
-- Title and reason in the owner's language; base priority 60, half-life 120 h;
-- action {"kind": "start_playbook" | "closing_step", "playbook_key", "after"}.
CREATE OR REPLACE FUNCTION salesflow.playbook_completed_recommendation()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_done salesflow.playbooks;
    v_next salesflow.playbooks;
    v_de boolean;
BEGIN
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = new.lead_id;
    IF v_lead.stage IN ('won', 'lost') THEN
        RETURN NULL;
    END IF;
    -- the rep reads it: the owner's language
    v_de := (SELECT u.language = 'de' FROM salesflow.users AS u WHERE u.id = v_lead.user_id);
    SELECT p.* INTO v_done FROM salesflow.playbooks AS p WHERE p.key = new.playbook_key;

    IF coalesce(new.outcome, '') ~* '(no[ _-]?reply|keine[ _-]?antwort|ghost|no[ _-]?interest|kein[ _-]?interesse|lost|verloren)'
       AND new.playbook_key <> 'reaktivierung' THEN
        SELECT p.* INTO v_next FROM salesflow.playbooks AS p WHERE p.key = 'reaktivierung';
    ELSIF v_done.next_playbook_key IS NOT NULL THEN
        SELECT p.* INTO v_next FROM salesflow.playbooks AS p WHERE p.key = v_done.next_playbook_key;
    END IF;
    IF v_next.key IS NOT NULL AND EXISTS (
        SELECT 1 FROM salesflow.playbook_executions AS x
        WHERE x.lead_id = new.lead_id AND x.playbook_key = v_next.key AND x.status = 'running'
    ) THEN
        v_next := NULL;
    END IF;

    IF v_next.key IS NOT NULL THEN
        INSERT INTO salesflow.ai_recommendations AS r (
            lead_id, user_id, rec_type, title, reason, action, base_priority, half_life_hours, source
        )
        VALUES (
            new.lead_id, new.user_id, 'playbook_next_step',
            CASE WHEN v_de THEN 'Nächstes Playbook starten: ' || v_next.name_de ELSE 'Start the next playbook: ' || v_next.name_en END,
            format(CASE WHEN v_de THEN 'Playbook „%s“ abgeschlossen (Ergebnis: %s). Weiter mit „%s“.'
                        ELSE 'Playbook "%s" completed (outcome: %s). Continue with "%s".' END,
                CASE WHEN v_de THEN v_done.name_de ELSE v_done.name_en END,
                coalesce(new.outcome, CASE WHEN v_de THEN 'keins' ELSE 'none' END),
                CASE WHEN v_de THEN v_next.name_de ELSE v_next.name_en END),
            jsonb_build_object('kind', 'start_playbook', 'playbook_key', v_next.key, 'after', new.playbook_key,
                               'execution_id', new.id),
            60, 120, 'trigger'
        )
        ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO UPDATE
            SET title = excluded.title, reason = excluded.reason, action = excluded.action,
                base_priority = excluded.base_priority, half_life_hours = excluded.half_life_hours,
                source = excluded.source, created_at = now();
    ELSE
        INSERT INTO salesflow.ai_recommendations AS r (
            lead_id, user_id, rec_type, title, reason, action, base_priority, half_life_hours, source
        )
        VALUES (
            new.lead_id, new.user_id, 'playbook_next_step',
            CASE WHEN v_de THEN 'Abschluss sichern: Entscheidung erfragen und Ergebnis eintragen'
                 ELSE 'Close the loop: ask for the decision and record the result' END,
            format(CASE WHEN v_de THEN 'Playbook „%s“ abgeschlossen (Ergebnis: %s). Jetzt Entscheidung festhalten (Stufe won/lost) oder nach einer Empfehlung fragen.'
                        ELSE 'Playbook "%s" completed (outcome: %s). Record the decision now (stage won/lost) or ask for a referral.' END,
                CASE WHEN v_de THEN v_done.name_de ELSE v_done.name_en END,
                coalesce(new.outcome, CASE WHEN v_de THEN 'keins' ELSE 'none' END)),
            jsonb_build_object('kind', 'closing_step', 'playbook_key', NULL, 'after', new.playbook_key, 'execution_id', new.id),
            60, 120, 'trigger'
        )
        ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO UPDATE
            SET title = excluded.title, reason = excluded.reason, action = excluded.action,
                base_priority = excluded.base_priority, half_life_hours = excluded.half_life_hours,
                source = excluded.source, created_at = now();
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.playbook_completed_recommendation() IS
'Trigger: when a playbook run completes, recommends the next playbook (or re-engagement after no reply) or the closing step, in the owner''s language.';

CREATE OR REPLACE TRIGGER playbook_executions_completed_recommend AFTER UPDATE OF status ON salesflow.playbook_executions
FOR EACH ROW WHEN (new.status = 'completed' AND old.status IS DISTINCT FROM 'completed')
EXECUTE FUNCTION salesflow.playbook_completed_recommendation();
