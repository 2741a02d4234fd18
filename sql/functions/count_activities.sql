-- requires: recommend_profiling
-- ============================================================================
-- count_activities: queued activities -> engagement counters, stale memory, channel metrics
-- ============================================================================
-- Called by the drain (claim_dirty_leads) for the activities queued in dirty_leads since the last
-- one, never inside a writer's transaction: the counters are rows many writers would share (a
-- lead's lead_engagement row, a rep's channel bucket), and writers updating them in place in
-- different orders deadlocked (40P01, issue 15). Now one drain at a time writes them, in lead order,
-- after locking the leads' rows with SKIP LOCKED; writers only append to the queue.
--
-- Per call (one set-based statement for the whole batch, however many activities):
--   1. lead_engagement: inbound/outbound/reply counts, first channel and contact, last inbound,
--      last outbound (+ its channel), last activity, the latest six inbound timestamps.
--   2. lead_context_summaries of those leads: is_stale = true, stale_since = now() (when it was fresh).
--   3. channel_performance_metrics in the LEAD's local weekday x hour (leads.timezone):
--      outbound -> sent + 1 in its bucket; an inbound that answers the lead's latest prior
--      outbound within 24 h (no other inbound in between) -> replied + 1 in THAT outbound's bucket.
--   then recommend_profiling for the leads that received inbound contacts (it reads the new counts).
--
-- Replies: each lead's new contacts are ordered by occurred_at (lag() per lead); the predecessor
-- of a lead's first new contact is the latest event of its known state (last outbound, last inbound,
-- one lookup per lead) not after it. An inbound whose predecessor is an outbound at most 24 h
-- earlier is a reply. Several rows per lead in one batch are therefore handled in time order.
-- Approximation: an activity with an occurred_at OLDER than the lead's last known contact is
-- counted, but only compared with the rows of its own batch and that state (the full history is
-- not re-read: that would scan lead_activities).
--
-- median_reply_minutes is approximated: each batch computes the exact median of the reply delays it
-- adds to a bucket, and the stored value becomes the average of the stored median and the new one,
-- weighted by their reply counts (exact when a bucket's replies arrive in one batch, close
-- otherwise; exact medians would need every delay kept).
--
-- Notes (kind 'note') are internal: they move last_activity_at and mark memory stale, nothing else.
-- UPDATE/DELETE of activities do not change counters (activities are an append-only log in practice).
-- An activity deleted before the drain (erasure, retention) is simply not counted.
--
-- The statement is written once (v_statement below) and placed into the function twice by this
-- DO block: small batches (<= 100 activities, the usual drain every few seconds) run it as static
-- SQL, planned once per session for a small batch (index probes everywhere); bigger ones (a backlog,
-- an import, the seed) run the same text through EXECUTE, planned for their real size (hash joins
-- instead of 100k index probes). A static plan cannot serve both: it keeps the batch size it was
-- first planned with. The two differ only in how lk reads the leads' state (v_lookup_small /
-- v_lookup_bulk) and how the ids are passed. Edit the statement here; deploy regenerates the function.

