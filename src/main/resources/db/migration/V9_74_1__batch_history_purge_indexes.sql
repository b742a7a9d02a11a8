-- Spring Batch's own script indexes none of its foreign keys. The nightly history purge (batchHistoryPurgeJob) deletes
-- each batch of executions' steps, parameters and contexts by job_execution_id, and then the job instances left
-- without an execution: without these, every batch read the whole of batch_step_execution and
-- batch_job_execution_params (a million rows at the scheduled jobs' pace), and each instance probe all executions.
-- Spring Batch's own look-ups of an instance's executions (every launch, every restart) use the last one too.
CREATE INDEX batch_step_execution_job_execution_idx ON batch_step_execution (job_execution_id);
CREATE INDEX batch_job_execution_params_job_execution_idx ON batch_job_execution_params (job_execution_id);
CREATE INDEX batch_job_execution_job_instance_idx ON batch_job_execution (job_instance_id);
-- And the purge takes ended executions oldest first by end time, so its last batch of a night reads the few it
-- deletes rather than walking every execution kept.
CREATE INDEX batch_job_execution_end_time_idx ON batch_job_execution (end_time);
