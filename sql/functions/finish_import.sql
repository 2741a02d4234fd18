-- requires: claim_dirty_leads
-- ============================================================================
-- finish_import: close this transaction's import; its staged rows and rejects are deleted
-- ============================================================================
-- Returns the batch's counts. After it the batch cannot be written to again. The activities the
-- import inserted are counted here, in its transaction (its leads stay queued for their scores):
-- an imported chat shows its counts at once, without waiting for a drain.
CREATE OR REPLACE FUNCTION salesflow.finish_import()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_batch salesflow.import_batches := salesflow.import_batch_for_caller(ARRAY['leads', 'users', 'activities', 'whatsapp']);
BEGIN
    DELETE FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id;
    DELETE FROM salesflow.staged_leads AS s WHERE s.batch_id = v_batch.id;
    DELETE FROM salesflow.staged_activities AS s WHERE s.batch_id = v_batch.id;
    DELETE FROM salesflow.staged_users AS s WHERE s.batch_id = v_batch.id;
    UPDATE salesflow.import_batches AS b SET finished_at = clock_timestamp() WHERE b.id = v_batch.id;
    PERFORM salesflow.claim_dirty_leads(NULL, true);
    PERFORM set_config('salesflow.import_batch', '', true);
    RETURN v_batch.counts;
END;
$$;
COMMENT ON FUNCTION salesflow.finish_import() IS
'Close the open import: delete its staged rows and rejects, stamp finished_at; returns its counts.';
