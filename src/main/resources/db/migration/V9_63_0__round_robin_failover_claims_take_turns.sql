-- ROUND_ROBIN failover claims take turns too. V9_54_0 made the round trip of a ROUND_ROBIN call (route_call: the
-- first claim, and ROUTE_MORE's) read the campaign's turn order under a per-campaign advisory lock, so it reads the
-- order after the claims before it committed. A failover claim (ODBC_ROUTE_CLAIM -> route_claim_next) also moves its
-- buyer to the end of that order (route_claim sets last_routed_at) but took no lock: a call whose round trip
-- overlapped it read the order before the failover claim committed, still saw that buyer's turn, waited for its row
-- lock and took it too (the re-check after the wait passes while the buyer has room), and the buyer next in turn got
-- neither call.
--
-- Every claim that moves the order now holds the lock while it writes, so a reader of the order waits for it:
-- route_claim_next takes the same lock (class 'RTRR', hashint8 of the campaign id) before its claim when the campaign
-- is ROUND_ROBIN. It still claims the buyer it is given (the call's own list, as before); only the moment its claim
-- becomes visible is ordered. The lock is held until the statement's transaction commits (res_odbc autocommit:
-- the round trip), and a wait past the database's lock_timeout goes on without it, as route_call does.
--
-- Cost: the campaign's strategy is read in the statement that already checked the buyer's hours (the campaign row
-- is one index lookup; route_evaluate already read it), so PRIORITY and WEIGHTED failover claims run the same number
-- of statements as before and take no lock. A ROUND_ROBIN failover claim adds the lock statement (as its first claim
-- does), and waits only while another claim or order read of the same campaign is in flight. No round trip is added.
-- Lock order: the advisory lock before any row lock, as in route_call, so no cycle with it.
CREATE OR REPLACE FUNCTION route_claim_next(p_call_uid text, p_setting_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
DECLARE
    v_campaign_id bigint;
    v_strategy text;
    v_closed boolean;
BEGIN
    SELECT ccs.campaign_id, cp.strategy,
           EXISTS (SELECT 1 FROM route_evaluate(ccs.campaign_id, now()) e
                   WHERE e.setting_id = p_setting_id AND e.skip_reason = 'SCHEDULE')
    INTO v_campaign_id, v_strategy, v_closed
    FROM campaign_client_settings ccs
    JOIN campaigns cp ON cp.id = ccs.campaign_id
    WHERE ccs.id = p_setting_id;
    IF v_closed THEN
        RETURN 'SCHEDULE';
    END IF;
    IF v_strategy = 'ROUND_ROBIN' THEN
        -- the claim below moves the campaign's turn order: no call reads the order until it is committed
        BEGIN
            PERFORM pg_advisory_xact_lock(1381257810, hashint8(v_campaign_id));   -- 'RTRR', as in route_call
        EXCEPTION
            WHEN lock_not_available THEN
                NULL;   -- waited past the database's lock_timeout: the claim goes on, as a first claim's does
        END;
    END IF;
    RETURN route_claim(p_call_uid, p_setting_id);
END
$$;
