-- An answer the database missed is counted when the call hangs up (issue 4). route_answer runs from Dial's U()
-- subroutine when the buyer answers; when it fails (a database blip), the claim stayed CLAIMED, the hangup
-- handler's release closed it as RELEASED, and the answered call never reached cap_used: one call over the cap
-- per lost answer. The hangup handler now says whether the call's last Dial was answered (reason
-- ANSWERED_HANGUP); a claim still CLAIMED then is closed as ANSWERED and counted in the setting's current window,
-- as route_answer would have (cap_window_rolls, V9_16_0). A claim route_answer did mark is released as before, never
-- counted twice. The usual path (no lost answer) runs the same single update of the setting as in V4_0.
CREATE OR REPLACE FUNCTION route_release(p_call_uid text, p_reason text)
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_setting_id bigint;
    v_lost_answer boolean;
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
    RETURNING setting_id, p_reason = 'ANSWERED_HANGUP' AND answered_at = now() INTO v_setting_id, v_lost_answer;
    IF NOT FOUND THEN
        RETURN 'NONE';
    END IF;
    IF v_lost_answer THEN
        UPDATE campaign_client_settings ccs
        SET in_flight = greatest(ccs.in_flight - 1, 0),
            cap_used = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                  cap_window_start(ccs.cap_period, cl.time_zone, now()))
                            THEN 1 ELSE ccs.cap_used + 1 END,
            cap_window_start = CASE WHEN cap_window_rolls(ccs.cap_period, ccs.cap_window_start,
                                                          cap_window_start(ccs.cap_period, cl.time_zone, now()))
                                    THEN cap_window_start(ccs.cap_period, cl.time_zone, now())
                                    ELSE ccs.cap_window_start END,
            updated_at = now()
        FROM clients cl
        WHERE ccs.id = v_setting_id AND cl.id = ccs.client_id;
    ELSE
        UPDATE campaign_client_settings
        SET in_flight = greatest(in_flight - 1, 0), updated_at = now()
        WHERE id = v_setting_id;
    END IF;
    RETURN 'RELEASED';
END
$$;

ALTER FUNCTION route_release(text, text) SET plan_cache_mode = force_generic_plan;
