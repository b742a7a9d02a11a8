-- A failover claim reads the buyer's business hours again (issue 4). The candidate list is worked out when the
-- call starts (route_call); a buyer tried after earlier ones rang out, up to a dial timeout each, could have
-- closed meanwhile and was still claimed and dialed. route_claim rechecks what it locks (active, concurrency,
-- caps) but not hours; the dialplan's failover claims (func_odbc ROUTE_CLAIM) now go through this function, which
-- asks route_evaluate (the one place hours are read, so routing and routePreview agree) and refuses a closed
-- buyer with SCHEDULE. route_call's own claim of the first buyer, taken right after the same evaluation, does
-- not pay for it.
CREATE FUNCTION route_claim_next(p_call_uid text, p_setting_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan  -- see V9_4_0
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM campaign_client_settings ccs
               CROSS JOIN LATERAL route_evaluate(ccs.campaign_id, now()) e
               WHERE ccs.id = p_setting_id AND e.setting_id = p_setting_id AND e.skip_reason = 'SCHEDULE') THEN
        RETURN 'SCHEDULE';
    END IF;
    RETURN route_claim(p_call_uid, p_setting_id);
END
$$;
