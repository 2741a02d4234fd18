-- ============================================================================
-- gdpr_legal_hold_until: until when the law requires keeping the lead (NULL: it may be erased)
-- ============================================================================
-- gdpr_erase refuses a lead whose hold lies in the future unless p_override_retention with a
-- reason (logged). Held are: a restricted lead, until its restricted_until (set by an admin or by
-- the retention rules), else until its legal keeping period (legal_keep_until); and a won
-- customer, whose letters and accounting records §257 HGB / §147 AO keep 6 and 10 years. A
-- prospect who never bought is not held: an Art. 17 request erases them.
-- requires: legal_keep_until
CREATE OR REPLACE FUNCTION salesflow.gdpr_legal_hold_until(p_lead_id uuid)
RETURNS timestamptz
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE
        WHEN l.restricted_at IS NOT NULL THEN coalesce(l.restricted_until, salesflow.legal_keep_until(l))
        WHEN l.stage = 'won' THEN salesflow.legal_keep_until(l)
    END
    FROM salesflow.leads AS l
    WHERE l.id = p_lead_id;
$$;
COMMENT ON FUNCTION salesflow.gdpr_legal_hold_until(uuid) IS
'Internal: the end of a legal hold that forbids erasing the lead (restricted: restricted_until or the legal period; won: the legal period); NULL: none.';
