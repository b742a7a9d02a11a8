-- CDR reconciliation (issue 5). The checkpoint (last cdr id turned into call logs) lives in app_state under
-- 'cdr_reconciliation_last_id' and is moved in the same transaction as the call logs of each id range.
INSERT INTO app_state (key, value) VALUES ('cdr_reconciliation_last_id', '0') ON CONFLICT (key) DO NOTHING;

-- CDR rows the reconciler could not use (null linked id, negative duration, unknown campaign, ...):
-- skipped, counted in the job's step execution, and kept here with the reason.
CREATE TABLE cdr_rejects (
    cdr_id           bigint      PRIMARY KEY,
    linked_id        text,
    reason           text        NOT NULL,
    job_execution_id bigint,
    rejected_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cdr_rejects_execution_idx ON cdr_rejects (job_execution_id);
