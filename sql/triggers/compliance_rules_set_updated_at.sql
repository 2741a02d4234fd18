-- requires: set_updated_at
-- ============================================================================
-- compliance_rules_set_updated_at: keep compliance_rules.updated_at current
-- ============================================================================
CREATE OR REPLACE TRIGGER compliance_rules_set_updated_at BEFORE UPDATE ON salesflow.compliance_rules
FOR EACH ROW EXECUTE FUNCTION salesflow.set_updated_at();
