-- ============================================================================
-- actions reference tables: everyone reads the guidance and playbooks, admins edit them
-- ============================================================================
-- disg_guidance and playbooks carry no user_id, so no RLS: the grants are the whole rule.
SELECT salesflow.grant_to(
    'SELECT ON salesflow.disg_guidance, salesflow.playbooks', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
SELECT salesflow.grant_to('INSERT, UPDATE, DELETE ON salesflow.disg_guidance, salesflow.playbooks', 'salesflow_admin');
