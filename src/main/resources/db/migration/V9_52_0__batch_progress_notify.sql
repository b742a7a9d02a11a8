-- Job progress subscriptions (jobExecutionProgress, leadImportProgress). A job runs in one app instance and its
-- subscriber may be connected to another: every change of an execution or of one of its steps says which
-- execution changed on one channel, which each instance LISTENs on (PostgresNotifications). The payload is the
-- execution id only: listeners re-read the state, so nothing of the job (parameters, file names) travels here.
-- PostgreSQL folds identical notifications of one transaction into one, so a chunk's commit sends one message.
CREATE FUNCTION batch_progress_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capconduit_batch_progress', NEW.job_execution_id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER batch_job_execution_progress
    AFTER INSERT OR UPDATE ON batch_job_execution
    FOR EACH ROW EXECUTE FUNCTION batch_progress_notify();

CREATE TRIGGER batch_step_execution_progress
    AFTER INSERT OR UPDATE ON batch_step_execution
    FOR EACH ROW EXECUTE FUNCTION batch_progress_notify();
