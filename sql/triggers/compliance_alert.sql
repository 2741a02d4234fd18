-- ============================================================================
-- compliance_alert: high/critical compliance logs alert the team manager
-- ============================================================================
-- AFTER INSERT on compliance_logs with max_severity high or critical:
--   * pg_notify('salesflow_compliance', json) with log_id, user_id, lead_id, severity, decision,
--     categories, content_type, created_at: never the text or the matched wording;
--   * with a lead: create_ai_recommendation(lead, 'compliance_alert', …, source 'trigger')
--     for the manager of the lead owner's team (else an admin, else the owner), base priority
--     90 (critical) or 70 (high), title and reason in the manager's language (the categories as
--     codes in the action, for the CLI to name). A failing alert never loses the audit row: it becomes a WARNING.
-- SECURITY DEFINER: a rep may not read the manager's user row under RLS.
CREATE OR REPLACE FUNCTION salesflow.compliance_alert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_categories jsonb;
    v_owner uuid;
    v_manager uuid;
    v_de boolean;
    v_n integer;
BEGIN
    SELECT coalesce(jsonb_agg(DISTINCT v.value ->> 'category'), '[]'::jsonb)
    INTO v_categories
    FROM jsonb_array_elements(NEW.violations) AS v (value)
    WHERE v.value ->> 'severity' IN ('high', 'critical');

    PERFORM pg_notify('salesflow_compliance', jsonb_build_object(
        'log_id', NEW.id,
        'user_id', NEW.user_id,
        'lead_id', NEW.lead_id,
        'severity', NEW.max_severity,
        'decision', NEW.decision,
        'categories', v_categories,
        'content_type', NEW.content_type,
        'created_at', NEW.created_at
    )::text);

    IF NEW.lead_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF to_regprocedure('salesflow.create_ai_recommendation(uuid, text, text, text, jsonb, numeric, numeric, timestamptz, text, uuid)') IS NULL THEN
        RAISE WARNING 'compliance alert for log % not created: salesflow.create_ai_recommendation is not installed', NEW.id;
        RETURN NULL;
    END IF;

    SELECT l.user_id INTO v_owner FROM salesflow.leads AS l WHERE l.id = NEW.lead_id;
    SELECT m.id INTO v_manager
    FROM salesflow.users AS o
    JOIN salesflow.users AS m ON m.team_id = o.team_id AND m.role = 'manager'
    WHERE o.id = v_owner
    ORDER BY m.id = v_owner, m.created_at, m.id
    LIMIT 1;
    IF v_manager IS NULL THEN
        SELECT a.id INTO v_manager FROM salesflow.users AS a WHERE a.role = 'admin' ORDER BY a.created_at, a.id LIMIT 1;
    END IF;
    -- the manager reads it: their language (else the text's); the categories stay codes in the action
    SELECT coalesce((SELECT u.language FROM salesflow.users AS u WHERE u.id = coalesce(v_manager, v_owner)), NEW.language) = 'de'
    INTO v_de;
    v_n := jsonb_array_length(v_categories);

    BEGIN
        PERFORM salesflow.create_ai_recommendation(
            p_lead_id => NEW.lead_id,
            p_rec_type => 'compliance_alert',
            p_title => CASE WHEN v_de
                THEN format('Compliance-Verstoß (%s)', CASE NEW.max_severity WHEN 'critical' THEN 'kritisch' ELSE 'hoch' END)
                ELSE format('Compliance violation (%s)', NEW.max_severity)
            END,
            p_reason => CASE WHEN v_de
                THEN format('Text %s (%s %s). Bitte Compliance-Log %s prüfen und mit dem Vertriebspartner besprechen.',
                    CASE NEW.decision WHEN 'blocked' THEN 'blockiert' ELSE 'markiert' END,
                    v_n, CASE WHEN v_n = 1 THEN 'Kategorie' ELSE 'Kategorien' END, NEW.id)
                ELSE format('Text %s (%s %s). Please review compliance log %s and talk to the rep.',
                    NEW.decision, v_n, CASE WHEN v_n = 1 THEN 'category' ELSE 'categories' END, NEW.id)
            END,
            p_action => jsonb_build_object(
                'kind', 'review_compliance_log',
                'log_id', NEW.id,
                'user_id', NEW.user_id,
                'severity', NEW.max_severity,
                'decision', NEW.decision,
                'categories', v_categories,
                'content_type', NEW.content_type
            ),
            p_base_priority => CASE NEW.max_severity WHEN 'critical' THEN 90 ELSE 70 END,
            p_half_life_hours => 48,
            p_source => 'trigger',
            p_assignee_id => v_manager
        );
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'compliance alert for log % not created: % [%]', NEW.id, SQLERRM, SQLSTATE;
    END;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.compliance_alert() IS
'Trigger: on a high/critical compliance log, pg_notify(''salesflow_compliance'') without text and a compliance_alert recommendation for the team manager.';

CREATE OR REPLACE TRIGGER compliance_logs_alert AFTER INSERT ON salesflow.compliance_logs
FOR EACH ROW WHEN (new.max_severity IN ('high', 'critical'))
EXECUTE FUNCTION salesflow.compliance_alert();
