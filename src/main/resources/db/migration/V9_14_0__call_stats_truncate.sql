-- The hourly rollup (call_stats_hourly) follows call_logs through statement triggers on INSERT, UPDATE and DELETE;
-- a TRUNCATE of call_logs (an operator purging test traffic) fired none, and every report read from the rollup kept
-- showing the purged calls while those read from call_logs (zones with half-hour offsets) showed none.
CREATE FUNCTION call_stats_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE call_stats_hourly;
    RETURN NULL;
END
$$;

CREATE TRIGGER call_stats_truncate AFTER TRUNCATE ON call_logs
    FOR EACH STATEMENT EXECUTE FUNCTION call_stats_on_truncate();
