-- A dialer call the carrier ends as a number that does not exist (Q.850 cause 1 UNALLOCATED, 22 NUMBER_CHANGED,
-- 28 INVALID_NUMBER_FORMAT) settles as DISCONNECTED. With this switch on, its lead is closed at once (DONE) instead of
-- being dialed again up to max_attempts. Off by default: a trunk that is misconfigured (a wrong dial prefix, a
-- carrier refusing the account's calls with 404) returns the same causes for every number and would close a
-- whole list. Adding a column with a constant default rewrites nothing (PostgreSQL 11+).
ALTER TABLE campaigns ADD COLUMN close_disconnected_numbers boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN campaigns.close_disconnected_numbers IS
    'outbound: a DISCONNECTED call (hangup cause 1, 22 or 28) closes its lead (DONE) instead of retrying it';
COMMENT ON COLUMN outbound_queue.outcome IS
    'ANSWERED, ABANDONED, BUSY, NO_ANSWER, FAILED, DISCONNECTED (cause 1, 22, 28), DNC, CANCELLED';
