-- ============================================================================
-- recommendation_assignee_sees_lead: the assignee of a recommendation can see its lead
-- ============================================================================
-- Checked in the table, so it holds for every writer (API, triggers, the owner's own SQL).
-- Setting an assignee who cannot see the lead is refused; when the lead moves to another owner
-- (user_id cascades here) and the assignee can no longer see it, the owner takes it over.
CREATE OR REPLACE FUNCTION salesflow.recommendation_assignee_sees_lead()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF NEW.assignee_id IS NULL OR salesflow.user_sees(NEW.assignee_id, NEW.user_id) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.assignee_id IS NOT DISTINCT FROM OLD.assignee_id THEN
        NEW.assignee_id := NULL;  -- the lead moved away from what the assignee may see
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'user % cannot be assigned recommendation % : they cannot see its lead', NEW.assignee_id, NEW.id
        USING ERRCODE = '42501',
              HINT = 'Assign to the lead owner, a manager of the owner''s team, or an admin.';
END;
$$;
COMMENT ON FUNCTION salesflow.recommendation_assignee_sees_lead() IS
'Trigger: refuses an assignee who cannot see the lead; clears it when the lead moves out of the assignee''s sight.';

CREATE OR REPLACE TRIGGER ai_recommendations_assignee_sees_lead
BEFORE INSERT OR UPDATE OF assignee_id, user_id ON salesflow.ai_recommendations
FOR EACH ROW WHEN (new.assignee_id IS NOT NULL)
EXECUTE FUNCTION salesflow.recommendation_assignee_sees_lead();
