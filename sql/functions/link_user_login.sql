-- ============================================================================
-- link_user_login: map a personal login role to a salesflow user (or unlink with NULL)
-- ============================================================================
-- Owner only (no grant): whoever links a login decides who that login is. Refuses logins that
-- must never be a sales user: superusers, the schema owner's roles and gateways (they assert
-- users instead), and a login already linked to someone else. The role's group membership
-- (salesflow_rep/_manager/_admin) is the CLI's job (salesflow users login), not this function's.
CREATE OR REPLACE FUNCTION salesflow.link_user_login(p_user_id uuid, p_db_role name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_role pg_roles;
    v_other uuid;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM salesflow.users AS u WHERE u.id = p_user_id) THEN
        RAISE EXCEPTION 'user % (p_user_id) not found', coalesce(p_user_id::text, 'NULL')
            USING ERRCODE = 'P0002', HINT = 'List users with: salesflow users list';
    END IF;
    IF p_db_role IS NOT NULL THEN
        SELECT r.* INTO v_role FROM pg_roles AS r WHERE r.rolname = p_db_role;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'role % (p_db_role) does not exist', quote_ident(p_db_role)
                USING ERRCODE = '22023', HINT = 'Create it first (salesflow users login USER --create does).';
        END IF;
        IF salesflow.acts_as_owner(p_db_role)
           OR (EXISTS (SELECT 1 FROM pg_roles AS g WHERE g.rolname = 'salesflow_gateway')
               AND pg_has_role(v_role.oid, 'salesflow_gateway', 'MEMBER'))
           OR p_db_role IN ('salesflow_rep', 'salesflow_manager', 'salesflow_admin', 'salesflow_gateway') THEN
            RAISE EXCEPTION 'role % cannot be a personal login: it is a superuser, the schema owner, a gateway or a group', quote_ident(p_db_role)
                USING ERRCODE = '22023', HINT = 'Use a dedicated LOGIN role per person, member of one salesflow group only.';
        END IF;
        SELECT u.id INTO v_other FROM salesflow.users AS u WHERE u.db_role = p_db_role AND u.id <> p_user_id;
        IF FOUND THEN
            RAISE EXCEPTION 'role % is already the login of user %', quote_ident(p_db_role), v_other
                USING ERRCODE = '22023', HINT = 'One login per user: unlink it there first (salesflow users login OTHER --unlink).';
        END IF;
    END IF;
    UPDATE salesflow.users AS u SET db_role = p_db_role, updated_at = now() WHERE u.id = p_user_id;
END;
$$;
COMMENT ON FUNCTION salesflow.link_user_login(uuid, name) IS
'Owner only: make p_db_role the personal login of user p_user_id (NULL unlinks); refuses superusers, the owner, gateways, groups and a login linked elsewhere.';
