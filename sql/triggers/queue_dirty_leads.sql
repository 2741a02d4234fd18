-- ============================================================================
-- queue_dirty_leads: a write to a lead's score inputs queues the lead for drain_dirty_leads
-- ============================================================================
-- STATEMENT-level AFTER triggers with a transition table (changed_rows): one INSERT per statement,
-- one queue row per distinct lead in it, however many rows the statement wrote. Inputs watched:
--   leads (insert, update: stage, owner, consent, restriction ...), lead_activities, bant_assessments,
--   personality_profiles (insert, update, delete: the engagement counters derive from them),
--   ai_recommendations of type profile_lead (the profile_lead candidate), users whose team changed
--   (the team's learning scope): all their leads.
-- Not watched: follow-ups and other recommendations (recommend_followup_actions reads them live),
-- success_patterns and conversion_calibration (the learning step changes every lead: the full
-- refresh after it recomputes all).
-- An activity INSERT's row carries the lead's new activity ids (activity_ids): the drain applies
-- their engagement and channel counters too (count_activities), so no writer updates a shared row;
-- an activity UPDATE or DELETE queues '{}' (no counters, but the lead's reply times are recomputed).
-- Append-only (no unique key): concurrent writers never wait here. SECURITY DEFINER: the queue is
-- owner-only.
CREATE OR REPLACE FUNCTION salesflow.queue_dirty_leads()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME = 'leads' THEN
        INSERT INTO salesflow.dirty_leads (lead_id) SELECT DISTINCT c.id FROM changed_rows AS c;
    ELSIF TG_TABLE_NAME = 'users' THEN
        INSERT INTO salesflow.dirty_leads (lead_id)
        SELECT l.id
        FROM changed_rows AS c
        INNER JOIN old_rows AS o ON c.id = o.id AND c.team_id IS DISTINCT FROM o.team_id
        INNER JOIN salesflow.leads AS l ON c.id = l.user_id;
    ELSIF TG_TABLE_NAME = 'lead_activities' AND TG_OP = 'INSERT' THEN
        -- with the lead's new activities: the drain applies their counters (count_activities)
        INSERT INTO salesflow.dirty_leads (lead_id, activity_ids)
        SELECT c.lead_id, array_agg(c.id) FROM changed_rows AS c GROUP BY c.lead_id;
    ELSIF TG_TABLE_NAME = 'lead_activities' THEN
        -- an update or delete: nothing to count, but the lead's answers change ('{}': recompute them)
        INSERT INTO salesflow.dirty_leads (lead_id, activity_ids)
        SELECT DISTINCT c.lead_id, '{}'::bigint [] FROM changed_rows AS c;
    ELSIF TG_TABLE_NAME = 'ai_recommendations' THEN
        INSERT INTO salesflow.dirty_leads (lead_id)
        SELECT DISTINCT c.lead_id FROM changed_rows AS c WHERE c.rec_type = 'profile_lead' AND c.lead_id IS NOT NULL;
    ELSE
        INSERT INTO salesflow.dirty_leads (lead_id) SELECT DISTINCT c.lead_id FROM changed_rows AS c;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.queue_dirty_leads() IS
'Trigger: queues the leads a statement changed (transition table changed_rows) in dirty_leads for drain_dirty_leads.';

-- A trigger with a transition table serves one event: one per event and table.
DO $$
DECLARE
    v_table text;
    v_event text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['leads', 'lead_activities', 'bant_assessments', 'personality_profiles', 'ai_recommendations']
    LOOP
        FOREACH v_event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
            EXECUTE format(
                'CREATE OR REPLACE TRIGGER %I AFTER %s ON salesflow.%I REFERENCING %s TABLE AS changed_rows '
                'FOR EACH STATEMENT EXECUTE FUNCTION salesflow.queue_dirty_leads()',
                v_table || '_queue_dirty_' || v_event, upper(v_event), v_table,
                CASE WHEN v_event = 'delete' THEN 'OLD' ELSE 'NEW' END
            );
        END LOOP;
    END LOOP;
END;
$$;
CREATE OR REPLACE TRIGGER users_queue_dirty_update AFTER UPDATE ON salesflow.users
REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.queue_dirty_leads();
