-- ============================================================================
-- import_batch_for_caller: the open batch of this transaction, if it is the caller's and of p_kind
-- ============================================================================
-- The batch id is a GUC anyone can set; the row decides: opened by this login, by this
-- identity, not finished. Anything else is 55000 (no import open) — never someone else's rows.
CREATE OR REPLACE FUNCTION salesflow.import_batch_for_caller(p_kinds text[])
RETURNS salesflow.import_batches
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_batch salesflow.import_batches;
    v_setting text := nullif(current_setting('salesflow.import_batch', true), '');
BEGIN
    IF v_setting ~ '^[0-9a-f-]{36}$' THEN
        SELECT b.* INTO v_batch FROM salesflow.import_batches AS b
        WHERE b.id = v_setting::uuid AND b.db_role = session_user AND b.finished_at IS NULL
          AND b.user_id IS NOT DISTINCT FROM salesflow.require_identity();
    END IF;
    IF v_batch.id IS NULL THEN
        RAISE EXCEPTION 'no import is open in this transaction'
            USING ERRCODE = '55000', HINT = 'BEGIN; SELECT salesflow.begin_import(''' || p_kinds[1] || ''', ''generic''); then COPY into the staging table.';
    END IF;
    IF NOT v_batch.kind = ANY (p_kinds) THEN
        RAISE EXCEPTION 'the open import is a % import, not %', v_batch.kind, array_to_string(p_kinds, ' or ')
            USING ERRCODE = '55000', HINT = 'Call the import function that matches begin_import''s kind.';
    END IF;
    RETURN v_batch;
END;
$$;
COMMENT ON FUNCTION salesflow.import_batch_for_caller(text[]) IS
'Internal: the caller''s open import batch of one of the given kinds (55000 otherwise).';
