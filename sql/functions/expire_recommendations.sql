-- ============================================================================
-- expire_recommendations: time decay + expiry automation (called by refresh_all_ki_views)
-- ============================================================================
-- An open recommendation expires when expires_at has passed or its effective priority
-- base * 0.5^(age / half-life) has dropped below 5. Both moments are folded into the indexed
-- expression recommendation_expiry_at(...), so this touches only the rows that expire.
CREATE OR REPLACE FUNCTION salesflow.expire_recommendations()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM salesflow.require_admin('expire_recommendations');
    -- SKIP LOCKED: a recommendation someone is resolving right now (update_recommendation in an
    -- open transaction) expires on the next run instead of stalling this one
    UPDATE salesflow.ai_recommendations AS r
    SET status = 'expired', resolved_at = now()
    WHERE r.id IN (
        SELECT x.id FROM salesflow.ai_recommendations AS x
        WHERE x.status = 'open'
          AND salesflow.recommendation_expiry_at(x.created_at, x.base_priority, x.half_life_hours, x.expires_at) <= now()
        FOR UPDATE SKIP LOCKED
    );
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION salesflow.expire_recommendations() IS
'Sets status expired on open recommendations past expires_at or with effective priority below 5; returns how many.';
