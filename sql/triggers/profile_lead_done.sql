-- ============================================================================
-- profile_lead_done: a stored personality profile completes the lead's profile_lead recommendation
-- ============================================================================
-- STATEMENT-level AFTER INSERT on personality_profiles with a transition table. The recommendation
-- itself is made by recommend_profiling, from the drain (it needs the drained inbound counts).
CREATE OR REPLACE FUNCTION salesflow.profile_lead_done()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.ai_recommendations AS r
    SET status = 'done', resolved_at = now(), feedback = coalesce(r.feedback, 'profile recorded')
    WHERE r.rec_type = 'profile_lead' AND r.status = 'open'
      AND r.lead_id IN (SELECT p.lead_id FROM new_profiles AS p);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.profile_lead_done() IS
'Trigger (statement level): a stored personality profile completes the lead''s open profile_lead recommendation.';

CREATE OR REPLACE TRIGGER personality_profiles_profile_lead_done AFTER INSERT ON salesflow.personality_profiles
REFERENCING NEW TABLE AS new_profiles
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.profile_lead_done();
