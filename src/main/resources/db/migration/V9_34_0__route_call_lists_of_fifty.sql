-- A call reaches every buyer of its campaign, however many. func_odbc.conf fetched at most 50 rows of route_call
-- (rowlimit=50) and dropped the rest unread: in a campaign with more than 50 buyers able to take the call, a call
-- whose first 50 rang busy or unanswered, or filled up while earlier ones rang (a failover claim refused with
-- CONCURRENCY or CAP), ended ALL_FAILED while buyer 51 and later were free, though routePreview listed them.
--
-- route_call now returns the call's buyers a list at a time: the first claimed, up to 49 to fail over to, and, when
-- the campaign has more buyers able to take the call, a 51st row with status MORE and no buyer. The dialplan, having
-- worked through a list, asks route_call again for the next one (ODBC_ROUTE_MORE), passing the call's campaign and
-- the settings it rang: the buyers able to take the call now that this call has not rung yet, in the campaign
-- strategy's order, the first claimed, in the same shape. A call answered by one of its first 50 buyers sends
-- exactly what it sent before; a list stops being built once it holds 50 buyers (before, route_call returned every
-- eligible buyer, for Asterisk to drop all but 50).

-- as in V9_26_0, at most 50 buyers and then a MORE row; with p_campaign_id, the next list of a call that has tried a
-- whole list (ODBC_ROUTE_MORE): the campaign's buyers able to take the call now, less the settings it rang (p_rung:
-- their ids joined by '-', as the dialplan collects them). The DID's facts are read again (its dial timeout, a DID or
-- campaign switched off meanwhile); a DID moved to another campaign meanwhile gets no buyer (NO_CAMPAIGN): the call
-- stays with the campaign it started in. One function for both, so the claim loop is written once; the first list
-- (p_campaign_id NULL) pays only two tests of a NULL and an empty array's <> ALL per candidate for it.
DROP FUNCTION route_call(text, text);
CREATE FUNCTION route_call(p_did text, p_call_uid text, p_campaign_id text DEFAULT NULL, p_rung text DEFAULT NULL)
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
