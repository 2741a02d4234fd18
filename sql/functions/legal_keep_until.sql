-- ============================================================================
-- legal_keep_until: the end of the legal keeping period of a lead (NULL: none applies)
-- ============================================================================
-- The latest end among the enabled legal-period retention rules that apply to the lead:
--   business_letters    the lead has correspondence (activities): period from the last activity
--   accounting_records  the lead was won (a deal: invoices): period from closed_at
-- with from_year_end: counted from the end of that calendar year in the lead's time zone
-- (§257 HGB / §147 AO: 6 and 10 years from the end of the year).
CREATE OR REPLACE FUNCTION salesflow.legal_keep_until(p_lead salesflow.leads)
RETURNS timestamptz
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT max(
        CASE WHEN r.from_year_end
            THEN ((date_trunc('year', x.ref AT TIME ZONE p_lead.timezone) + interval '1 year' + r.period) AT TIME ZONE p_lead.timezone)
            ELSE x.ref + r.period
        END
    )
    FROM salesflow.retention_rules AS r
    CROSS JOIN LATERAL (
        SELECT CASE r.condition
            WHEN 'business_letters' THEN (SELECT max(a.occurred_at) FROM salesflow.lead_activities AS a WHERE a.lead_id = p_lead.id)
            WHEN 'accounting_records' THEN CASE WHEN p_lead.stage = 'won' THEN coalesce(p_lead.closed_at, p_lead.updated_at) END
        END AS ref
    ) AS x
    WHERE r.enabled AND r.condition IN ('business_letters', 'accounting_records') AND x.ref IS NOT NULL;
$$;
COMMENT ON FUNCTION salesflow.legal_keep_until(salesflow.leads) IS
'Internal: end of the lead''s legal keeping period from the enabled business_letters / accounting_records retention rules '
'(latest end; NULL when none applies).';
