-- Lead import (issue 6): a merge's outcome, committed in the transaction that imports the leads (or the DNC
-- numbers) and drops the staging table. A stop that arrives while a merge is under way lets the merge finish,
-- but Spring Batch still ends its step STOPPED, so the import's restart runs the merge again: it finds the
-- outcome here, reports the same counts and imports nothing twice. One row per import.
CREATE TABLE lead_import_results (
    job_instance_id bigint      PRIMARY KEY,
    staged          bigint      NOT NULL,
    imported        bigint      NOT NULL,
    duplicates      bigint      NOT NULL,
    rejected        bigint      NOT NULL,
    merged_at       timestamptz NOT NULL DEFAULT now()
);
