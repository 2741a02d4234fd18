-- ============================================================================
-- gdpr_lead_terms: the strings that identify a lead in free text (name, e-mail, phone, id)
-- ============================================================================
-- Full name, e-mail, phone as stored and as digits only (>= 6 digits), the id with and without
-- dashes, the external id; p_with_parts adds each name part of 3+ letters (for texts known to
-- be about the lead, e.g. coaching turns linked to it).
CREATE OR REPLACE FUNCTION salesflow.gdpr_lead_terms(p_lead salesflow.leads, p_with_parts boolean DEFAULT false)
RETURNS text[]
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT array_agg(DISTINCT t.term ORDER BY t.term)
    FROM (
        SELECT unnest(ARRAY[
            btrim(p_lead.name), p_lead.email, p_lead.phone,
            CASE WHEN length(regexp_replace(p_lead.phone, '[^0-9]', '', 'g')) >= 6
                THEN regexp_replace(p_lead.phone, '[^0-9]', '', 'g') END,
            p_lead.id::text, replace(p_lead.id::text, '-', ''), p_lead.external_id
        ]) AS term
        UNION ALL
        SELECT p.part
        FROM regexp_split_to_table(p_lead.name, '[^[:alpha:]]+') AS p (part)
        WHERE p_with_parts AND length(p.part) >= 3
    ) AS t
    WHERE t.term IS NOT NULL AND btrim(t.term) <> '';
$$;
COMMENT ON FUNCTION salesflow.gdpr_lead_terms(salesflow.leads, boolean) IS
'Internal: name, e-mail, phone (as stored and digits only), id (with and without dashes), external id; '
'with p_with_parts also each name part of 3+ letters.';
