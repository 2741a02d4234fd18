-- ============================================================================
-- add_lead: create a lead, owned by the caller or by a user the caller may see
-- ============================================================================
-- Owner: p_owner_id, else the caller; the trusted owner (CLI without --user) must name one. A
-- sales caller may only create leads for users in visible_user_ids() (rep: self, manager: team,
-- admin: all); anyone else -> 42501, one error for unknown and invisible users (no oracle).
-- Defaults from the owner: language and timezone. Country: a code or a name (import_country).
-- Consent: given only with its wording (GDPR Art. 7(1)); the consent trigger records it with
-- source 'cli'. A lead created as won or lost gets closed_at = now().
CREATE OR REPLACE FUNCTION salesflow.add_lead(
    p_name text,
    p_email text DEFAULT NULL,
    p_phone text DEFAULT NULL,
    p_company text DEFAULT NULL,
    p_source text DEFAULT NULL,
    p_country text DEFAULT NULL,
    p_language text DEFAULT NULL,
    p_timezone text DEFAULT NULL,
    p_stage text DEFAULT NULL,
    p_deal_value numeric DEFAULT NULL,
    p_consent_wording text DEFAULT NULL,
    p_owner_id uuid DEFAULT NULL
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_owner salesflow.users;
    v_country text;
    v_stage text := coalesce(p_stage, 'new');
    v_id uuid;
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION 'p_name must not be empty' USING ERRCODE = '22023', HINT = 'Pass the lead''s name, e.g. ''Anna Becker''.';
    END IF;
    PERFORM salesflow.check_text_length('p_name', p_name, 200, 'Pass a name, not a description.');
    PERFORM salesflow.check_text_length('p_company', p_company, 200, 'Pass the company name only.');
    PERFORM salesflow.check_text_length('p_email', p_email, 200, 'Pass one e-mail address.');
    PERFORM salesflow.check_text_length('p_consent_wording', p_consent_wording, 4000, 'Store the consent text itself, not a whole document.', false);
    IF p_email IS NOT NULL AND btrim(p_email) !~ '^[^@\s]+@[^@\s]+$' THEN
        RAISE EXCEPTION 'p_email is not an e-mail address: %', quote_literal(left(p_email, 60))
            USING ERRCODE = '22023', HINT = 'e.g. anna@example.org';
    END IF;
    IF p_phone IS NOT NULL AND (length(p_phone) > 30 OR btrim(p_phone) !~ '^\+?[0-9 ()/.-]{4,30}$') THEN
        RAISE EXCEPTION 'p_phone is not a phone number: %', quote_literal(left(p_phone, 60))
            USING ERRCODE = '22023', HINT = 'Digits, spaces and ()/.- with an optional leading +, e.g. +49 151 2345678.';
    END IF;
    IF p_source IS NOT NULL AND (length(p_source) > 40 OR p_source !~ '^[a-z][a-z0-9_]{1,39}$') THEN
        RAISE EXCEPTION 'p_source must be a lower-case key, got %', quote_literal(left(p_source, 60))
            USING ERRCODE = '22023', HINT = 'e.g. referral, instagram, event, website.';
    END IF;
    IF p_country IS NOT NULL THEN
        PERFORM salesflow.check_text_length('p_country', p_country, 100, 'Pass a country code (DE) or name.');
        v_country := salesflow.import_country(p_country);
        IF v_country IS NULL THEN
            RAISE EXCEPTION 'p_country is not a known country: %', quote_literal(left(p_country, 60))
                USING ERRCODE = '22023', HINT = 'Pass an ISO code (DE, AT, CH) or a name (Deutschland, Austria).';
        END IF;
    END IF;
    IF p_language IS NOT NULL AND p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language must be de or en, got %', quote_literal(left(p_language, 60))
            USING ERRCODE = '22023', HINT = 'Leave it out to use the owner''s language.';
    END IF;
    IF p_timezone IS NOT NULL AND (length(p_timezone) > 100 OR NOT salesflow.is_valid_timezone(p_timezone)) THEN
        RAISE EXCEPTION 'p_timezone is not a time zone: %', quote_literal(left(p_timezone, 60))
            USING ERRCODE = '22023', HINT = 'e.g. Europe/Berlin, Europe/Vienna, America/New_York.';
    END IF;
    IF v_stage NOT IN ('new', 'contacted', 'replied', 'meeting', 'proposal', 'won', 'lost') THEN
        RAISE EXCEPTION 'p_stage must be a stage, got %', quote_literal(left(v_stage, 60))
            USING ERRCODE = '22023', HINT = 'One of new, contacted, replied, meeting, proposal, won, lost.';
    END IF;
    IF p_deal_value IS NOT NULL AND (p_deal_value = 'NaN' OR p_deal_value < 0 OR p_deal_value >= 10000000000) THEN
        RAISE EXCEPTION 'p_deal_value must be between 0 and 9,999,999,999.99, got %', p_deal_value
            USING ERRCODE = '22023', HINT = 'The expected deal value in the lead''s currency, e.g. 1500.';
    END IF;
    IF p_consent_wording IS NOT NULL AND btrim(p_consent_wording) = '' THEN
        RAISE EXCEPTION 'p_consent_wording must not be blank'
            USING ERRCODE = '22023', HINT = 'Pass the exact text the person agreed to, or NULL (no consent yet).';
    END IF;

    SELECT u.* INTO v_owner FROM salesflow.users AS u WHERE u.id = coalesce(p_owner_id, v_me);
    IF v_me IS NULL AND p_owner_id IS NULL THEN
        RAISE EXCEPTION 'p_owner_id must not be NULL without an identity'
            USING ERRCODE = '22023', HINT = 'Name the user who owns the lead (the CLI: --owner USER or --user USER).';
    END IF;
    IF v_me IS NOT NULL AND (NOT FOUND OR NOT v_owner.id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid []))) THEN
        RAISE EXCEPTION 'you may not create leads for user % (p_owner_id)', p_owner_id
            USING ERRCODE = '42501', HINT = 'Reps create leads for themselves, managers for their team, admins for everyone.';
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user % (p_owner_id) not found', p_owner_id
            USING ERRCODE = 'P0002', HINT = 'List users with: salesflow users list';
    END IF;

    IF p_consent_wording IS NOT NULL THEN
        PERFORM set_config('salesflow.consent_source', 'cli', true);
        PERFORM set_config('salesflow.consent_wording', btrim(p_consent_wording), true);
    END IF;
    INSERT INTO salesflow.leads AS l (
        user_id, name, company, email, phone, source, country, language, timezone, stage, deal_value, consent, consent_at,
        closed_at
    )
    VALUES (
        v_owner.id, btrim(p_name), nullif(btrim(p_company), ''), btrim(p_email), btrim(p_phone), coalesce(p_source, 'other'),
        v_country, coalesce(p_language, v_owner.language), coalesce(p_timezone, v_owner.timezone), v_stage, p_deal_value,
        p_consent_wording IS NOT NULL, CASE WHEN p_consent_wording IS NOT NULL THEN now() END,
        CASE WHEN v_stage IN ('won', 'lost') THEN now() END
    )
    RETURNING l.id INTO v_id;
    PERFORM set_config('salesflow.consent_source', '', true);
    PERFORM set_config('salesflow.consent_wording', '', true);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.add_lead(text, text, text, text, text, text, text, text, text, numeric, text, uuid) IS
'Create a lead (name, email, phone, company, source, country, language, timezone, stage, deal value, consent wording, owner: '
'default the caller; reps for themselves, managers their team, admins all); returns the new lead id.';
