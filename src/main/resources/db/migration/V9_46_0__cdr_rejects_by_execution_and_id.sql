-- cdrRejects pages one run's rejected cdr rows by cdr id: the run's rows in key order, so a page deep into a
-- run with many rejects costs what the first does (the old index found the run's rows, then sorted them all).
-- rejectReasons (a range of one run) uses it too.
CREATE INDEX cdr_rejects_execution_cdr_idx ON cdr_rejects (job_execution_id, cdr_id);
DROP INDEX cdr_rejects_execution_idx;
