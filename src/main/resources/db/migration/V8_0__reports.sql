-- Reports (issue 8): an hourly rollup of call_logs, so a 30-day report over millions of calls reads a few
-- hundred thousand pre-summed rows instead of every call.
--
-- One row per (dimension, UTC hour, seller, key): the key is the seller, campaign, client or DID a report
-- groups by, so a report reads only the rows of its own dimension. Hour buckets answer reports in any
-- time zone whose
-- offset is a whole number of hours (every day and hour boundary there is also a UTC hour boundary); for
-- zones with half- or quarter-hour offsets (Asia/Kolkata, Australia/Adelaide, ...) the application reads
-- call_logs directly instead (CallReports decides).
--
-- Kept exact by statement-level triggers on call_logs with transition tables: an INSERT adds its rows, a
-- DELETE subtracts them, an UPDATE (CDR reconciliation rebuilding a call log: INSERT ... ON CONFLICT DO
-- UPDATE fires the UPDATE trigger for the rebuilt rows) subtracts the old version and adds the new. One
-- aggregated upsert per statement keeps bulk loads cheap. Buckets that drop to zero calls stay (harmless;
-- the report queries skip them).

CREATE TABLE call_stats_hourly (
    dimension          text   NOT NULL CHECK (dimension IN ('SELLER', 'CAMPAIGN', 'CLIENT', 'DID')),
    hour_start         timestamptz NOT NULL,
    seller_id          bigint,
    key_id             bigint,  -- the seller, campaign, client or DID id (NULL: calls without one)
    calls              bigint NOT NULL DEFAULT 0,
    answered           bigint NOT NULL DEFAULT 0,
    billable           bigint NOT NULL DEFAULT 0,
    talk_seconds       bigint NOT NULL DEFAULT 0,
    rejected_cap       bigint NOT NULL DEFAULT 0,
    rejected_schedule  bigint NOT NULL DEFAULT 0,
    rejected_no_target bigint NOT NULL DEFAULT 0,
    CONSTRAINT call_stats_hourly_key UNIQUE NULLS NOT DISTINCT (dimension, hour_start, seller_id, key_id)
);
CREATE INDEX call_stats_hourly_seller_idx ON call_stats_hourly (dimension, seller_id, hour_start);

-- What one call log contributes, before it is spread over the dimensions.
CREATE TYPE call_log_measure AS (
    hour_start timestamptz, seller_id bigint, campaign_id bigint, client_id bigint, did_id bigint, calls bigint,
    answered bigint, billable bigint, talk_seconds bigint, rejected_cap bigint, rejected_schedule bigint,
    rejected_no_target bigint
);

-- The measures of one call log, signed (+1 adds it, -1 takes it back): the single definition shared by the
-- triggers, the rebuild and the direct report query. answered = disposition ANSWERED, billable = the call
-- log's flag, talk time = billsec, rejected = unrouted_reason CAPPED / SCHEDULE / NO_TARGET.
-- Declared as a set of one row so that PostgreSQL inlines it where it is used in FROM (no call per row).
CREATE FUNCTION call_stats_delta(c call_logs, sign integer) RETURNS SETOF call_log_measure
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 AS $$
    SELECT date_trunc('hour', c.start_time, 'UTC'), c.seller_id, c.campaign_id, c.client_id, c.did_id,
           sign::bigint,
           sign * (c.disposition = 'ANSWERED')::int::bigint,
           sign * c.billable::int::bigint,
           sign * c.billsec::bigint,
           sign * (c.unrouted_reason IS NOT DISTINCT FROM 'CAPPED')::int::bigint,
           sign * (c.unrouted_reason IS NOT DISTINCT FROM 'SCHEDULE')::int::bigint,
           sign * (c.unrouted_reason IS NOT DISTINCT FROM 'NO_TARGET')::int::bigint
$$;

-- Adds measures to their buckets, once per dimension, summed per bucket first and sorted so concurrent
-- statements lock bucket rows in the same order.
CREATE FUNCTION call_stats_add(p_deltas call_log_measure[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO call_stats_hourly AS s (dimension, hour_start, seller_id, key_id, calls, answered, billable,
                                        talk_seconds, rejected_cap, rejected_schedule, rejected_no_target)
    SELECT k.dimension, d.hour_start, d.seller_id, k.key_id, sum(d.calls), sum(d.answered), sum(d.billable),
           sum(d.talk_seconds), sum(d.rejected_cap), sum(d.rejected_schedule), sum(d.rejected_no_target)
    FROM unnest(p_deltas) d
    CROSS JOIN LATERAL (VALUES ('SELLER', d.seller_id), ('CAMPAIGN', d.campaign_id), ('CLIENT', d.client_id),
                               ('DID', d.did_id)) AS k (dimension, key_id)
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT call_stats_hourly_key DO UPDATE SET
        calls              = s.calls + excluded.calls,
        answered           = s.answered + excluded.answered,
        billable           = s.billable + excluded.billable,
        talk_seconds       = s.talk_seconds + excluded.talk_seconds,
        rejected_cap       = s.rejected_cap + excluded.rejected_cap,
        rejected_schedule  = s.rejected_schedule + excluded.rejected_schedule,
        rejected_no_target = s.rejected_no_target + excluded.rejected_no_target
$$;

CREATE FUNCTION call_stats_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- old_rows / new_rows exist only for the events that declare them; plpgsql plans each branch lazily.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM call_stats_add(array_agg(d)) FROM old_rows o, call_stats_delta(o, -1) d HAVING count(*) > 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM call_stats_add(array_agg(d)) FROM new_rows n, call_stats_delta(n, 1) d HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER call_stats_insert AFTER INSERT ON call_logs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION call_stats_on_change();
CREATE TRIGGER call_stats_update AFTER UPDATE ON call_logs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION call_stats_on_change();
CREATE TRIGGER call_stats_delete AFTER DELETE ON call_logs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION call_stats_on_change();

-- Recomputes the whole rollup from call_logs (after a bulk load with the triggers off, or as a repair): the
-- call logs summed per hour and fine key first, then spread over the dimensions like any other change.
CREATE FUNCTION call_stats_rebuild() RETURNS void
LANGUAGE sql AS $$
    TRUNCATE call_stats_hourly;
    SELECT call_stats_add(array_agg(ROW(f.*)::call_log_measure))
    FROM (SELECT d.hour_start, d.seller_id, d.campaign_id, d.client_id, d.did_id, sum(d.calls), sum(d.answered),
                 sum(d.billable), sum(d.talk_seconds), sum(d.rejected_cap), sum(d.rejected_schedule),
                 sum(d.rejected_no_target)
          FROM call_logs c, call_stats_delta(c, 1) d
          GROUP BY 1, 2, 3, 4, 5) f;
$$;
