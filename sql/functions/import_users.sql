-- ============================================================================
-- import_users: teams and users from the staged rows of this transaction's batch (admins)
-- ============================================================================
-- A user is recognised by e-mail (lower case): new ones are created, known ones get the file's
-- name, role, team, language and time zone. A team is found by name (case-insensitive) or
-- created. Logins are separate (salesflow users login): importing people grants no access.
CREATE OR REPLACE FUNCTION salesflow.import_users()
RETURNS TABLE (created integer, updated integer, unchanged integer, rejected integer, teams_created integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '128MB'  -- the window, UNION and hash steps over a whole file sort in memory
AS $$
DECLARE
    v_batch salesflow.import_batches := salesflow.import_batch_for_caller(ARRAY['users']);
BEGIN
    PERFORM salesflow.require_admin('importing users');
    DROP TABLE IF EXISTS pg_temp.import_user_rows;
    CREATE TEMP TABLE import_user_rows ON COMMIT DROP AS
    WITH s AS (
        SELECT st.*, coalesce(st.line, (st.row_no - min(st.row_no) OVER () + 2)::integer) AS at_line
        FROM salesflow.staged_users AS st WHERE st.batch_id = v_batch.id AND st.staged_by = v_batch.db_role
    ),
    n AS (
        SELECT s.at_line AS line, lower(nullif(btrim(s.email), '')) AS email, s.email AS raw_email,
               nullif(btrim(s.display_name), '') AS display_name,
               CASE WHEN lower(btrim(s.role)) IN ('rep', 'sales rep', 'seller', 'berater', 'beraterin', 'vertrieb', 'vertriebler') THEN 'rep'
                    WHEN lower(btrim(s.role)) IN ('manager', 'teamleiter', 'teamleiterin', 'teamleitung', 'lead', 'team lead') THEN 'manager'
                    WHEN lower(btrim(s.role)) IN ('admin', 'administrator', 'administratorin') THEN 'admin'
                    WHEN nullif(btrim(s.role), '') IS NULL THEN 'rep' END AS role,
               s.role AS raw_role,
               nullif(btrim(s.team), '') AS team,
               CASE WHEN nullif(btrim(s.language), '') IS NULL THEN 'de'
                    WHEN lower(btrim(s.language)) ~ '^(de|deu|ger|deutsch|german)([-_].*)?$' THEN 'de'
                    WHEN lower(btrim(s.language)) ~ '^(en|eng|englisch|english)([-_].*)?$' THEN 'en' END AS language,
               s.language AS raw_language,
               coalesce(nullif(btrim(s.timezone), ''), 'Europe/Berlin') AS timezone
        FROM s
    )
    SELECT n.*, min(n.line) OVER (PARTITION BY n.email) AS first_line, u.id AS existing_id
    FROM n LEFT JOIN salesflow.users AS u ON lower(u.email) = n.email;

    INSERT INTO salesflow.import_rejects (batch_id, line, field, value, reason)
    SELECT v_batch.id, r.line, p.field, left(p.value, 200), p.reason
    FROM pg_temp.import_user_rows AS r
    CROSS JOIN LATERAL (VALUES
        (r.email IS NULL, 'email', NULL, 'no e-mail (users are recognised by it)'),
        (r.email !~ '^[^@\s]+@[^@\s]+\.[^@\s.]+$', 'email', r.raw_email, 'not an e-mail address'),
        (r.display_name IS NULL, 'display_name', NULL, 'no name'),
        (length(r.display_name) > 200, 'display_name', left(r.display_name, 60), 'longer than 200 characters'),
        (r.role IS NULL, 'role', r.raw_role, 'not a role (rep, manager, admin)'),
        (r.language IS NULL, 'language', r.raw_language, 'salesflow speaks de or en'),
        (NOT salesflow.is_valid_timezone(r.timezone), 'timezone', r.timezone, 'not an IANA time zone (e.g. Europe/Berlin)'),
        (length(r.team) > 200, 'team', left(r.team, 60), 'longer than 200 characters'),
        (r.line > r.first_line, 'email', r.email, 'the same user is already on line ' || r.first_line)
    ) AS p (failed, field, value, reason)
    WHERE p.failed;

    SELECT count(DISTINCT j.line)::integer INTO rejected FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id;
    DELETE FROM pg_temp.import_user_rows AS r
    WHERE EXISTS (SELECT 1 FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id AND j.line = r.line);
    created := 0;
    updated := 0;
    teams_created := 0;
    IF v_batch.mode = 'dry_run' OR (v_batch.mode = 'all' AND rejected > 0) THEN
        SELECT count(*) FILTER (WHERE r.existing_id IS NULL)::integer, count(*) FILTER (WHERE r.existing_id IS NOT NULL)::integer
        INTO created, updated FROM pg_temp.import_user_rows AS r;
    ELSE
        INSERT INTO salesflow.teams (name)
        SELECT DISTINCT ON (lower(r.team)) r.team FROM pg_temp.import_user_rows AS r
        WHERE r.team IS NOT NULL AND NOT EXISTS (SELECT 1 FROM salesflow.teams AS t WHERE lower(t.name) = lower(r.team))
        ORDER BY lower(r.team), r.line;
        GET DIAGNOSTICS teams_created = ROW_COUNT;
        WITH up AS (
            INSERT INTO salesflow.users AS u (email, display_name, role, team_id, language, timezone)
            SELECT r.email, r.display_name, r.role,
                   (SELECT t.id FROM salesflow.teams AS t WHERE lower(t.name) = lower(r.team) ORDER BY t.created_at, t.id LIMIT 1),
                   r.language, r.timezone
            FROM pg_temp.import_user_rows AS r
            ON CONFLICT (email) DO UPDATE
            SET display_name = excluded.display_name, role = excluded.role, team_id = coalesce(excluded.team_id, u.team_id),
                language = excluded.language, timezone = excluded.timezone
            WHERE (u.display_name, u.role, u.team_id, u.language, u.timezone)
                  IS DISTINCT FROM (excluded.display_name, excluded.role, coalesce(excluded.team_id, u.team_id),
                                    excluded.language, excluded.timezone)
            RETURNING (u.xmax = 0) AS is_new
        )
        SELECT count(*) FILTER (WHERE up.is_new)::integer, count(*) FILTER (WHERE NOT up.is_new)::integer
        INTO created, updated FROM up;
    END IF;
    SELECT count(*)::integer - created - updated INTO unchanged FROM pg_temp.import_user_rows;
    DELETE FROM salesflow.staged_users AS st WHERE st.batch_id = v_batch.id;
    UPDATE salesflow.import_batches AS b
    SET counts = b.counts || jsonb_build_object('users', jsonb_build_object(
        'created', created, 'updated', updated, 'unchanged', unchanged, 'rejected', rejected, 'teams_created', teams_created))
    WHERE b.id = v_batch.id;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION salesflow.import_users() IS
'Admins: create or update teams and users (by e-mail) from the staged rows of this transaction''s import; returns counts.';
