-- ============================================================================
-- plan_action_slots: a suggested time (and the channel) for each of a rep's ranked actions
-- ============================================================================
-- requires: best_contact_windows
-- The one answer to "when and how do I contact this lead?" for recommend_followup_actions
-- (and through it plan_day, recs, today, lead, demo).
-- Input: the rep, the day, the capacity per slot and the actions in rank order (arrays aligned:
-- lead id, action kind, follow-up id, the follow-up's planned channel).
-- Day: p_day, or when NULL the rep's today (users.timezone) while one of its slots is still
-- ahead, else the next day; Sunday is skipped (quiet day, as the contact windows).
-- Slots: one per hour of the rep's working hours, 08:00-20:00 in the REP's time zone (slot
-- starts 08:00 .. 19:00), only slots starting after now(); each takes p_capacity actions.
-- Placement, greedy in rank order (so the first k rows are planned the same whatever the limit):
--   planned    a follow-up due on that day: the slot of its due time (or the first one after it);
--   asap       an overdue follow-up: the earliest slot with room (it is late already);
--   window     any other action: the slot of the lead's best contact window (best_contact_windows,
--              all 72 ranked, lead's local weekday x hour) that falls on the day and has room;
--              a full slot sends it to its next-best window, not to the same slot;
--   free_slot  no window of the lead falls on the day with room: the earliest slot with room;
--   none       every slot of the day is full, or none is left (suggested_time NULL).
-- Channel and channel_rule: best_contact_windows -> contact_channel (the one channel rule; planned =
-- the action's follow-up's channel p_planned, else the lead's earliest open follow-up's channel). Internal (no grant, no access check: the caller checked).
CREATE OR REPLACE FUNCTION salesflow.plan_action_slots(
    p_user_id uuid,
    p_day date,
    p_capacity integer,
    p_lead_ids uuid[],
    p_kinds text[],
    p_followup_ids bigint[],
    p_planned text[]
)
RETURNS TABLE (
    ord integer,
    lead_id uuid,
    channel text,
    channel_rule text,
    disg_type text,
    suggested_time timestamptz,
    time_rule text,
    plan_day date
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
-- the window query (best_contact_windows inlined) takes longer to plan than to run
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    c_first_hour constant integer := 8;   -- working hours 08:00-20:00, the rep's time zone
    c_last_hour constant integer := 19;   -- the last slot starts 19:00
    v_tz text;
    v_now_local timestamp;
    v_day date := p_day;
    v_slots timestamptz[];
    v_used integer[];
    v_n integer := coalesce(cardinality(p_lead_ids), 0);
    v_cand_ord integer[];
    v_cand_slot integer[];
    v_channel text[];
    v_rule text[];
    v_disg text[];
    v_due timestamptz[];
    v_planned text[];
    v_ptr integer := 1;
    v_pick integer;
    v_how text;
    k integer;
BEGIN
    SELECT u.timezone INTO v_tz FROM salesflow.users AS u WHERE u.id = p_user_id;
    v_tz := coalesce(v_tz, 'UTC');
    v_now_local := now() AT TIME ZONE v_tz;
    IF v_day IS NULL THEN
        v_day := v_now_local::date;
        IF extract(HOUR FROM v_now_local) >= c_last_hour THEN
            v_day := v_day + 1;
        END IF;
        IF extract(DOW FROM v_day) = 0 THEN
            v_day := v_day + 1;
        END IF;
    END IF;
    SELECT coalesce(array_agg(t.ts ORDER BY t.ts), '{}'), coalesce(array_agg(0), '{}')
    INTO v_slots, v_used
    FROM (
        SELECT (v_day + make_time(h, 0, 0)) AT TIME ZONE v_tz AS ts
        FROM generate_series(c_first_hour, c_last_hour) AS h
    ) AS t
    WHERE t.ts > now();
    IF v_n = 0 THEN
        RETURN;
    END IF;

    -- the planned channel: the action's follow-up's, else the lead's earliest open follow-up with
    -- a channel (so `salesflow lead` and the plan agree for a lead with a follow-up planned)
    v_planned := ARRAY(
        SELECT coalesce(p_planned[i], (
            SELECT f.channel FROM salesflow.followups AS f
            WHERE f.lead_id = p_lead_ids[i] AND f.status = 'open' AND f.channel IS NOT NULL
            ORDER BY f.due_at
            LIMIT 1
        ))
        FROM generate_subscripts(p_lead_ids, 1) AS i
        ORDER BY i
    );
    -- windows of all the actions' leads in one pass; per action its slots in window rank order
    WITH w AS MATERIALIZED (
        SELECT * FROM salesflow.best_contact_windows(p_lead_ids, 72, v_planned)
    ),
    a AS (
        SELECT x.lead_id, x.ord::integer AS ord, l.timezone
        FROM unnest(p_lead_ids) WITH ORDINALITY AS x (lead_id, ord)
        LEFT JOIN salesflow.leads AS l ON l.id = x.lead_id
    ),
    sl AS MATERIALIZED (
        -- each slot in each lead's local weekday and hour: actions x slots conversions, not x windows
        SELECT
            a.ord, a.lead_id, i AS idx,
            extract(DOW FROM v_slots[i] AT TIME ZONE a.timezone)::integer AS wd,
            extract(HOUR FROM v_slots[i] AT TIME ZONE a.timezone)::integer AS hr
        FROM a
        CROSS JOIN generate_subscripts(v_slots, 1) AS i
    ),
    cand AS (
        SELECT sl.ord, sl.idx, w.window_rank
        FROM sl
        INNER JOIN w ON w.lead_id = sl.lead_id AND w.weekday = sl.wd AND w.hour = sl.hr
    )
    SELECT
        (SELECT array_agg(c.ord ORDER BY c.ord, c.window_rank) FROM cand AS c),
        (SELECT array_agg(c.idx ORDER BY c.ord, c.window_rank) FROM cand AS c),
        (SELECT array_agg(w1.channel ORDER BY a.ord) FROM a LEFT JOIN w AS w1 ON w1.lead_id = a.lead_id AND w1.window_rank = 1),
        (SELECT array_agg(w1.channel_rule ORDER BY a.ord) FROM a LEFT JOIN w AS w1 ON w1.lead_id = a.lead_id AND w1.window_rank = 1),
        (SELECT array_agg(w1.disg_type ORDER BY a.ord) FROM a LEFT JOIN w AS w1 ON w1.lead_id = a.lead_id AND w1.window_rank = 1),
        (
            SELECT array_agg(f.due_at ORDER BY a.ord)
            FROM a LEFT JOIN salesflow.followups AS f ON f.id = p_followup_ids[a.ord]
        )
    INTO v_cand_ord, v_cand_slot, v_channel, v_rule, v_disg, v_due;

    FOR i IN 1 .. v_n LOOP
        v_pick := NULL;
        v_how := NULL;
        IF p_kinds[i] = 'followup_due' AND v_due[i] IS NOT NULL THEN
            FOR k IN 1 .. coalesce(cardinality(v_slots), 0) LOOP
                IF v_slots[k] + interval '1 hour' > v_due[i] AND v_used[k] < p_capacity THEN
                    v_pick := k;
                    v_how := 'planned';
                    EXIT;
                END IF;
            END LOOP;
        END IF;
        -- this action's window candidates (cand is sorted by ord, then rank)
        WHILE v_ptr <= coalesce(cardinality(v_cand_ord), 0) AND v_cand_ord[v_ptr] < i LOOP
            v_ptr := v_ptr + 1;
        END LOOP;
        IF v_pick IS NULL AND p_kinds[i] IS DISTINCT FROM 'followup_overdue' THEN
            k := v_ptr;
            WHILE k <= coalesce(cardinality(v_cand_ord), 0) AND v_cand_ord[k] = i LOOP
                IF v_used[v_cand_slot[k]] < p_capacity THEN
                    v_pick := v_cand_slot[k];
                    v_how := 'window';
                    EXIT;
                END IF;
                k := k + 1;
            END LOOP;
        END IF;
        IF v_pick IS NULL THEN
            FOR k IN 1 .. coalesce(cardinality(v_slots), 0) LOOP
                IF v_used[k] < p_capacity THEN
                    v_pick := k;
                    v_how := CASE WHEN p_kinds[i] = 'followup_overdue' THEN 'asap' ELSE 'free_slot' END;
                    EXIT;
                END IF;
            END LOOP;
        END IF;
        IF v_pick IS NOT NULL THEN
            v_used[v_pick] := v_used[v_pick] + 1;
        END IF;
        ord := i;
        lead_id := p_lead_ids[i];
        channel := v_channel[i];
        channel_rule := v_rule[i];
        disg_type := v_disg[i];
        suggested_time := v_slots[v_pick];
        time_rule := coalesce(v_how, 'none');
        plan_day := v_day;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION salesflow.plan_action_slots(uuid, date, integer, uuid[], text[], bigint[], text[]) IS
'Internal: suggested time (rep working hours 08-20 in users.timezone, p_capacity actions per hour slot, the lead''s '
'best windows first, overdue follow-ups as soon as possible) and channel (contact_channel) for ranked actions.';
