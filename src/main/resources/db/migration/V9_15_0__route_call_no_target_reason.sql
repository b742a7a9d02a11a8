-- Why a call no buyer could take was refused (reports: rejected by cap, by schedule, no target). route_call's row
-- for such a call had no reason, so the dialplan wrote NO_TARGET for every one of them and the reports' "rejected
-- by cap" and "rejected by schedule" stayed 0 on real traffic. The row now carries no_target_reason: SCHEDULE when
-- every buyer in service is outside its hours, CAPPED when at least one is full (a cap, its concurrency, or its
-- last slot taken by another call meanwhile), NO_TARGET when no buyer is in service. It is worked out only for
-- such calls; a routed call costs what it did. Otherwise route_call is as in V9_10_0.
DROP FUNCTION route_call(text, text);

CREATE FUNCTION route_call(p_did text, p_call_uid text)
RETURNS TABLE (status text, did_id bigint, did_number text, seller_id bigint, campaign_id bigint, strategy text,
               dial_timeout integer, setting_id bigint, client_id bigint, endpoint text, no_target_reason text)
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
        IF status = 'ROUTED' THEN
            -- why the buyers in service could not take the call: every one outside its hours (SCHEDULE), or at
            -- least one full (a cap, its concurrency, or its last slot taken by another call meanwhile); none in
            -- service (NO_TARGET). Not "the first in routing order": a WEIGHTED order is drawn anew here.
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
