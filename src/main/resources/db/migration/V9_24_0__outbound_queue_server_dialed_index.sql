-- The dialer's per-server rate limit counts every call sent in the last ten seconds, ended ones included (a call
-- that failed at once was still sent), so it can no longer use outbound_queue_dialing_idx, which holds only the
-- DIALING entries.
CREATE INDEX outbound_queue_server_dialed_idx ON outbound_queue (server_id, dialing_at) WHERE dialing_at IS NOT NULL;
