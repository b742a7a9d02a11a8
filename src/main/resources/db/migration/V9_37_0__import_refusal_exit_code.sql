-- A refused import is now told from one that failed on an internal error by its exit code REFUSED, no longer by
-- the words " was not imported: " in its exit message (which also quotes the file's name). Imports refused
-- before keep their meaning: their message has those words and is not the internal error's, which ends so.
UPDATE batch_job_execution e
   SET exit_code = 'REFUSED'
  FROM batch_job_instance i
 WHERE i.job_instance_id = e.job_instance_id
   AND i.job_name IN ('leadImportJob', 'dncImportJob')
   AND e.status = 'FAILED'
   AND e.exit_code = 'FAILED'
   AND e.exit_message LIKE '% was not imported: %'
   AND e.exit_message NOT LIKE 'The import of % stopped on an internal error (%); restart it to continue after the '
                               'last committed chunk';
