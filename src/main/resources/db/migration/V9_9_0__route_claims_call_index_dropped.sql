-- Routing per-call cost (issue 4): route_claims_call_idx (call_uid, every claim) serves no statement. Every
-- lookup of a call's claim asks for its open claim (route_claim, route_answer, route_release: call_uid = $1 AND
-- released_at IS NULL) and the reconciler's release of ended channels joins on open claims only; all of them use
-- route_claims_open_call_uidx (EXPLAIN on the routing bench data: the reconciler's join takes it too). Yet a
-- routed call paid for this index three times: the claim's insert, and the answer's and the release's updates,
-- which are not HOT (they change columns of the partial indexes' predicates).
-- Measured with pgbench on the routing bench data (one caller, the five statements of a call, 5,000 calls,
-- alternately with and without it): 1.320-1.365 ms -> 1.294-1.295 ms per call, WAL 1,653-1,831 -> 1,435-1,442
-- bytes per call.
DROP INDEX IF EXISTS route_claims_call_idx;
