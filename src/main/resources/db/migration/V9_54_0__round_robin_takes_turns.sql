-- ROUND_ROBIN takes turns when calls overlap. route_call read the campaign's turn order (least recently routed
-- first) from the snapshot its candidate query started with, then claimed; a call whose round trip overlapped an
-- earlier one's (two Asterisk servers, or one busy one, a millisecond apart) read the order before the earlier
-- call's claim was committed and took the same buyer: the claim's row lock only made it wait, and its re-check
-- (active, concurrency, caps) let it through: the buyer got both calls and the next one in turn neither.
--
-- The round trip of a ROUND_ROBIN call now takes a transaction-level advisory lock on its campaign before it reads
-- the order, so the calls of one campaign read it one after the other, each after the claims before it committed
-- (a PL/pgSQL statement of a volatile function reads with a snapshot of its own, taken after the wait). It is held
-- for the round trip only (about a millisecond), never by a failover claim (ODBC_ROUTE_CLAIM follows the order the
-- call was given), and is not taken at all for PRIORITY and WEIGHTED campaigns, whose order does not depend on
-- the calls before: their round trip is unchanged. Key: class 'RTRR' (0x52545252), hashint8 of the campaign id.
-- Otherwise route_call is as in V9_34_0.
CREATE OR REPLACE FUNCTION route_call(p_did text, p_call_uid text, p_campaign_id text DEFAULT NULL, p_rung text DEFAULT NULL)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint, strategy text,
               dial_timeout integer, setting_id bigint, client_id bigint, endpoint text, no_target_reason text)
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
    SELECT d.status, d.did_id, d.did_number, d.seller_id, d.campaign_id, d.strategy, d.dial_timeout
    INTO status, did_id, did_number, seller_id, campaign_id, strategy, dial_timeout
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
