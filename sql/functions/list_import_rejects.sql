-- ============================================================================
-- list_import_rejects: what this transaction's import refused (line, field, value, reason)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.list_import_rejects()
RETURNS TABLE (line integer, field text, value text, reason text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT j.line, j.field, j.value, j.reason
    FROM salesflow.import_rejects AS j
    WHERE j.batch_id = (salesflow.import_batch_for_caller(ARRAY['leads', 'users', 'activities', 'whatsapp'])).id
    ORDER BY j.line, j.field;
$$;
COMMENT ON FUNCTION salesflow.list_import_rejects() IS
'The rows the open import refused: file line, field, the value (at most 200 characters) and why.';