DO $do$
DECLARE
    -- %1$s: how lk reads the leads' state, %2$s: the activity ids (a variable or $1)
    v_statement constant text := $statement$
    WITH new_activities AS (
        SELECT a.*
        FROM unnest(%2$s::bigint []) AS i (id)
        INNER JOIN salesflow.lead_activities AS a ON i.id = a.id
    ),
    n AS (
        SELECT
            a.lead_id,
            a.user_id,
            a.channel,
            a.direction,
            a.occurred_at,
            a.kind <> 'note' AS is_contact,
            lag(a.direction) OVER w AS prev_direction,
            lag(a.occurred_at) OVER w AS prev_at,
            lag(a.channel) OVER w AS prev_channel
        FROM new_activities AS a
        WINDOW w AS (PARTITION BY a.lead_id, a.kind <> 'note' ORDER BY a.occurred_at, a.direction DESC)
    ),
    batch_leads AS (
        SELECT DISTINCT n.lead_id FROM n
    ),
    lk AS (
        -- each lead's known state (last outbound / inbound) and its time zone: %1$s
    ),
    fresh AS (
        -- the predecessor of a lead's first new contact is the latest known event not after it
        SELECT
            x.*,
            (
                x.is_contact AND x.direction = 'in' AND x.p_direction = 'out'
                AND x.occurred_at - x.p_at <= interval '24 hours'
            ) AS is_reply
        FROM (
            SELECT
                y.lead_id,
                y.user_id,
                y.channel,
                y.direction,
                y.occurred_at,
                y.is_contact,
                y.timezone,
                CASE y.pred WHEN 'batch' THEN y.prev_direction ELSE y.pred END AS p_direction,
                CASE y.pred WHEN 'batch' THEN y.prev_at WHEN 'out' THEN y.last_outbound_at WHEN 'in' THEN y.last_inbound_at END AS p_at,
                CASE y.pred WHEN 'batch' THEN y.prev_channel WHEN 'out' THEN y.last_outbound_channel END AS p_channel
            FROM (
                SELECT
                    n.*,
                    k.timezone,
                    k.last_inbound_at,
                    k.last_outbound_at,
                    k.last_outbound_channel,
                    -- which event precedes the row: the previous row of this statement ('batch'), else the
                    -- lead's last outbound or last inbound not after it, else none
                    CASE
                        WHEN n.prev_direction IS NOT NULL OR NOT n.is_contact THEN 'batch'
                        WHEN k.last_outbound_at <= n.occurred_at
                            AND (k.last_inbound_at IS NULL OR k.last_inbound_at > n.occurred_at OR k.last_outbound_at > k.last_inbound_at)
                            THEN 'out'
                        WHEN k.last_inbound_at <= n.occurred_at THEN 'in'
                    END AS pred
                FROM n
                INNER JOIN lk AS k ON n.lead_id = k.lead_id
            ) AS y
        ) AS x
    ),
    per_lead AS (
        SELECT
            f.lead_id,
            f.user_id,
            count(*) FILTER (WHERE f.is_contact AND f.direction = 'in')::integer AS inbound_count,
            count(*) FILTER (WHERE f.is_contact AND f.direction = 'out')::integer AS outbound_count,
            count(*) FILTER (WHERE f.is_reply)::integer AS reply_count,
            (array_agg(f.channel ORDER BY f.occurred_at) FILTER (WHERE f.is_contact))[1] AS first_channel,
            min(f.occurred_at) FILTER (WHERE f.is_contact) AS first_contact_at,
            max(f.occurred_at) FILTER (WHERE f.is_contact AND f.direction = 'in') AS last_inbound_at,
            max(f.occurred_at) FILTER (WHERE f.is_contact AND f.direction = 'out') AS last_outbound_at,
            (array_agg(f.channel ORDER BY f.occurred_at DESC) FILTER (WHERE f.is_contact AND f.direction = 'out'))[1]
            AS last_outbound_channel,
            max(f.occurred_at) AS last_activity_at,
            coalesce(
                (array_agg(f.occurred_at ORDER BY f.occurred_at DESC) FILTER (WHERE f.is_contact AND f.direction = 'in'))[1:6],
                '{}'
            ) AS recent_inbound
        FROM fresh AS f
        GROUP BY f.lead_id, f.user_id
    ),
    engagement AS (
        INSERT INTO salesflow.lead_engagement AS le (
            lead_id, user_id, inbound_count, outbound_count, reply_count, first_channel, first_contact_at,
            last_inbound_at, last_outbound_at, last_outbound_channel, last_activity_at, recent_inbound
        )
        SELECT
            p.lead_id, p.user_id, p.inbound_count, p.outbound_count, p.reply_count, p.first_channel, p.first_contact_at,
            p.last_inbound_at, p.last_outbound_at, p.last_outbound_channel, p.last_activity_at, p.recent_inbound
        FROM per_lead AS p
        ORDER BY p.lead_id -- one lock order for concurrent writers: no deadlocks between them
        ON CONFLICT (lead_id) DO UPDATE SET
            inbound_count = le.inbound_count + excluded.inbound_count,
            outbound_count = le.outbound_count + excluded.outbound_count,
            reply_count = le.reply_count + excluded.reply_count,
            first_channel = CASE
                WHEN le.first_contact_at IS NULL OR excluded.first_contact_at < le.first_contact_at
                    THEN coalesce(excluded.first_channel, le.first_channel)
                ELSE le.first_channel
            END,
            first_contact_at = least(le.first_contact_at, excluded.first_contact_at),
            last_inbound_at = greatest(le.last_inbound_at, excluded.last_inbound_at),
            last_outbound_channel = CASE
                WHEN excluded.last_outbound_at > le.last_outbound_at OR le.last_outbound_at IS NULL
                    THEN coalesce(excluded.last_outbound_channel, le.last_outbound_channel)
                ELSE le.last_outbound_channel
            END,
            last_outbound_at = greatest(le.last_outbound_at, excluded.last_outbound_at),
            last_activity_at = greatest(le.last_activity_at, excluded.last_activity_at),
            recent_inbound = CASE
                WHEN cardinality(excluded.recent_inbound) = 0 THEN le.recent_inbound
                -- usual case, all new inbound are newer: both arrays are sorted newest first
                WHEN cardinality(le.recent_inbound) = 0
                    OR excluded.recent_inbound[cardinality(excluded.recent_inbound)] >= le.recent_inbound[1]
                    THEN (excluded.recent_inbound || le.recent_inbound)[1:6]
                ELSE (
                    SELECT array_agg(r.t ORDER BY r.t DESC)
                    FROM (
                        SELECT u.t FROM unnest(le.recent_inbound || excluded.recent_inbound) AS u (t)
                        ORDER BY u.t DESC LIMIT 6
                    ) AS r
                )
            END,
            updated_at = now()
        RETURNING 1
    ),
    stale AS (
        UPDATE salesflow.lead_context_summaries AS s
        SET is_stale = true, stale_since = coalesce(s.stale_since, now())
        FROM batch_leads AS b
        WHERE s.lead_id = b.lead_id AND (NOT s.is_stale OR s.stale_since IS NULL)
        RETURNING 1
    ),
    touches AS (
        -- outbound: sent + 1 in its own bucket
        SELECT f.user_id, f.timezone, f.channel, f.occurred_at AS bucket_at, 1 AS sent, 0 AS replied, NULL::numeric AS reply_minutes
        FROM fresh AS f
        WHERE f.is_contact AND f.direction = 'out'
        UNION ALL
        -- reply: replied + 1 in the bucket of the outbound it answers
        SELECT f.user_id, f.timezone, f.p_channel, f.p_at, 0, 1,
               (date_part('epoch', f.occurred_at - f.p_at) / 60.0)::numeric
        FROM fresh AS f
        WHERE f.is_reply AND f.p_channel IS NOT NULL
    ),
    buckets AS (
        SELECT
            t.user_id,
            t.channel,
            extract(DOW FROM t.bucket_at AT TIME ZONE t.timezone)::smallint AS weekday,
            extract(HOUR FROM t.bucket_at AT TIME ZONE t.timezone)::smallint AS hour,
            sum(t.sent)::integer AS sent,
            sum(t.replied)::integer AS replied,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY t.reply_minutes) AS median_minutes
        FROM touches AS t
        GROUP BY 1, 2, 3, 4
    ),
    locked AS (
        -- existing buckets, locked in key order (concurrent writers cannot deadlock on them)
        SELECT x.user_id, x.channel, x.weekday, x.hour
        FROM salesflow.channel_performance_metrics AS x
        INNER JOIN buckets AS b ON (x.user_id, x.channel, x.weekday, x.hour) = (b.user_id, b.channel, b.weekday, b.hour)
        ORDER BY x.user_id, x.channel, x.weekday, x.hour
        FOR UPDATE OF x
    ),
    bumped AS (
        UPDATE salesflow.channel_performance_metrics AS c
        SET
            sent = c.sent + b.sent,
            -- replied never exceeds sent (a reply whose outbound sits in another bucket, e.g. after a
            -- time zone change, is dropped)
            replied = least(c.replied + b.replied, c.sent + b.sent),
            median_reply_minutes = CASE
                WHEN b.replied = 0 OR b.median_minutes IS NULL THEN c.median_reply_minutes
                WHEN c.median_reply_minutes IS NULL OR c.replied = 0 THEN round(b.median_minutes::numeric, 1)
                ELSE round(
                    (c.median_reply_minutes * c.replied + b.median_minutes::numeric * b.replied) / (c.replied + b.replied), 1
                )
            END,
            updated_at = now()
        FROM locked AS k
        INNER JOIN buckets AS b ON (k.user_id, k.channel, k.weekday, k.hour) = (b.user_id, b.channel, b.weekday, b.hour)
        WHERE (c.user_id, c.channel, c.weekday, c.hour) = (k.user_id, k.channel, k.weekday, k.hour)
        RETURNING c.user_id, c.channel, c.weekday, c.hour
    )
    INSERT INTO salesflow.channel_performance_metrics AS c (user_id, channel, weekday, hour, sent, replied, median_reply_minutes)
    SELECT b.user_id, b.channel, b.weekday, b.hour, b.sent, least(b.replied, b.sent), round(b.median_minutes::numeric, 1)
    FROM buckets AS b
    WHERE NOT EXISTS (
        SELECT 1 FROM bumped AS u
        WHERE (u.user_id, u.channel, u.weekday, u.hour) = (b.user_id, b.channel, b.weekday, b.hour)
    )
    ORDER BY b.user_id, b.channel, b.weekday, b.hour
    -- a bucket created by a concurrent statement meanwhile: add to it
    ON CONFLICT (user_id, channel, weekday, hour) DO UPDATE SET
        sent = c.sent + excluded.sent,
        replied = least(c.replied + excluded.replied, c.sent + excluded.sent),
        updated_at = now()
