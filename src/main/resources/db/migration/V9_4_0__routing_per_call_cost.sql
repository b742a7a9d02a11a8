-- Routing per-call cost (issue 4). Measured on the routing bench data (10,000 DIDs, 100,000 settings, 200,000
-- released claims), one caller, server time per function with track_functions = all: route_normalize_did
-- 81 us and route_id 2 x 34 us of every call were spent parsing and planning their SQL bodies again on every
-- call; route_claim, route_answer and route_release found the call's open claim through a by-setting partial
-- index (a full scan of every open claim, filtered on call_uid) instead of the unique index on call_uid.

-- 1. The argument helpers in PL/pgSQL. A LANGUAGE sql function that cannot be inlined (route_normalize_did has a
-- FROM clause) or that the planner pre-evaluates for a constant argument (route_id('42') in func_odbc's
-- statement) runs through the SQL-function executor, which parses, analyses and plans its body on every call
-- (PostgreSQL 17 caches nothing across calls). PL/pgSQL compiles a function once per connection and evaluates
-- these bodies as simple expressions. Same results for every input.
CREATE OR REPLACE FUNCTION route_normalize_did(p_did text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    d text := regexp_replace(coalesce(p_did, ''), '[^0-9]', '', 'g');
BEGIN
    RETURN CASE
               WHEN d = '' THEN NULL
               WHEN length(d) = 10 THEN '+1' || d
               WHEN d LIKE '00%' THEN '+' || substr(d, 3)
               ELSE '+' || d
           END;
END
$$;

CREATE OR REPLACE FUNCTION route_id(p_text text)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN CASE WHEN p_text ~ '^[0-9]{1,18}$' THEN p_text::bigint END;
END
$$;

-- 2. Step 1 normalises the DID once, into a variable: the cached plan then compares dids.number with a plain
-- parameter instead of calling the normaliser inside the index condition.
CREATE OR REPLACE FUNCTION route_lookup_did(p_did text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint,
               strategy text, dial_timeout integer)
LANGUAGE plpgsql STABLE
SET random_page_cost = 1.1  -- see V4_0
AS $$
#variable_conflict use_column
DECLARE
    v_number text := route_normalize_did(p_did);
BEGIN
    RETURN QUERY
    SELECT CASE
               WHEN d.id IS NULL THEN 'UNKNOWN_DID'
               WHEN NOT d.active OR NOT s.active THEN 'INACTIVE_DID'
               WHEN c.id IS NULL OR NOT c.active OR c.direction <> 'INBOUND' THEN 'NO_CAMPAIGN'
               ELSE 'ROUTED'
           END,
           d.id, coalesce(d.number, v_number), d.seller_id, c.id, c.strategy, c.dial_timeout_seconds
    FROM (SELECT v_number AS number) n
    LEFT JOIN dids d ON d.number = n.number
    LEFT JOIN sellers s ON s.id = d.seller_id
    LEFT JOIN campaigns c ON c.id = d.campaign_id;
END
$$;

-- 3. Each lookup on route_claims gets exactly one usable partial index. The planner prices a partial index
-- by its last counted size, and open claims are few (after a vacuum often none), so any partial index whose
-- predicate a query implies looks free to scan whole with a filter; the real cost is every open claim plus
-- every entry left dead by a release until vacuum, per statement. Measured with auto_explain on the bench:
-- claim's and release's "call_uid = $1 AND released_at IS NULL" cached a full scan of
-- route_claims_open_setting_idx filtered on call_uid, answer's a full scan of route_claims_reserved_idx, and
-- the reservation count, once that index was gone, a full scan of route_claims_open_call_uidx.
--  - open claims by call: route_claims_open_call_uidx (call_uid) WHERE released_at IS NULL, unchanged;
--  - reservations by setting: (setting_id) WHERE status = 'CLAIMED'. A claim is CLAIMED only while open and
--    unanswered (answer makes it ANSWERED, release RELEASED), now a CHECK constraint, so the count's filter is
--    "status = 'CLAIMED'" alone and no longer implies the by-call index's predicate, nor do the by-call
--    lookups imply this one;
-- What it costs: with 5,000 calls in flight (claims stay open for a call's whole duration, so a platform at
-- 75 new calls/s holds thousands), claim, answer and release took 1.2-1.5 ms each before and 0.13-0.25 ms
-- after (one caller, pgbench, both schemas side by side, run alternately); a whole call 4.7-5.5 ms -> 1.8 ms.
--  - route_claims_open_setting_idx (setting_id) WHERE released_at IS NULL served no query (its predicate is
--    the by-call index's, so it only competed with it) and cost an index insertion per claim and per answer.
-- release and reconciliation always close a CLAIMED claim as RELEASED; a row edited by hand otherwise is
-- closed the same way, so the constraint holds on any existing history
UPDATE route_claims SET status = 'RELEASED' WHERE status = 'CLAIMED' AND released_at IS NOT NULL;
ALTER TABLE route_claims ADD CONSTRAINT route_claims_claimed_is_open CHECK (status <> 'CLAIMED' OR released_at IS NULL);
DROP INDEX route_claims_open_setting_idx;
DROP INDEX route_claims_reserved_idx;
CREATE INDEX route_claims_reserved_idx ON route_claims (setting_id) WHERE status = 'CLAIMED';

-- route_answer: an open claim is CLAIMED or ANSWERED, so "status <> 'ANSWERED'" picks the same row as
-- "status = 'CLAIMED'" did, without implying the reservations index's predicate.
CREATE OR REPLACE FUNCTION route_answer(p_call_uid text)
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_setting_id bigint;
BEGIN
    UPDATE route_claims SET status = 'ANSWERED', answered_at = now()
    WHERE call_uid = p_call_uid AND released_at IS NULL AND status <> 'ANSWERED'
    RETURNING setting_id INTO v_setting_id;
    IF NOT FOUND THEN
        RETURN 'NONE';
    END IF;
    UPDATE campaign_client_settings ccs
    SET cap_used = CASE WHEN ccs.cap_period <> 'TOTAL'
                             AND ccs.cap_window_start IS DISTINCT FROM cap_window_start(ccs.cap_period, cl.time_zone, now())
                        THEN 1 ELSE ccs.cap_used + 1 END,
        cap_window_start = CASE WHEN ccs.cap_period <> 'TOTAL' THEN cap_window_start(ccs.cap_period, cl.time_zone, now())
                                ELSE ccs.cap_window_start END,
        updated_at = now()
    FROM clients cl
    WHERE ccs.id = v_setting_id AND cl.id = ccs.client_id;
    RETURN 'ANSWERED';
END
$$;

-- route_evaluate and route_claim count reservations with the new index's predicate; otherwise as in V4_0.
CREATE OR REPLACE FUNCTION route_evaluate(p_campaign_id bigint, p_at timestamptz)
RETURNS TABLE (setting_id bigint, client_id bigint, client_name text, endpoint text, priority integer,
               weight integer, max_concurrent integer, in_flight integer, total_cap integer, cap_period text,
               cap_used integer, reserved integer, skip_reason text, rank bigint)
LANGUAGE plpgsql VOLATILE
SET random_page_cost = 1.1  -- see route_lookup_did
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT e.setting_id, e.client_id, e.client_name, e.endpoint, e.priority, e.weight, e.max_concurrent,
           e.in_flight, e.total_cap, e.cap_period, e.cap_used, e.reserved,
           CASE
               WHEN NOT e.campaign_active THEN 'CAMPAIGN_INACTIVE'
               WHEN NOT e.setting_active THEN 'SETTING_INACTIVE'
               WHEN NOT e.client_active THEN 'CLIENT_INACTIVE'
               WHEN EXISTS (SELECT 1 FROM client_schedules s WHERE s.client_id = e.client_id)
                    AND NOT EXISTS (SELECT 1 FROM client_schedules s
                                    WHERE s.client_id = e.client_id
                                      AND s.day_of_week = extract(isodow FROM p_at AT TIME ZONE e.time_zone)
                                      AND (p_at AT TIME ZONE e.time_zone)::time >= s.open_time
                                      AND (p_at AT TIME ZONE e.time_zone)::time < s.close_time) THEN 'SCHEDULE'
               WHEN e.total_cap IS NOT NULL AND e.cap_used + e.reserved >= e.total_cap THEN 'CAP'
               WHEN e.in_flight >= e.max_concurrent THEN 'CONCURRENCY'
           END,
           row_number() OVER (ORDER BY
               CASE e.strategy WHEN 'PRIORITY' THEN e.priority END,
               CASE e.strategy WHEN 'PRIORITY' THEN e.weight END DESC,
               CASE e.strategy WHEN 'ROUND_ROBIN' THEN e.last_routed_at END ASC NULLS FIRST,
               -- weighted random order (Efraimidis-Spirakis): first place with probability weight / sum
               CASE e.strategy WHEN 'WEIGHTED' THEN -ln(1.0 - random()) / e.weight END,
               e.setting_id)
    FROM (SELECT ccs.id AS setting_id, cl.id AS client_id, cl.name AS client_name, cl.endpoint, ccs.priority,
                 ccs.weight, ccs.max_concurrent, ccs.in_flight, ccs.total_cap, ccs.cap_period,
                 CASE WHEN ccs.cap_period <> 'TOTAL' AND ccs.cap_window_start
                                IS DISTINCT FROM cap_window_start(ccs.cap_period, cl.time_zone, p_at)
                      THEN 0 ELSE ccs.cap_used END AS cap_used,
                 r.reserved,
                 ccs.active AS setting_active, cl.active AS client_active, cp.active AS campaign_active,
                 cl.time_zone, cp.strategy, ccs.last_routed_at
          FROM campaigns cp
          JOIN campaign_client_settings ccs ON ccs.campaign_id = cp.id
          JOIN clients cl ON cl.id = ccs.client_id
          -- a lateral join, so the count runs once per setting (a scalar subquery would run for each use);
          -- only capped settings count (a One-Time Filter skips the scan otherwise): reservations only
          -- matter against a cap. route_claims_reserved_idx keeps it to the setting's reservations.
          CROSS JOIN LATERAL (SELECT count(*)::integer AS reserved FROM route_claims rc
                              WHERE ccs.total_cap IS NOT NULL
                                AND rc.setting_id = ccs.id AND rc.status = 'CLAIMED') r
          WHERE cp.id = p_campaign_id) e;
END
$$;

CREATE OR REPLACE FUNCTION route_claim(p_call_uid text, p_setting_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_setting campaign_client_settings;
    v_time_zone text;
    v_usable boolean;
    v_window timestamptz;
    v_reserved integer;
    v_open_setting bigint;
    v_roll boolean := false;
    v_result text := 'CLAIMED';
BEGIN
    IF coalesce(p_call_uid, '') = '' THEN
        RETURN 'NO_CALL_UID';
    END IF;
    SELECT setting_id INTO v_open_setting FROM route_claims
    WHERE call_uid = p_call_uid AND released_at IS NULL;
    IF v_open_setting = p_setting_id THEN
        RETURN 'CLAIMED';
    ELSIF v_open_setting IS NOT NULL THEN
        PERFORM route_release(p_call_uid, 'SUPERSEDED');
    END IF;

    SELECT ccs.* INTO v_setting FROM campaign_client_settings ccs WHERE ccs.id = p_setting_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'NO_SETTING';
    END IF;
    SELECT cl.time_zone, cl.active AND cp.active INTO v_time_zone, v_usable
    FROM clients cl, campaigns cp
    WHERE cl.id = v_setting.client_id AND cp.id = v_setting.campaign_id;
    IF NOT (v_setting.active AND v_usable) THEN
        RETURN 'INACTIVE';
    END IF;

    -- a stale window is rolled together with the claim's own update (one new row version, not two)
    IF v_setting.cap_period <> 'TOTAL' THEN
        v_window := cap_window_start(v_setting.cap_period, v_time_zone, now());
        v_roll := v_setting.cap_window_start IS DISTINCT FROM v_window;
        IF v_roll THEN
            v_setting.cap_used := 0;
        END IF;
    END IF;

    IF v_setting.in_flight >= v_setting.max_concurrent THEN
        v_result := 'CONCURRENCY';
    ELSIF v_setting.total_cap IS NOT NULL THEN
        SELECT count(*) INTO v_reserved FROM route_claims
        WHERE setting_id = p_setting_id AND status = 'CLAIMED';
        IF v_setting.cap_used + v_reserved >= v_setting.total_cap THEN
            v_result := 'CAP';
        END IF;
    END IF;
    IF v_result <> 'CLAIMED' THEN
        IF v_roll THEN
            UPDATE campaign_client_settings SET cap_used = 0, cap_window_start = v_window WHERE id = p_setting_id;
        END IF;
        RETURN v_result;
    END IF;

    INSERT INTO route_claims (call_uid, setting_id) VALUES (p_call_uid, p_setting_id);
    UPDATE campaign_client_settings
    SET in_flight = in_flight + 1, last_routed_at = clock_timestamp(), updated_at = now(),
        cap_used = CASE WHEN v_roll THEN 0 ELSE cap_used END,
        cap_window_start = CASE WHEN v_roll THEN v_window ELSE cap_window_start END
    WHERE id = p_setting_id;
    RETURN 'CLAIMED';
END
$$;

-- 4. Generic plans from a connection's first call. PL/pgSQL plans the first five runs of each statement of a
-- new connection with the arguments' values (custom plans) before it settles on the generic plan; route_evaluate's
-- query alone takes about 1 ms to plan, so a fresh connection's second to sixth calls took 2 to 10 ms each
-- instead of 0.3 to 1 ms (measured on the bench data, candidates on a new connection). The generic plans are
-- the ones every call uses afterwards anyway (keyed lookups; a campaign's settings by index), so they are built
-- at once. A SET clause costs under a microsecond per call. (Merging each step's statements into one, with
-- data-modifying CTEs, measured no faster, so the steps keep their plain statements.)
ALTER FUNCTION route_lookup_did(text) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_evaluate(bigint, timestamptz) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_candidates(bigint, timestamptz) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_claim(text, bigint) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_answer(text) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_release(text, text) SET plan_cache_mode = force_generic_plan;
