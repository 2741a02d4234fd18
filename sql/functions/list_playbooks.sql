-- ============================================================================
-- list_playbooks: the playbooks a lead can run (key, names, step count)
-- ============================================================================
-- Reference data every sales role may read; SECURITY INVOKER (SELECT on playbooks is granted).
CREATE OR REPLACE FUNCTION salesflow.list_playbooks()
RETURNS TABLE (key text, name_de text, name_en text, description_de text, description_en text, steps integer)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT p.key, p.name_de, p.name_en, p.description_de, p.description_en, jsonb_array_length(p.steps)
    FROM salesflow.playbooks AS p
    ORDER BY p.key;
$$;
COMMENT ON FUNCTION salesflow.list_playbooks() IS
'The playbooks (key, German and English name and description, number of steps), for salesflow.start_playbook.';
