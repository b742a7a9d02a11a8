-- A campaign that records its inbound calls may have the caller told first (two-party-consent states: California,
-- Florida, ...): recording_notice names the sound file the dialplan plays, as Playback takes it (relative to the
-- sounds directory, no extension). The application refuses anything else; the constraint holds it for any other
-- writer, and route_lookup_did hands the dialplan only a name of that shape, and only when the campaign records:
-- the value reaches Playback, and the dialplan reads it through ARRAY(...), which splits on commas.
ALTER TABLE campaigns ADD COLUMN recording_notice text
    CONSTRAINT campaigns_recording_notice_sound_name
        CHECK (length(recording_notice) <= 128 AND recording_notice ~ '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$');

COMMENT ON COLUMN campaigns.recording_notice IS
    'inbound, with record_calls: the sound file (as Playback takes it) the caller hears before a buyer is dialled';

-- As in V9_79_0, plus the campaign's recording notice when it records its calls (null otherwise, or when the
-- stored name is not a plain sound name).
DROP FUNCTION route_lookup_did(text);
CREATE FUNCTION route_lookup_did(p_did text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint,
               strategy text, dial_timeout integer, record_calls boolean, recording_notice text)
LANGUAGE sql STABLE
AS $$
    SELECT CASE
               WHEN d.id IS NULL THEN 'UNKNOWN_DID'
               WHEN NOT d.active OR NOT s.active THEN 'INACTIVE_DID'
               WHEN c.id IS NULL OR NOT c.active OR c.direction <> 'INBOUND' THEN 'NO_CAMPAIGN'
               ELSE 'ROUTED'
           END,
           d.id, coalesce(d.number, n.number), d.seller_id, c.id, c.strategy, c.dial_timeout_seconds, c.record_calls,
           CASE WHEN c.record_calls AND length(c.recording_notice) <= 128
                     AND c.recording_notice ~ '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$'
                THEN c.recording_notice END
    FROM (SELECT route_normalize_did(p_did) AS number) n
    LEFT JOIN dids d ON d.number = n.number
    LEFT JOIN LATERAL (SELECT s.active FROM sellers s WHERE s.id = d.seller_id OFFSET 0) s ON true
    LEFT JOIN campaigns c ON c.id = d.campaign_id
$$;

-- route_call as in V9_79_0, with the lookup's recording_notice as a last column on every row (ROUTE_MORE's rows
-- too, which its readsql does not select).
DROP FUNCTION route_call(text, text, text, text);
CREATE FUNCTION route_call(p_did text, p_call_uid text, p_campaign_id text DEFAULT NULL, p_rung text DEFAULT NULL)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint, strategy text,
               dial_timeout integer, setting_id bigint, client_id bigint, endpoint text, no_target_reason text,
               record_calls boolean, recording_notice text)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
SET random_page_cost = 1.1  -- for route_lookup_did and route_evaluate, inlined here (see V4_0)
AS $$
DECLARE
    v_rung bigint[] := '{}';
    v_candidate record;
    v_claim text;
    v_claimed boolean := false;
    v_rows integer := 0;
BEGIN
    SELECT d.status, d.did_id, d.did_number, d.seller_id, d.campaign_id, d.strategy, d.dial_timeout, d.record_calls,
           d.recording_notice
    INTO status, did_id, did_number, seller_id, campaign_id, strategy, dial_timeout, record_calls, recording_notice
    FROM route_lookup_did(p_did) d;
    IF p_campaign_id IS NOT NULL THEN
        IF status = 'ROUTED' AND campaign_id IS DISTINCT FROM route_id(p_campaign_id) THEN
            status := 'NO_CAMPAIGN';
        END IF;
        v_rung := ARRAY(SELECT route_id(r) FROM unnest(string_to_array(coalesce(p_rung, ''), '-')) r
                        WHERE route_id(r) IS NOT NULL);
    END IF;
    IF status = 'ROUTED' THEN
        IF strategy = 'ROUND_ROBIN' THEN
            -- the campaign's turn order is read once the calls before this one have claimed (see above)
            BEGIN
                PERFORM pg_advisory_xact_lock(1381257810, hashint8(campaign_id));   -- 'RTRR'
            EXCEPTION
                WHEN lock_not_available THEN
                    NULL;   -- waited past the database's lock_timeout: the order as it stands
            END;
        END IF;
        FOR v_candidate IN SELECT e.setting_id, e.client_id, e.endpoint FROM route_evaluate(campaign_id, now()) e
                           WHERE e.skip_reason IS NULL AND e.setting_id <> ALL (v_rung) ORDER BY e.rank LOOP
            IF NOT v_claimed THEN
                BEGIN
                    v_claim := route_claim(p_call_uid, v_candidate.setting_id);
                    IF v_claim IS DISTINCT FROM 'CLAIMED' THEN
                        RAISE SQLSTATE 'CC001';
                    END IF;
                EXCEPTION
                    WHEN SQLSTATE 'CC001' THEN
                        NULL;   -- the attempt is rolled back, and with it its lock on the buyer's row
                    WHEN lock_not_available OR deadlock_detected THEN
                        v_claim := NULL;   -- this buyer could not be locked in time: the next one is tried
                END;
                CONTINUE WHEN v_claim IS DISTINCT FROM 'CLAIMED';
                v_claimed := true;
            END IF;
            IF v_rows = 50 THEN
                -- a 51st buyer: the dialplan asks for the rest (ODBC_ROUTE_MORE) once it has tried these
                status := 'MORE';
                setting_id := NULL;
                client_id := NULL;
                endpoint := NULL;
                RETURN NEXT;
                RETURN;
            END IF;
            setting_id := v_candidate.setting_id;
            client_id := v_candidate.client_id;
            endpoint := v_candidate.endpoint;
            RETURN NEXT;
            v_rows := v_rows + 1;
        END LOOP;
    END IF;
    IF NOT v_claimed THEN
        IF status = 'ROUTED' AND p_campaign_id IS NULL THEN
            -- why the buyers in service could not take the call: every one outside its hours (SCHEDULE), or at
            -- least one full (a cap, its concurrency, or its last slot taken by another call meanwhile); none in
            -- service (NO_TARGET). Not "the first in routing order": a WEIGHTED order is drawn anew here. (A next
            -- list follows buyers the call tried: the dialplan says ALL_FAILED.)
            SELECT CASE WHEN count(*) = 0 THEN 'NO_TARGET'
                        WHEN bool_and(coalesce(e.skip_reason = 'SCHEDULE', false)) THEN 'SCHEDULE'
                        ELSE 'CAPPED' END
            INTO no_target_reason
            FROM route_evaluate(campaign_id, now()) e
            WHERE e.skip_reason IS NULL OR e.skip_reason IN ('SCHEDULE', 'CAP', 'CONCURRENCY');
        END IF;
        RETURN NEXT;
    END IF;
END
$$;
