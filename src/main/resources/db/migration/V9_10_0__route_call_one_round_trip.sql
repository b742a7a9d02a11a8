-- Routing in fewer round trips (issue 4). A call used to start with three func_odbc statements before its first
-- Dial: ROUTE_DID (the lookup), ROUTE_CANDIDATES (the ordered buyers) and ROUTE_CLAIM (the first buyer's
-- reservation), each its own round trip and transaction. The three were always sent back to back, with nothing
-- in the dialplan between them but variable assignments, so the caller waited for three round trips to hear
-- ringing. Measured on the routing bench data with pgbench (one caller, plain statements as func_odbc sends
-- them): a whole answered call 1,310-1,442 us median, 2,616-2,714 us p99 in five statements; 1,030 us and
-- 2,121 us in three.
--
-- route_call does the three steps in one statement: the lookup, the candidate list in routing order, and the
-- atomic claim of the first candidate that has room (route_claim, unchanged, so the claim is exactly as exact).
-- It returns the candidate list for func_odbc's mode=multirow, each row carrying the DID's routing facts:
--  - the DID is not routable (status other than ROUTED): one row, no candidate;
--  - no candidate could be claimed (none open, or each lost its last slot to a concurrent call): one row, no
--    candidate, so the dialplan ends with NO_TARGET;
--  - otherwise the claimed candidate first, then the candidates after it in routing order, for failover: the
--    dialplan claims each of those with ROUTE_CLAIM when it gets to it. Candidates before the claimed one had no
--    room and are left out, as the dialplan skipped them before.
-- The claims run in one transaction here, where each was its own before. A claim locks its buyer's row and
-- keeps the lock even when it finds no room; held until the statement ends, the lock of a failed attempt would
-- let two calls that try the same full buyers in opposite orders (WEIGHTED orders are random) wait for each
-- other: a deadlock, and one of the calls lost. Each attempt that finds no room is therefore rolled back (a
-- PL/pgSQL exception block), which releases its lock before the next buyer is tried. A buyer whose row cannot
-- be locked (a lock_timeout set on the database, a deadlock) is skipped the same way, as the dialplan skipped a
-- ROUTE_CLAIM that failed: one buyer's trouble does not fail the whole call.
CREATE FUNCTION route_call(p_did text, p_call_uid text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint, strategy text,
               dial_timeout integer, setting_id bigint, client_id bigint, endpoint text)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
DECLARE
    v_candidate record;
    v_claim text;
    v_claimed boolean := false;
BEGIN
    SELECT d.status, d.did_id, d.did_number, d.seller_id, d.campaign_id, d.strategy, d.dial_timeout
    INTO status, did_id, did_number, seller_id, campaign_id, strategy, dial_timeout
    FROM route_lookup_did(p_did) d;
    IF status = 'ROUTED' THEN
        FOR v_candidate IN SELECT c.setting_id, c.client_id, c.endpoint FROM route_candidates(campaign_id) c LOOP
            IF NOT v_claimed THEN
                BEGIN
                    v_claim := route_claim(p_call_uid, v_candidate.setting_id);
                    IF v_claim IS DISTINCT FROM 'CLAIMED' THEN
                        RAISE SQLSTATE 'CC001';
                    END IF;
                EXCEPTION
                    WHEN SQLSTATE 'CC001' THEN
                        NULL;   -- the attempt is rolled back, and with it its lock on the buyer's row (see above)
                    WHEN lock_not_available OR deadlock_detected THEN
                        v_claim := NULL;   -- this buyer could not be locked in time: the next one is tried
                END;
                CONTINUE WHEN v_claim IS DISTINCT FROM 'CLAIMED';
                v_claimed := true;
            END IF;
            setting_id := v_candidate.setting_id;
            client_id := v_candidate.client_id;
            endpoint := v_candidate.endpoint;
            RETURN NEXT;
        END LOOP;
    END IF;
    IF NOT v_claimed THEN
        RETURN NEXT;
    END IF;
END
$$;
