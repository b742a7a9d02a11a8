-- The nightly CDR purge (cdrPurgeJob) takes cdr_rejects oldest first: without this it reads the whole table every
-- night, and a dialplan that stamps a bad value on every call makes it as large as cdr.
CREATE INDEX cdr_rejects_rejected_at_idx ON cdr_rejects (rejected_at);
