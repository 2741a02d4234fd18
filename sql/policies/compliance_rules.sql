-- ============================================================================
-- compliance_rules: every salesflow role reads the rules, admins maintain them
-- ============================================================================
-- The rule table has no user_id, so no RLS: the grants are the whole rule.
SELECT salesflow.grant_to('SELECT ON salesflow.compliance_rules', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin');
SELECT salesflow.grant_to('INSERT, UPDATE, DELETE ON salesflow.compliance_rules', 'salesflow_admin');