$statement$;
    -- the one part that differs: how lk reads the leads' state
    v_lookup_small constant text := $small$one lookup per lead
        -- (LATERAL: always index probes, never a scan of the big tables, in the plan cached for small batches)
        SELECT b.lead_id, k.timezone, k.last_inbound_at, k.last_outbound_at, k.last_outbound_channel
        FROM batch_leads AS b
        CROSS JOIN LATERAL (
            SELECT l.timezone, le.last_inbound_at, le.last_outbound_at, le.last_outbound_channel
            FROM salesflow.leads AS l
            LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
            WHERE l.id = b.lead_id
            LIMIT 1 -- keeps the subquery a parameterised nested loop
        ) AS k$small$;
    v_lookup_bulk constant text := $bulk$plain joins
        -- (the planner may hash-join whole tables for a big batch)
        SELECT b.lead_id, l.timezone, le.last_inbound_at, le.last_outbound_at, le.last_outbound_channel
        FROM batch_leads AS b
        INNER JOIN salesflow.leads AS l ON b.lead_id = l.id
        LEFT JOIN salesflow.lead_engagement AS le ON b.lead_id = le.lead_id$bulk$;
BEGIN
    EXECUTE format($create$
CREATE OR REPLACE FUNCTION salesflow.count_activities(p_activity_ids bigint[])
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '64MB'
AS %L
$create$, format($body$
BEGIN
    IF cardinality(p_activity_ids) IS NULL OR cardinality(p_activity_ids) = 0 THEN
        RETURN;
    ELSIF cardinality(p_activity_ids) <= 100 THEN
%s;
    ELSE
        EXECUTE %L USING p_activity_ids;
    END IF;
    -- after the counts: profile_lead reads the new inbound_count
    PERFORM salesflow.recommend_profiling(ARRAY(
        SELECT DISTINCT a.lead_id
        FROM unnest(p_activity_ids) AS i (id)
        INNER JOIN salesflow.lead_activities AS a ON i.id = a.id
        WHERE a.direction = 'in' AND a.kind <> 'note'
    ));
END;
$body$, format(v_statement, v_lookup_small, 'p_activity_ids'), format(v_statement, v_lookup_bulk, '$1')));
END;
$do$;
COMMENT ON FUNCTION salesflow.count_activities(bigint[]) IS
'Internal: applies queued activities to lead_engagement, marks lead_context_summaries stale, counts sent/replied '
'in channel_performance_metrics (lead-local weekday x hour), then recommend_profiling.';
