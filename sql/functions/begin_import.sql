-- ============================================================================
-- begin_import: open an import batch for this transaction; rows COPYed into staged_* join it
-- ============================================================================
-- Sets salesflow.import_batch (transaction-local), the default batch_id of the staging tables,
-- so a plain \copy needs no batch column. Users files are an admin operation. Leftovers are
-- deleted here: rejects of batches finished more than an hour ago (a psql session that never
-- called finish_import), so the values they quote do not stay, and staged rows that no open
-- batch will take (closed or day-old batches, or rows planted under a made-up batch id).
CREATE OR REPLACE FUNCTION salesflow.begin_import(
    p_kind text, p_system text DEFAULT 'generic', p_file_name text DEFAULT NULL, p_mode text DEFAULT 'all'
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL: the trusted owner (CLI, a DBA)
    v_id uuid;
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('leads', 'users', 'activities', 'whatsapp') THEN
        RAISE EXCEPTION 'p_kind % is not an import kind', coalesce(quote_literal(p_kind), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use leads, users, activities or whatsapp.';
    END IF;
    IF p_system IS NULL OR p_system !~ '^[a-z][a-z0-9_-]{1,39}$' THEN
        RAISE EXCEPTION 'p_system % is not a source system name', coalesce(quote_literal(left(p_system, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Lower-case letters, digits, _ or -, 2-40 characters, e.g. hubspot.';
    END IF;
    IF p_mode IS NULL OR p_mode NOT IN ('all', 'skip_invalid', 'dry_run') THEN
        RAISE EXCEPTION 'p_mode % is not an import mode', coalesce(quote_literal(left(p_mode, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'all (nothing written if a row fails), skip_invalid or dry_run.';
    END IF;
    IF length(p_file_name) > 255 THEN
        RAISE EXCEPTION 'p_file_name is % characters long (at most 255)', length(p_file_name)
            USING ERRCODE = '22023', HINT = 'Pass the base name of the file.';
    END IF;
    IF p_kind = 'users' THEN
        PERFORM salesflow.require_admin('importing users');
    END IF;
    IF nullif(current_setting('salesflow.import_batch', true), '') IS NOT NULL
       AND EXISTS (SELECT 1 FROM salesflow.import_batches AS b
                   WHERE b.id::text = current_setting('salesflow.import_batch', true) AND b.finished_at IS NULL) THEN
        RAISE EXCEPTION 'an import is already open in this transaction (batch %)', current_setting('salesflow.import_batch', true)
            USING ERRCODE = '55000', HINT = 'Run its import_* function and finish_import() first.';
    END IF;
    DELETE FROM salesflow.import_rejects AS r
    USING salesflow.import_batches AS b
    WHERE b.id = r.batch_id AND (b.finished_at < now() - interval '1 hour' OR b.started_at < now() - interval '1 day');
    -- staged rows nobody will import: of closed or day-old batches, or naming no batch at all
    DELETE FROM salesflow.staged_leads AS s
    WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_batches AS b
                      WHERE b.id = s.batch_id AND b.finished_at IS NULL AND b.started_at > now() - interval '1 day');
    DELETE FROM salesflow.staged_activities AS s
    WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_batches AS b
                      WHERE b.id = s.batch_id AND b.finished_at IS NULL AND b.started_at > now() - interval '1 day');
    DELETE FROM salesflow.staged_users AS s
    WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_batches AS b
                      WHERE b.id = s.batch_id AND b.finished_at IS NULL AND b.started_at > now() - interval '1 day');

    INSERT INTO salesflow.import_batches (kind, source_system, file_name, user_id, mode)
    VALUES (p_kind, p_system, CASE WHEN p_kind <> 'whatsapp' THEN p_file_name END, v_me, p_mode)
    RETURNING id INTO v_id;
    PERFORM set_config('salesflow.import_batch', v_id::text, true);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.begin_import(text, text, text, text) IS
'Open an import batch (kind, source system, file name, mode all|skip_invalid|dry_run) for this transaction; returns its id.';
