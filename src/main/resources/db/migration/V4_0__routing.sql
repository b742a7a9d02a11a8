-- Inbound routing decisions, called by Asterisk through func_odbc (asterisk-conf/func_odbc.conf). Each
-- func_odbc function is one call to one of these, every argument a quoted, SQL_ESC'd string cast here: the
-- dialplan stays thin and the logic is versioned and tested from Java.
--
-- Claims and caps (issue 5's reconciliation and cap reset rely on exactly this):
--   claim   : route_claims row CLAIMED, setting.in_flight + 1 (in_flight = open claims, answered or not)
--   answer  : claim ANSWERED, answered_at, setting.cap_used + 1
--   release : released_at, release_reason, CLAIMED -> RELEASED (ANSWERED stays), in_flight - 1; idempotent
-- A claim succeeds only if in_flight < max_concurrent and cap_used + open unanswered claims < total_cap in the
-- current cap window (rolled lazily here, eagerly by the cap reset job, both with cap_window_start()).

-- Open claims are a handful among the whole history route_claims keeps. Counting a setting's reservations
-- (open, not yet answered) must touch only those: this partial index's predicate is the count's whole filter,
-- so the planner takes it (an index-only scan on setting_id) instead of walking another partial index and every
-- entry that release left dead in it until vacuum (measured: 15,000 index entries per count after 30,000
-- calls, the cause of the routing benchmark's multi-millisecond candidates and claims).
CREATE INDEX route_claims_reserved_idx ON route_claims (setting_id) WHERE released_at IS NULL AND status = 'CLAIMED';
-- route_claims is insert-mostly history with two updates per row (answer, release): vacuum it by a small
-- fixed amount rather than a fifth of the history, so dead entries in its partial indexes stay few.
ALTER TABLE route_claims SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 2000,
                              autovacuum_analyze_scale_factor = 0.02);
-- Every claim, answer and release updates the setting row (in_flight, cap_used): room on its page keeps those
-- updates HOT (no new entries in its three indexes).
ALTER TABLE campaign_client_settings SET (fillfactor = 85);

-- Carrier DIDs arrive in many shapes (+1800..., 1800..., 800...): digits only, E.164. Ten digits are NANP.
CREATE FUNCTION route_normalize_did(p_did text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
               WHEN d = '' THEN NULL
               WHEN length(d) = 10 THEN '+1' || d
               WHEN d LIKE '00%' THEN '+' || substr(d, 3)
               ELSE '+' || d
           END
    FROM (SELECT regexp_replace(coalesce(p_did, ''), '[^0-9]', '', 'g') AS d) n
$$;

-- func_odbc hands every argument over as a quoted string: a number is read here, and anything that is not
-- one (empty, hostile) becomes NULL instead of an SQL error.
CREATE FUNCTION route_id(p_text text)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_text ~ '^[0-9]{1,18}$' THEN p_text::bigint END
$$;

-- Step 1: the DID. Always exactly one row, so the dialplan reads a status instead of guessing from emptiness:
-- status ROUTED, UNKNOWN_DID, INACTIVE_DID, NO_CAMPAIGN (unassigned, inactive or outbound campaign).
CREATE FUNCTION route_lookup_did(p_did text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint,
               strategy text, dial_timeout integer)
LANGUAGE plpgsql STABLE
-- the routing tables live in shared buffers: a random page costs about a sequential one, so the planner joins
-- a campaign's few rows by index instead of hashing all of sellers/clients on every call (measured on the
-- bench data: route_evaluate's join 0.21 ms -> 0.035 ms; the scan would grow with the number of buyers)
SET random_page_cost = 1.1
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT CASE
               WHEN d.id IS NULL THEN 'UNKNOWN_DID'
               WHEN NOT d.active OR NOT s.active THEN 'INACTIVE_DID'
               WHEN c.id IS NULL OR NOT c.active OR c.direction <> 'INBOUND' THEN 'NO_CAMPAIGN'
               ELSE 'ROUTED'
           END,
           d.id, coalesce(d.number, route_normalize_did(p_did)), d.seller_id, c.id, c.strategy,
           c.dial_timeout_seconds
    FROM (SELECT route_normalize_did(p_did) AS number) n
    LEFT JOIN dids d ON d.number = n.number
    LEFT JOIN sellers s ON s.id = d.seller_id
    LEFT JOIN campaigns c ON c.id = d.campaign_id;
END
$$;

-- Every setting of a campaign with the reason it cannot take a call at p_at (NULL: it can), in the order the
-- campaign's strategy offers calls. Shared by route_candidates (the dialplan) and routePreview (the API).
-- cap_used is read as the claim would see it after rolling a stale window. A client is open when it has no
-- schedule rows, or when its local day and time (client's zone) fall inside one of that day's windows.
-- PL/pgSQL rather than SQL: its plans are cached per connection, and res_odbc keeps connections.
CREATE FUNCTION route_evaluate(p_campaign_id bigint, p_at timestamptz)
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
          -- matter against a cap. The partial index on open claims keeps it to the setting's open rows.
          CROSS JOIN LATERAL (SELECT count(*)::integer AS reserved FROM route_claims rc
                              WHERE ccs.total_cap IS NOT NULL
                                AND rc.setting_id = ccs.id AND rc.released_at IS NULL
                                AND rc.status = 'CLAIMED') r
          WHERE cp.id = p_campaign_id) e;
END
$$;

-- Step 2: the candidates the dialplan tries in order (func_odbc mode=multirow).
CREATE FUNCTION route_candidates(p_campaign_id bigint, p_at timestamptz DEFAULT now())
RETURNS TABLE (setting_id bigint, client_id bigint, endpoint text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT e.setting_id, e.client_id, e.endpoint
    FROM route_evaluate(p_campaign_id, p_at) e
    WHERE e.skip_reason IS NULL
    ORDER BY e.rank;
END
$$;

-- Step 4 and 5: give a call's open claim back. Idempotent: a call with no open claim changes nothing.
-- Returns RELEASED or NONE.
CREATE FUNCTION route_release(p_call_uid text, p_reason text)
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_setting_id bigint;
BEGIN
    -- one statement: the UPDATE locks the open claim (a concurrent release waits, then finds it closed)
    UPDATE route_claims
    SET released_at = now(),
        release_reason = left(nullif(p_reason, ''), 40),
        status = CASE status WHEN 'CLAIMED' THEN 'RELEASED' ELSE status END
    WHERE call_uid = p_call_uid AND released_at IS NULL
    RETURNING setting_id INTO v_setting_id;
    IF NOT FOUND THEN
        RETURN 'NONE';
    END IF;
    UPDATE campaign_client_settings
    SET in_flight = greatest(in_flight - 1, 0), updated_at = now()
    WHERE id = v_setting_id;
    RETURN 'RELEASED';
END
$$;

-- Step 3: the atomic claim. The setting row is locked, so claims from any number of Asterisk servers are
-- serialised per setting and the caps are exact. Returns CLAIMED, or why not: NO_SETTING, INACTIVE,
-- CONCURRENCY, CAP. A call holds one open claim at a time: a forgotten one is released first.
CREATE FUNCTION route_claim(p_call_uid text, p_setting_id bigint)
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
        WHERE setting_id = p_setting_id AND released_at IS NULL AND status = 'CLAIMED';
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

-- The buyer answered: the reservation becomes "used" in the current window. Returns ANSWERED or NONE.
CREATE FUNCTION route_answer(p_call_uid text)
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_setting_id bigint;
BEGIN
    UPDATE route_claims SET status = 'ANSWERED', answered_at = now()
    WHERE call_uid = p_call_uid AND released_at IS NULL AND status = 'CLAIMED'
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
