-- ============================================================================
-- gdpr_find_leads: the leads the caller may see with this e-mail or phone (access requests)
-- ============================================================================
-- Exactly one of p_email (case-insensitive) and p_phone (compared as digits only). Reps see
-- their own leads, managers their team's, admins and the owner all (as lead_for_caller).
CREATE OR REPLACE FUNCTION salesflow.gdpr_find_leads(p_email text DEFAULT NULL, p_phone text DEFAULT NULL)
RETURNS TABLE (lead_id uuid, name text, email text, phone text, owner_name text, stage text, created_at timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();
    v_digits text := regexp_replace(coalesce(p_phone, ''), '[^0-9]', '', 'g');
BEGIN
    IF (nullif(btrim(p_email), '') IS NULL) = (nullif(btrim(p_phone), '') IS NULL) THEN
        RAISE EXCEPTION 'pass exactly one of p_email and p_phone'
            USING ERRCODE = '22023', HINT = 'Example: salesflow.gdpr_find_leads(p_email => ''anna@example.org'').';
    END IF;
    IF length(p_email) > 320 OR length(p_phone) > 40 THEN
        RAISE EXCEPTION 'p_email (at most 320 characters) or p_phone (at most 40) is too long: % / % characters',
            coalesce(length(p_email), 0), coalesce(length(p_phone), 0)
            USING ERRCODE = '22023', HINT = 'Pass one e-mail address or one phone number.';
    END IF;
    IF p_phone IS NOT NULL AND length(v_digits) < 4 THEN
        RAISE EXCEPTION 'p_phone % has fewer than 4 digits', quote_literal(p_phone)
            USING ERRCODE = '22023', HINT = 'Pass the phone number as stored, e.g. +49 151 2345678.';
    END IF;
    RETURN QUERY
    SELECT l.id, l.name, l.email, l.phone, u.display_name, l.stage, l.created_at
    FROM salesflow.leads AS l
    JOIN salesflow.users AS u ON l.user_id = u.id
    WHERE (v_me IS NULL OR l.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])))
      AND CASE WHEN p_phone IS NULL
          THEN lower(l.email) = lower(btrim(p_email))
          ELSE regexp_replace(l.phone, '[^0-9]', '', 'g') = v_digits
      END
    ORDER BY l.created_at, l.id;
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_find_leads(text, text) IS
'DSGVO requests: the visible leads with this e-mail (case-insensitive) or phone (digits only); exactly one of the two (22023).';
