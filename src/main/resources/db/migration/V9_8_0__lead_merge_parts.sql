-- Lead import speed (issue 6): a large import's merge inserts its leads over several connections at once. One
-- backend inserting a million staged rows into leads (heap and five indexes) spends 15-20 s of CPU on one core;
-- two backends, each inserting every other row, take 11-14 s on two cores. The parts are PostgreSQL prepared
-- transactions (two-phase commit): each part inserts its rows and PREPAREs, the coordinator records its
-- decision here once every part is prepared, then commits them all. No lead of the import is visible before
-- every part is prepared; an import that fails, or stops before the decision, leaves none.

-- 1. A lead's id is taken when its row is staged: COPY evaluates this default row by row, in file order, so
-- leads inserted by several connections still have ids in file order (the dialer's hopper takes leads by id).
-- The column is added to each lead import's staging table (StagingTasklet), not to the template: DNC imports
-- stage numbers, not leads. Staging tables of imports in flight during the upgrade get it here.
DO $$
DECLARE
    stage regclass;
BEGIN
    FOR stage IN
        SELECT c.oid::regclass FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND c.relname ~ '^lead_import_stage_[0-9]+$'
    LOOP
        EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS lead_id bigint NOT NULL '
                       'DEFAULT nextval(''leads_id_seq'')', stage);
    END LOOP;
END
$$;

-- 2. One row per merge that runs in parts, written when its staged rows have been filtered (DNC, duplicates).
-- A restarted import reads its counts here instead of filtering again; committed is the two-phase commit
-- decision: true once every part is prepared, so a part still prepared after a crash is committed, not rolled
-- back. The row is deleted with the staging table when the merge step completes.
CREATE TABLE lead_import_merges (
    job_instance_id bigint      PRIMARY KEY,
    list_id         bigint      NOT NULL,
    parts           integer     NOT NULL CHECK (parts >= 2),
    staged          bigint      NOT NULL,
    dnc             bigint      NOT NULL,
    duplicates      bigint      NOT NULL,
    committed       boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);
