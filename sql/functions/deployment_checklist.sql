-- ============================================================================
-- deployment_checklist: what a deploy left behind, counted from the catalog
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.deployment_checklist()
RETURNS TABLE (item text, found integer)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT 'extensions (vector)', count(*)::integer
    FROM pg_extension WHERE extname = 'vector'
    UNION ALL
    SELECT 'tables', count(*)::integer
    FROM pg_tables WHERE schemaname = 'salesflow'
    UNION ALL
    -- RPC functions: callable functions, not trigger functions, not deploy/internal helpers
    SELECT 'RPC functions', count(*)::integer
    FROM pg_proc AS p
    WHERE p.pronamespace = 'salesflow'::regnamespace
      AND p.prorettype <> 'trigger'::regtype
      AND coalesce(obj_description(p.oid, 'pg_proc'), '') !~ '^(Deploy machinery|Internal)'
    UNION ALL
    -- views: materialized (refreshed in full) and plain (over the per-lead tables)
    SELECT 'views', count(*)::integer
    FROM pg_class AS c
    WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind IN ('m', 'v')
    UNION ALL
    SELECT 'triggers', count(*)::integer
    FROM pg_trigger AS t JOIN pg_class AS c ON t.tgrelid = c.oid
    WHERE c.relnamespace = 'salesflow'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT 'RLS policies', count(*)::integer
    FROM pg_policies WHERE schemaname = 'salesflow';
$$;
COMMENT ON FUNCTION salesflow.deployment_checklist() IS
'Deploy machinery: counts of the installed salesflow objects (extensions, tables, RPC functions, views, triggers, policies).';
