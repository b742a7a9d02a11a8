-- issue 3 (perf): callLogs(filter: {campaignId, disposition}) pages newest first from one index seek.
-- Without it the planner walks call_logs_start_idx (or the campaign index) and drops every row of another
-- campaign or disposition: on 1,000,000 calls a first page read ~3,000 rows and took up to 10 ms, against
-- 0.1 ms for the other filter shapes.
-- Ascending like every call-log time index since V9_5_0 (new rows arrive newest; a backward scan reads the
-- newest first).
CREATE INDEX call_logs_campaign_disposition_start_idx
    ON call_logs (campaign_id, disposition, start_time, id);
