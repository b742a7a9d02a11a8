-- Routing's per-call work cut further (issue 4). Counted as for V9_26_0: valgrind's callgrind on the routing bench
-- data, the database backend's instructions per answered call (call, answer, release), the same 200 calls on
-- fresh copies of one database: 2.51 million before this migration, 1.88 million after it (-25%).
--
-- 1. The calls ringing a buyer (its CLAIMED claims) are counted on the setting's row, as in_flight and cap_used
--    already are, instead of being counted from route_claims at each claim and for each capped candidate. With
--    every counter a cap decides on in one row, a claim is one UPDATE that checks and counts at once: the row lock
--    it takes, and PostgreSQL's re-check of the WHERE clause on the newest row version after waiting for another
--    claim's lock, keep caps exact with any number of Asterisk servers (as the lock and re-read did before). A claim
--    was six statements (open claim, lock, client and campaign, reservations, insert, update); it is three.
--    route_answer and route_release move the count in the UPDATE they already made.
-- 2. route_claims loses its CHECK (CLAIMED only while open) and its foreign key to the setting. PostgreSQL parses a
--    table CHECK again for every statement that writes the table (see V9_26_0), three per call; the foreign key ran
--    a query per claim to find a setting the claim's own UPDATE has just locked. Settings are never deleted (a
--    buyer is unlinked by deactivating it), and every function that closes a claim sets its status with it.
-- 3. clients.has_schedule, kept by a trigger on client_schedules: route_evaluate probed client_schedules for every
--    candidate to learn whether it has business hours at all (four in five have none).
-- 4. route_lookup_did reads the seller by its id: the planner's generic plan hashed the whole sellers table for
--    every call, to join the one DID found.
-- 5. The buyer's facts routing reads (active, time zone, endpoint, business hours, and the name routePreview
--    shows) are copied onto each of its settings, kept by triggers in the transaction that changes them (a buyer's
--    edit, a schedule's, a new setting): a call read the clients table once per candidate (an index scan each) and
--    joined it again in the claim and the answer. Routing sees the same facts as before, as of its snapshot.

-- Functions that ran before this migration must not change a counter this migration has just counted: an older
-- route_answer that answered a claim and waits for the setting's row would not move the new count. Locking the
-- claims first lets every such statement finish before the count is taken.
LOCK TABLE route_claims, campaign_client_settings IN ACCESS EXCLUSIVE MODE;
-- and no buyer is edited while its facts are copied
LOCK TABLE clients IN SHARE MODE;

ALTER TABLE campaign_client_settings ADD COLUMN reserved route_count NOT NULL DEFAULT 0;
COMMENT ON COLUMN campaign_client_settings.reserved IS
    'calls claimed and not answered yet (CLAIMED claims): counted against total_cap with cap_used';
UPDATE campaign_client_settings s SET reserved = r.calls
FROM (SELECT setting_id, count(*)::integer AS calls FROM route_claims WHERE status = 'CLAIMED' GROUP BY setting_id) r
WHERE s.id = r.setting_id;

ALTER TABLE route_claims
    DROP CONSTRAINT route_claims_claimed_is_open,
    DROP CONSTRAINT route_claims_setting_id_fkey;
-- it served the reservation counts only
DROP INDEX route_claims_reserved_idx;

ALTER TABLE clients ADD COLUMN has_schedule boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN clients.has_schedule IS 'the client has business hours (client_schedules rows); kept by a trigger';
UPDATE clients c SET has_schedule = true WHERE EXISTS (SELECT 1 FROM client_schedules s WHERE s.client_id = c.id);

CREATE FUNCTION client_schedules_flag() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_client_ids bigint[] := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.client_id]
                                        WHEN 'DELETE' THEN ARRAY[OLD.client_id]
                                        ELSE ARRAY[NEW.client_id, OLD.client_id] END;
