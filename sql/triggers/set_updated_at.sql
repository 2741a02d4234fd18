-- ============================================================================
-- set_updated_at: keep updated_at current on every table that has one
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION salesflow.set_updated_at() IS 'Trigger: sets updated_at to now() on UPDATE.';

CREATE OR REPLACE TRIGGER users_set_updated_at BEFORE UPDATE ON salesflow.users
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
CREATE OR REPLACE TRIGGER leads_set_updated_at BEFORE UPDATE ON salesflow.leads
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
CREATE OR REPLACE TRIGGER followups_set_updated_at BEFORE UPDATE ON salesflow.followups
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
CREATE OR REPLACE TRIGGER ai_recommendations_set_updated_at BEFORE UPDATE ON salesflow.ai_recommendations
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
CREATE OR REPLACE TRIGGER playbook_executions_set_updated_at BEFORE UPDATE ON salesflow.playbook_executions
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
CREATE OR REPLACE TRIGGER ai_coaching_sessions_set_updated_at BEFORE UPDATE ON salesflow.ai_coaching_sessions
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
