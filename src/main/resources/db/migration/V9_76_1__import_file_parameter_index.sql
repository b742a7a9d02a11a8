-- Which import read a file is looked up by its 'file' job parameter: the nightly history purge asks it of every upload
-- kept (StoredUploads: may its import still restart?), and each inbox poll of every file in processing/
-- (LeadImportMapper.LAST_EXECUTION_OF_FILE). batch_job_execution_params had no index on the value, so each look-up
-- read the whole table: a row per parameter of every execution, about 30,000 a day at the scheduled jobs' pace.
-- Only imports have a 'file' parameter, so the index holds their rows alone. A hash index: a value may be up to 2,500
-- characters, longer than a B-tree entry takes, and the look-up is by equality.
--
-- Built CONCURRENTLY, as V9_76_0 (see there): every job launch writes this table, and a plain build would hold the
-- launches back for the whole of it. This script runs outside a transaction (V9_76_1__...sql.conf), and a build left
-- invalid by an interrupted try is dropped first.
SELECT set_config('capconduit.lock_timeout_before_v9_76_1', current_setting('lock_timeout'), false);
SET lock_timeout = 0;

DROP INDEX CONCURRENTLY IF EXISTS batch_job_execution_params_file_idx;
CREATE INDEX CONCURRENTLY batch_job_execution_params_file_idx ON batch_job_execution_params USING hash (parameter_value)
    WHERE parameter_name = 'file';

SELECT set_config('lock_timeout', current_setting('capconduit.lock_timeout_before_v9_76_1'), false);