BEGIN
    UPDATE clients c
    SET has_schedule = EXISTS (SELECT 1 FROM client_schedules s WHERE s.client_id = c.id)
    WHERE c.id = ANY (v_client_ids)
      AND c.has_schedule IS DISTINCT FROM EXISTS (SELECT 1 FROM client_schedules s WHERE s.client_id = c.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER client_schedules_flag AFTER INSERT OR UPDATE OF client_id OR DELETE ON client_schedules
    FOR EACH ROW EXECUTE FUNCTION client_schedules_flag();

ALTER TABLE campaign_client_settings
    ADD COLUMN client_name text,
    ADD COLUMN client_endpoint text,
    ADD COLUMN client_time_zone text,
    ADD COLUMN client_active boolean,
    ADD COLUMN client_has_schedule boolean;
UPDATE campaign_client_settings s
SET client_name = c.name, client_endpoint = c.endpoint, client_time_zone = c.time_zone, client_active = c.active,
    client_has_schedule = c.has_schedule
FROM clients c
WHERE c.id = s.client_id;
ALTER TABLE campaign_client_settings
    ALTER COLUMN client_name SET NOT NULL,
    ALTER COLUMN client_endpoint SET NOT NULL,
    ALTER COLUMN client_time_zone SET NOT NULL,
    ALTER COLUMN client_active SET NOT NULL,
    ALTER COLUMN client_has_schedule SET NOT NULL;
COMMENT ON COLUMN campaign_client_settings.client_active IS
    'copies of the buyer''s clients row (name, endpoint, time_zone, active, has_schedule) for routing; kept by triggers';

-- a new setting (or one moved to another buyer) takes its buyer's facts
CREATE FUNCTION campaign_client_settings_client_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.name, c.endpoint, c.time_zone, c.active, c.has_schedule
    INTO NEW.client_name, NEW.client_endpoint, NEW.client_time_zone, NEW.client_active, NEW.client_has_schedule
    FROM clients c
    WHERE c.id = NEW.client_id;
    IF NOT FOUND THEN   -- what the foreign key would say, before the copies' NOT NULL says something else
        RAISE foreign_key_violation USING MESSAGE = format('client %s does not exist', NEW.client_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER campaign_client_settings_client_copy BEFORE INSERT OR UPDATE OF client_id ON campaign_client_settings
    FOR EACH ROW EXECUTE FUNCTION campaign_client_settings_client_copy();

-- an edited buyer's facts reach all of its settings (has_schedule included: client_schedules' trigger sets it)
CREATE FUNCTION clients_copy_to_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE campaign_client_settings
    SET client_name = NEW.name, client_endpoint = NEW.endpoint, client_time_zone = NEW.time_zone,
        client_active = NEW.active, client_has_schedule = NEW.has_schedule
    WHERE client_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER clients_copy_to_settings AFTER UPDATE OF name, endpoint, time_zone, active, has_schedule ON clients
    FOR EACH ROW
    WHEN ((OLD.name, OLD.endpoint, OLD.time_zone, OLD.active, OLD.has_schedule)
          IS DISTINCT FROM (NEW.name, NEW.endpoint, NEW.time_zone, NEW.active, NEW.has_schedule))
    EXECUTE FUNCTION clients_copy_to_settings();

-- as in V9_26_0, reading reserved, has_schedule and the buyer's facts from the setting's row
CREATE OR REPLACE FUNCTION route_evaluate(p_campaign_id bigint, p_at timestamptz)
RETURNS TABLE (setting_id bigint, client_id bigint, client_name text, endpoint text, priority integer,
               weight integer, max_concurrent integer, in_flight integer, total_cap integer, cap_period text,
               cap_used integer, reserved integer, skip_reason text, rank bigint)
LANGUAGE sql STABLE
AS $$
    SELECT e.setting_id, e.client_id, e.client_name, e.endpoint, e.priority, e.weight, e.max_concurrent,
           e.in_flight, e.total_cap, e.cap_period, e.cap_used, e.reserved,
           CASE
               WHEN NOT e.campaign_active THEN 'CAMPAIGN_INACTIVE'
               WHEN NOT e.setting_active THEN 'SETTING_INACTIVE'
               WHEN NOT e.client_active THEN 'CLIENT_INACTIVE'
               WHEN e.has_schedule
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
    FROM (SELECT ccs.id AS setting_id, ccs.client_id, ccs.client_name,
                 ccs.client_endpoint AS endpoint, ccs.priority::integer,
                 ccs.weight::integer, ccs.max_concurrent::integer, ccs.in_flight::integer,
                 ccs.total_cap::integer, ccs.cap_period::text,
                 CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                            cap_window_start(ccs.cap_period, ccs.client_time_zone, p_at))
                      THEN 0 ELSE ccs.cap_used::integer END AS cap_used,
                 ccs.reserved::integer AS reserved,
                 ccs.active AS setting_active, ccs.client_active, cp.active AS campaign_active,
                 ccs.client_time_zone AS time_zone,
                 ccs.client_has_schedule AS has_schedule, cp.strategy, ccs.last_routed_at
          FROM campaigns cp
          JOIN campaign_client_settings ccs ON ccs.campaign_id = cp.id
          WHERE cp.id = p_campaign_id) e
$$;

-- as in V9_26_0, the seller read by its id (OFFSET 0 keeps the subquery a per-row lookup, not a hash of sellers)
CREATE OR REPLACE FUNCTION route_lookup_did(p_did text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint,
               strategy text, dial_timeout integer)
LANGUAGE sql STABLE
AS $$
    SELECT CASE
               WHEN d.id IS NULL THEN 'UNKNOWN_DID'
               WHEN NOT d.active OR NOT s.active THEN 'INACTIVE_DID'
               WHEN c.id IS NULL OR NOT c.active OR c.direction <> 'INBOUND' THEN 'NO_CAMPAIGN'
               ELSE 'ROUTED'
           END,
           d.id, coalesce(d.number, n.number), d.seller_id, c.id, c.strategy, c.dial_timeout_seconds
    FROM (SELECT route_normalize_did(p_did) AS number) n
    LEFT JOIN dids d ON d.number = n.number
    LEFT JOIN LATERAL (SELECT s.active FROM sellers s WHERE s.id = d.seller_id OFFSET 0) s ON true
    LEFT JOIN campaigns c ON c.id = d.campaign_id
