-- The route claim and click-to-call purges (routeClaimPurgeJob, clickToCallPurgeJob) take each night's batch by age,
-- released_at and placed_at, neither of which had an index: every batch read the whole table (route_claims: 35 days
-- of every buyer tried, tens of millions of rows on a busy platform), and the night's last batch, which finds fewer
-- rows than batchSize, read it all for nothing. An open claim has no released_at and is never purged, so that index
-- leaves the open claims out.
--
-- Built CONCURRENTLY, so that the build is cheap for the traffic beside it: a plain CREATE INDEX holds a SHARE lock on
-- the table for the whole build (a minute or more on tens of millions of rows), and every call Asterisk routes writes
-- route_claims; a concurrent build takes a lock no insert, update or delete waits for. It cannot run in a transaction:
-- this script runs outside one (V9_76_0__purge_age_indexes.sql.conf). A concurrent build waits for the transactions
-- already running (a long report export, a reconciliation chunk) before it can finish. That wait blocks no one, so it
-- is not held to capconduit.migrations.lock-timeout: cut off, the build would leave an invalid index and Flyway a
-- failed migration that only a repair clears. The lock timeout comes back for the migrations after this one.
-- A build stopped half-way (a cancel, a crash) leaves an invalid index: each is dropped first, so the script can run
-- again.
SELECT set_config('capconduit.lock_timeout_before_v9_76_0', current_setting('lock_timeout'), false);
SET lock_timeout = 0;

DROP INDEX CONCURRENTLY IF EXISTS route_claims_released_idx;
CREATE INDEX CONCURRENTLY route_claims_released_idx ON route_claims (released_at) WHERE released_at IS NOT NULL;

DROP INDEX CONCURRENTLY IF EXISTS click_to_calls_placed_idx;
CREATE INDEX CONCURRENTLY click_to_calls_placed_idx ON click_to_calls (placed_at);

SELECT set_config('lock_timeout', current_setting('capconduit.lock_timeout_before_v9_76_0'), false);
