-- ============================================================================
-- find_leads: the visible leads a reference names (uuid, id prefix, e-mail or name)
-- ============================================================================
-- What every LEAD argument of the CLI resolves through. A full uuid matches the id; 6 or more
-- hex digits (dashes ignored) match ids starting with them, as git does with commits (an index
-- range scan: the prefix padded with 0 and with f gives the bounds); otherwise the e-mail or the
-- name, case-insensitive. When nothing matches exactly, names containing the reference come back
-- as match = 'partial' (candidates to show, never a match). Visibility as lead_for_caller.
CREATE OR REPLACE FUNCTION salesflow.find_leads(p_ref text, p_limit integer DEFAULT 6)
RETURNS TABLE (lead_id uuid, name text, company text, email text, owner_name text, stage text, match text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_ref text := btrim(p_ref);
    v_hex text := lower(replace(btrim(p_ref), '-', ''));
    v_seen uuid [];
BEGIN
    IF nullif(v_ref, '') IS NULL THEN
        RAISE EXCEPTION 'p_ref must not be empty'
            USING ERRCODE = '22023', HINT = 'Pass a lead id, an id prefix (6+ hex digits), an e-mail or a name.';
    END IF;
    IF length(v_ref) > 320 THEN
        RAISE EXCEPTION 'p_ref is too long: % characters (at most 320)', length(v_ref)
            USING ERRCODE = '22023', HINT = 'Pass a lead id, an id prefix, an e-mail or a name.';
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 100, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass how many candidates to list, e.g. 6.';
    END IF;
    IF v_me IS NOT NULL THEN
        v_seen := coalesce(salesflow.visible_user_ids(), '{}'::uuid []);
    END IF;
    RETURN QUERY
    SELECT l.id, l.name, l.company, l.email, u.display_name, l.stage,
        CASE WHEN v_hex ~ '^[0-9a-f]{32}$' THEN 'id'
            WHEN v_hex ~ '^[0-9a-f]{6,31}$' AND starts_with(replace(l.id::text, '-', ''), v_hex) THEN 'prefix'
            WHEN lower(l.email) = lower(v_ref) THEN 'email' ELSE 'name' END
    FROM salesflow.leads AS l
    JOIN salesflow.users AS u ON l.user_id = u.id
    WHERE (v_me IS NULL OR l.user_id = ANY (v_seen))
      AND CASE
          WHEN v_hex ~ '^[0-9a-f]{32}$' THEN l.id = v_hex::uuid
          WHEN v_hex ~ '^[0-9a-f]{6,31}$'
              THEN (l.id BETWEEN rpad(v_hex, 32, '0')::uuid AND rpad(v_hex, 32, 'f')::uuid)
              OR lower(l.email) = lower(v_ref) OR lower(l.name) = lower(v_ref)
          ELSE lower(l.email) = lower(v_ref) OR lower(l.name) = lower(v_ref)
      END
    ORDER BY l.name, l.id
    LIMIT p_limit;
    IF FOUND THEN
        RETURN;
    END IF;
    -- nothing exact: names and companies containing the reference, as candidates only
    RETURN QUERY
    SELECT l.id, l.name, l.company, l.email, u.display_name, l.stage, 'partial'::text
    FROM salesflow.leads AS l
    JOIN salesflow.users AS u ON l.user_id = u.id
    WHERE (v_me IS NULL OR l.user_id = ANY (v_seen))
      AND (strpos(lower(l.name), lower(v_ref)) > 0 OR strpos(lower(l.company), lower(v_ref)) > 0)
    ORDER BY l.name, l.id
    LIMIT p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.find_leads(text, integer) IS
'The visible leads a reference names: full uuid, 6+ hex id prefix, e-mail or name (exact); else names containing it (match = partial).';
