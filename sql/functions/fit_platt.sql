-- ============================================================================
-- fit_platt: Platt scaling, P(won) = 1 / (1 + exp(-(slope * logit + intercept)))
-- ============================================================================
-- Fitted by Newton's method with step halving on groups of equal logits (p_won / p_lost leads
-- per logit), with Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) so a perfectly
-- separated sample does not push the fit to 0 % and 100 %. A negative slope (the logit ranks
-- backwards) is not trusted: the fit is then redone with slope 0, i.e. the smoothed base rate.
-- Empty input: slope 1, intercept 0 (the raw logit).
-- requires: platt_term
CREATE OR REPLACE FUNCTION salesflow.fit_platt(p_logit double precision[], p_won integer[], p_lost integer[])
RETURNS TABLE (slope double precision, intercept double precision)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_pos double precision;
    v_neg double precision;
    v_tp double precision;
    v_tn double precision;
    v_a double precision := 0;
    v_b double precision;
    v_loss double precision;
    v_new_loss double precision;
    v_ga double precision;
    v_gb double precision;
    v_haa double precision;
    v_hab double precision;
    v_hbb double precision;
    v_det double precision;
    v_da double precision;
    v_db double precision;
    v_step double precision;
    v_fix_slope boolean := false;
BEGIN
    SELECT coalesce(sum(w), 0), coalesce(sum(l), 0) INTO v_pos, v_neg FROM unnest(p_won, p_lost) AS x (w, l);
    IF v_pos + v_neg = 0 THEN
        RETURN QUERY SELECT 1::double precision, 0::double precision;
        RETURN;
    END IF;
    v_tp := (v_pos + 1) / (v_pos + 2);
    v_tn := 1 / (v_neg + 2);
    <<fit>>
    LOOP
        v_a := 0;
        v_b := ln((v_pos + 1) / (v_neg + 1));
        FOR i IN 1..50 LOOP
            -- loss, gradient and Hessian of the cross-entropy against the smoothed targets
            SELECT
                sum(x.w * salesflow.platt_term(v_a * x.z + v_b, v_tp) + x.l * salesflow.platt_term(v_a * x.z + v_b, v_tn)),
                sum((x.w * (x.p - v_tp) + x.l * (x.p - v_tn)) * x.z),
                sum(x.w * (x.p - v_tp) + x.l * (x.p - v_tn)),
                sum((x.w + x.l) * x.p * (1 - x.p) * x.z * x.z),
                sum((x.w + x.l) * x.p * (1 - x.p) * x.z),
                sum((x.w + x.l) * x.p * (1 - x.p))
            INTO v_loss, v_ga, v_gb, v_haa, v_hab, v_hbb
            FROM (
                SELECT u.z, u.w, u.l, 1 / (1 + exp(-least(greatest(v_a * u.z + v_b, -700), 700))) AS p
                FROM unnest(p_logit, p_won, p_lost) AS u (z, w, l)
            ) AS x;
            IF v_fix_slope THEN
                v_da := 0;
                v_db := -v_gb / (v_hbb + 1e-12);
            ELSE
                -- a tiny ridge keeps the 2x2 system solvable when every logit is equal
                v_haa := v_haa + 1e-12;
                v_hbb := v_hbb + 1e-12;
                v_det := v_haa * v_hbb - v_hab * v_hab;
                v_da := -(v_hbb * v_ga - v_hab * v_gb) / v_det;
                v_db := -(v_haa * v_gb - v_hab * v_ga) / v_det;
            END IF;
            -- converged: Newton steps this small change no probability in the 9th digit
            EXIT WHEN abs(v_da) < 1e-9 AND abs(v_db) < 1e-9;
            v_step := 1;
            LOOP
                SELECT sum(u.w * salesflow.platt_term((v_a + v_step * v_da) * u.z + v_b + v_step * v_db, v_tp)
                    + u.l * salesflow.platt_term((v_a + v_step * v_da) * u.z + v_b + v_step * v_db, v_tn))
                INTO v_new_loss
                FROM unnest(p_logit, p_won, p_lost) AS u (z, w, l);
                EXIT WHEN v_new_loss <= v_loss OR v_step < 1e-3;
                v_step := v_step / 2;
            END LOOP;
            -- no descent left (rounding noise at the optimum): done
            EXIT WHEN v_new_loss > v_loss OR v_loss - v_new_loss < 1e-13 * greatest(v_loss, 1);
            v_a := v_a + v_step * v_da;
            v_b := v_b + v_step * v_db;
        END LOOP;
        EXIT fit WHEN v_a >= 0 OR v_fix_slope;
        v_fix_slope := true;
    END LOOP;
    RETURN QUERY SELECT greatest(v_a, 0), v_b;
END;
$$;
COMMENT ON FUNCTION salesflow.fit_platt(double precision[], integer[], integer[]) IS
'Internal: Platt scaling fit (slope, intercept) on groups of equal logits with won/lost counts.';
