-- Live call events (subscription callEvents): the rows that change with a call's state say so on one channel, which
-- every app instance LISTENs on (PostgresNotifications). Each payload carries the row's own columns only: campaign,
-- seller and buyer are looked up by the app, once per setting or campaign, not here.
--
-- route_claims is on the hot path of every inbound call (route_call's claim, route_answer, route_release run inside
-- the dialplan's func_odbc queries): its trigger is one pg_notify of the new row's columns per claim written, with
-- no query and no lookup. A claim attempt route_call rolls back (the buyer was full) sends nothing: a notification
-- of an aborted subtransaction is discarded with it.
CREATE FUNCTION route_claim_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capconduit_call_events', json_build_object(
        's', 'CLAIM', 'id', NEW.id, 'uid', NEW.call_uid, 'setting', NEW.setting_id, 'status', NEW.status,
        'released', NEW.released_at IS NOT NULL, 'reason', NEW.release_reason, 'at', clock_timestamp())::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER route_claims_call_event
    AFTER INSERT OR UPDATE ON route_claims
    FOR EACH ROW EXECUTE FUNCTION route_claim_event_notify();

-- Off until an operator turns it on (README, Subscriptions): it costs every inbound call. Measured with the routing
-- benchmark (mvn -q -Pbench verify -Dbench=routing, same machine, runs alternated): with it on, calls per second
-- fell from about 1,700 to 1,100-1,200 and the answer and release round trips doubled (180 to 250-320 us, 105 to
-- 220-310 us). A notifying commit takes the lock that puts notifications in commit order and holds it through its
-- WAL flush, so the claims' commits, which group-commit otherwise, flush one after the other.
--   ALTER TABLE route_claims ENABLE TRIGGER route_claims_call_event;   -- inbound RINGING / ANSWERED / RELEASED
ALTER TABLE route_claims DISABLE TRIGGER route_claims_call_event;

-- the dialer's queue entries as they are dialed, answered, given an agent and done (not as the hopper fills them:
-- a queued entry is no call yet)
CREATE FUNCTION outbound_queue_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capconduit_call_events', json_build_object(
        's', 'QUEUE', 'id', NEW.id, 'uid', NEW.channel_id, 'campaign', NEW.campaign_id, 'lead', NEW.lead_id,
        'agent', NEW.agent_id, 'status', NEW.status, 'answered', NEW.answered_at IS NOT NULL,
        'reason', NEW.outcome, 'at', clock_timestamp())::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbound_queue_call_event
    AFTER UPDATE ON outbound_queue
    FOR EACH ROW
    WHEN (NEW.status <> 'QUEUED' AND (OLD.status IS DISTINCT FROM NEW.status
                                      OR OLD.answered_at IS DISTINCT FROM NEW.answered_at
                                      OR OLD.agent_id IS DISTINCT FROM NEW.agent_id))
    EXECUTE FUNCTION outbound_queue_event_notify();

-- Call logs are announced by CDR reconciliation itself, once per reconciled range (CdrReconciliationMapper,
-- announceCallLogs), not by a trigger per row: a run over a backlog writes hundreds of thousands of call logs in one
-- transaction, and their notifications, written to the queue at commit under the lock that serialises every
-- notifying commit, would hold the routing claims' commits back meanwhile.
