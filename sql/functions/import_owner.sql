-- ============================================================================
-- import_owner: the salesflow user an import row's owner names (e-mail, uuid or display name)
-- ============================================================================
-- p_map translates CRM owner ids first ({"0055g00000AbCdE": "anna@example.com"}). Only users
-- in p_visible are candidates (NULL: everyone, the trusted owner), so a rep cannot import
-- leads into another team and cannot probe which e-mails exist. A display name must be unique.
CREATE OR REPLACE FUNCTION salesflow.import_owner(p_owner text, p_map jsonb, p_visible uuid[])
RETURNS uuid
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    WITH wanted AS (
        SELECT lower(btrim(coalesce(p_map ->> btrim(p_owner), p_owner))) AS v
    )
    SELECT coalesce(
        (SELECT u.id FROM salesflow.users AS u, wanted AS w
         WHERE (lower(u.email) = w.v OR u.id::text = w.v) AND (p_visible IS NULL OR u.id = ANY (p_visible))
         LIMIT 1),
        (SELECT min(u.id::text)::uuid FROM salesflow.users AS u, wanted AS w
         WHERE lower(btrim(u.display_name)) = w.v AND (p_visible IS NULL OR u.id = ANY (p_visible))
         HAVING count(*) = 1)
    );
$$;
COMMENT ON FUNCTION salesflow.import_owner(text, jsonb, uuid[]) IS
'Internal: resolve an import owner (mapped id, e-mail, uuid or unique display name) among the visible users.';
