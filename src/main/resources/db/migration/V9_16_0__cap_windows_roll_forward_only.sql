-- Cap windows roll forward only, in routing as in the cap reset job (issue 4). A statement's now() is when its
-- transaction started, but the setting row it reads after waiting for the lock is the latest: a claim or answer
-- that started in the last milliseconds of a window and got the row after another call had rolled it to the next
-- window saw "a different window" and rolled it back, zeroing the new window's count (route_answer set it to 1);
-- the next call then rolled forward to 0 again, so the new window's first answers were never counted and its cap
-- could be overshot. A stored window later than the statement's own is now the current one, as
-- CapWindowMapper already treats it. Otherwise the three functions are as in V9_4_0.

-- The rule, in one place for every function that rolls a window: a setting's stored window rolls when its period
-- has windows and the current one is later; never back. One SQL expression, so the planner inlines it.
CREATE FUNCTION cap_window_rolls(p_period text, p_stored timestamptz, p_current timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_period <> 'TOTAL' AND (p_stored IS NULL OR p_stored < p_current)
$$;

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
                 CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                            cap_window_start(ccs.cap_period, cl.time_zone, p_at))
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
        v_roll := cap_window_rolls(v_setting.cap_period, v_setting.cap_window_start, v_window);
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
    SET cap_used = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                              cap_window_start(ccs.cap_period, cl.time_zone, now()))
                        THEN 1 ELSE ccs.cap_used + 1 END,
        cap_window_start = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                      cap_window_start(ccs.cap_period, cl.time_zone, now()))
                                THEN cap_window_start(ccs.cap_period, cl.time_zone, now())
                                ELSE ccs.cap_window_start END,
        updated_at = now()
    FROM clients cl
    WHERE ccs.id = v_setting_id AND cl.id = ccs.client_id;
    RETURN 'ANSWERED';
END
$$;

ALTER FUNCTION route_evaluate(bigint, timestamptz) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_claim(text, bigint) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION route_answer(text) SET plan_cache_mode = force_generic_plan;