$$;

-- The claim: the same answers as in V9_16_0 (CLAIMED, or why not), the check and the count in one UPDATE. A stale
-- cap window is rolled by the claim that counts in the new one (and by the cap reset job), no longer also by a
-- refused claim.
CREATE OR REPLACE FUNCTION route_claim(p_call_uid text, p_setting_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
DECLARE
    v_open_setting bigint;
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

    UPDATE campaign_client_settings ccs
    SET in_flight = ccs.in_flight + 1,
        reserved = ccs.reserved + 1,
        last_routed_at = clock_timestamp(),
        updated_at = now(),
        cap_used = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                              cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                        THEN 0 ELSE ccs.cap_used END,
        cap_window_start = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                      cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                                THEN cap_window_start(ccs.cap_period, ccs.client_time_zone, now())
                                ELSE ccs.cap_window_start END
    FROM campaigns cp
    WHERE ccs.id = p_setting_id AND cp.id = ccs.campaign_id
      AND ccs.active AND ccs.client_active AND cp.active
      AND ccs.in_flight < ccs.max_concurrent
      AND (ccs.total_cap IS NULL
           OR CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                         cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                   THEN 0 ELSE ccs.cap_used END + ccs.reserved < ccs.total_cap);
    IF FOUND THEN
        INSERT INTO route_claims (call_uid, setting_id) VALUES (p_call_uid, p_setting_id);
        RETURN 'CLAIMED';
    END IF;
    -- refused: why, read as the UPDATE found it
    RETURN coalesce((SELECT CASE WHEN NOT (ccs.active AND ccs.client_active AND cp.active) THEN 'INACTIVE'
                                 WHEN ccs.in_flight >= ccs.max_concurrent THEN 'CONCURRENCY'
                                 ELSE 'CAP' END
                     FROM campaign_client_settings ccs
                     JOIN campaigns cp ON cp.id = ccs.campaign_id
                     WHERE ccs.id = p_setting_id), 'NO_SETTING');
END
$$;

-- as in V9_16_0; the answered call leaves the ringing count as it enters cap_used
CREATE OR REPLACE FUNCTION route_answer(p_call_uid text)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
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
                                              cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                        THEN 1 ELSE ccs.cap_used + 1 END,
        cap_window_start = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                      cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                                THEN cap_window_start(ccs.cap_period, ccs.client_time_zone, now())
                                ELSE ccs.cap_window_start END,
        reserved = greatest(ccs.reserved - 1, 0),
        updated_at = now()
    WHERE ccs.id = v_setting_id;
    RETURN 'ANSWERED';
END
$$;

-- as in V9_17_0; a claim still CLAIMED when released (its new status is RELEASED, or ANSWERED by a lost answer
-- counted here) leaves the ringing count
CREATE OR REPLACE FUNCTION route_release(p_call_uid text, p_reason text)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
DECLARE
    v_setting_id bigint;
    v_lost_answer boolean;
    v_was_ringing boolean;
BEGIN
    -- one statement: the UPDATE locks the open claim (a concurrent release waits, then finds it closed)
    UPDATE route_claims
    SET released_at = now(),
        release_reason = left(nullif(p_reason, ''), 40),
        answered_at = CASE WHEN status = 'CLAIMED' AND p_reason = 'ANSWERED_HANGUP' THEN now() ELSE answered_at END,
        status = CASE WHEN status <> 'CLAIMED' THEN status
                      WHEN p_reason = 'ANSWERED_HANGUP' THEN 'ANSWERED' ELSE 'RELEASED' END
    WHERE call_uid = p_call_uid AND released_at IS NULL
    -- answered_at = now(): set by this statement (route_answer's answer has its own, earlier transaction time)
    RETURNING setting_id, p_reason = 'ANSWERED_HANGUP' AND answered_at = now(), status = 'RELEASED'
    INTO v_setting_id, v_lost_answer, v_was_ringing;
    IF NOT FOUND THEN
        RETURN 'NONE';
    END IF;
    IF v_lost_answer THEN
        UPDATE campaign_client_settings ccs
        SET in_flight = greatest(ccs.in_flight - 1, 0),
            reserved = greatest(ccs.reserved - 1, 0),
            cap_used = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                  cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                            THEN 1 ELSE ccs.cap_used + 1 END,
            cap_window_start = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                          cap_window_start(ccs.cap_period, ccs.client_time_zone, now()))
                                    THEN cap_window_start(ccs.cap_period, ccs.client_time_zone, now())
                                    ELSE ccs.cap_window_start END,
            updated_at = now()
        WHERE ccs.id = v_setting_id;
    ELSE
        UPDATE campaign_client_settings
        SET in_flight = greatest(in_flight - 1, 0),
            reserved = CASE WHEN v_was_ringing THEN greatest(reserved - 1, 0) ELSE reserved END,
            updated_at = now()
        WHERE id = v_setting_id;
    END IF;
    RETURN 'RELEASED';
END
$$;
